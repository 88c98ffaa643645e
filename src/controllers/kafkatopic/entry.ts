// The entry `sdm operator --controllers=kafkatopic` runs (charts/supertubes
// deploys it): Strimzi's KafkaTopic API served against any Kafka that a
// KafkaConnection or koperator KafkaCluster names.
import { Type } from '@sinclair/typebox';
import { defineController } from '../../kube/index.ts';
import { registerKafkaTopicController } from './controller.ts';

export const KAFKA_TOPIC_CONTROLLER = 'kafkatopic';

export const kafkaTopicOptions = Type.Object({
  resyncSeconds: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      description: 'how often a Ready topic is compared with Kafka again (default 300)',
      env: 'KAFKATOPIC_RESYNC_SECONDS',
    }),
  ),
  retrySeconds: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      description: 'retry period while the Kafka cluster cannot be resolved (default 30)',
    }),
  ),
  maxBackoffSeconds: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      description: 'cap of the retry backoff while Kafka is unreachable (default 30)',
    }),
  ),
  concurrency: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'parallel reconciles sharing batched admin requests (default 256)',
    }),
  ),
});

const ms = (s: number | undefined) => (s === undefined ? undefined : s * 1000);

export const kafkaTopicEntry = defineController({
  name: KAFKA_TOPIC_CONTROLLER,
  description:
    'Keeps Kafka topics as KafkaTopic resources (kafka.strimzi.io) say, on the cluster their strimzi.io/cluster label names',
  options: kafkaTopicOptions,
  register(manager, options) {
    registerKafkaTopicController(manager, {
      resyncMs: ms(options.resyncSeconds),
      retryMs: ms(options.retrySeconds),
      maxBackoffMs: ms(options.maxBackoffSeconds),
      concurrency: options.concurrency,
    });
  },
});
