// KafkaTopic (kafka.strimzi.io): one Kafka topic as a custom resource, API
// compatible with Strimzi's topic operator (seed 002). Every served version
// (v1alpha1 and v1beta1 as in the seed, v1beta2 as Strimzi serves it today)
// shares this one schema, so the CRD needs no conversion webhook.
import { type Static, Type } from '@sinclair/typebox';
import { type PrinterColumn, type ResourceOf, resourceSchema } from '../kind.ts';
import { Conditions, closed, Int32, ObservedGeneration, openObject } from '../schema.ts';

export const group = 'kafka.strimzi.io';

/** The label naming the Kafka cluster a topic belongs to (Strimzi's). */
export const CLUSTER_LABEL = 'strimzi.io/cluster';
/** "false" stops all management: the topic in Kafka is neither changed nor deleted (Strimzi's). */
export const MANAGED_ANNOTATION = 'strimzi.io/managed';
/**
 * sdm's own: "retain" keeps the topic in Kafka when the KafkaTopic is deleted
 * (the default, "delete", deletes it, as Strimzi does). Unlike managed=false it
 * keeps the topic reconciled while the resource exists.
 */
export const DELETION_POLICY_ANNOTATION = 'kafka.sdm.dev/deletion-policy';

export const KafkaTopicSpecSchema = closed({
  topicName: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 249,
      pattern: '^[a-zA-Z0-9._-]+$',
      description: 'The name of the topic in Kafka; defaults to metadata.name. Cannot be changed later.',
    }),
  ),
  partitions: Type.Optional(
    Int32({
      minimum: 1,
      description: 'The number of partitions. Can only grow. Left out: the broker default (num.partitions).',
    }),
  ),
  replicas: Type.Optional(
    Int32({
      minimum: 1,
      maximum: 32767,
      description:
        'The number of replicas of each partition. Left out: the broker default (default.replication.factor).',
    }),
  ),
  config: Type.Optional(
    openObject(
      {},
      {
        description:
          'Topic configuration (retention.ms, cleanup.policy, ...). Values are strings, numbers, booleans or lists of them (joined with commas).',
      },
    ),
  ),
});

export const KafkaTopicStatusSchema = closed({
  observedGeneration: Type.Optional(ObservedGeneration()),
  conditions: Type.Optional(Conditions()),
  topicName: Type.Optional(Type.String({ description: 'The topic in Kafka this resource manages.' })),
  topicId: Type.Optional(Type.String({ description: "The topic's id in Kafka." })),
  partitions: Type.Optional(Int32({ description: 'Partitions of the topic as observed in Kafka.' })),
  replicas: Type.Optional(
    Int32({ description: 'Replication factor of the topic as observed in Kafka (of its first partition).' }),
  ),
  managedConfig: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'Config keys this controller set; a key removed from spec.config is reset to its default, other dynamic configs are never touched.',
    }),
  ),
});

export const KafkaTopicSchema = resourceSchema(
  KafkaTopicSpecSchema,
  KafkaTopicStatusSchema,
  'A Kafka topic: partitions, replication factor and configuration, kept in the Kafka cluster named by the strimzi.io/cluster label.',
);

export type KafkaTopic = ResourceOf<typeof KafkaTopicSchema>;
export type KafkaTopicSpec = Static<typeof KafkaTopicSpecSchema>;
export type KafkaTopicStatus = Static<typeof KafkaTopicStatusSchema>;

export const kafkaTopicPrinterColumns: readonly PrinterColumn[] = [
  {
    name: 'Cluster',
    type: 'string',
    jsonPath: '.metadata.labels.strimzi\\.io/cluster',
    description: 'The Kafka cluster this topic belongs to',
  },
  {
    name: 'Partitions',
    type: 'integer',
    jsonPath: '.spec.partitions',
    description: 'The desired number of partitions in the topic',
  },
  {
    name: 'Replication factor',
    type: 'integer',
    jsonPath: '.spec.replicas',
    description: 'The desired number of replicas of each partition',
  },
  {
    name: 'Ready',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    description: 'The state of the topic in Kafka',
  },
];

export const kafkaTopicKindOptions = {
  group,
  kind: 'KafkaTopic',
  plural: 'kafkatopics',
  scope: 'Namespaced',
  schema: KafkaTopicSchema,
  shortNames: ['kt'],
  categories: ['strimzi'],
  printerColumns: kafkaTopicPrinterColumns,
} as const;
