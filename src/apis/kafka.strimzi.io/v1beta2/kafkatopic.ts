// KafkaTopic v1beta2, the stored version; its CRD also serves v1beta1 and
// v1alpha1 (seed 002) with the same schema.
import { defineKind } from '../../kind.ts';
import { kafkaTopicKindOptions } from '../schema.ts';

export const KafkaTopicV1beta2Kind = defineKind({
  ...kafkaTopicKindOptions,
  version: 'v1beta2',
  olderVersions: ['v1beta1', 'v1alpha1'],
});
