// KafkaTopic v1alpha1 as seed 002 uses it: the schema of v1beta2, served by its CRD.
import { defineKind } from '../../kind.ts';
import { kafkaTopicKindOptions } from '../schema.ts';

export const KafkaTopicV1alpha1Kind = defineKind({ ...kafkaTopicKindOptions, version: 'v1alpha1' });
