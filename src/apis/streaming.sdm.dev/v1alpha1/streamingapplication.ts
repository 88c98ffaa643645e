// StreamingApplication (streaming.sdm.dev/v1alpha1): an application made of
// processes connected by Kafka topics (seed 002's Pipelines applications),
// run as one instance per application in its own namespace
// `<landscape>-<application>` (seed 004's instance model). The landscape is
// the namespace the object lives in, which is also the namespace of the
// operator that serves it.
import { type Static, Type } from '@sinclair/typebox';
import { AGE_COLUMN, defineKind, type ResourceOf, resourceSchemaWithSpec } from '../../kind.ts';
import {
  closed,
  DNS1123_LABEL,
  Int32,
  Int64,
  IntOrString,
  ObservedGeneration,
  StringEnum,
} from '../../schema.ts';

export const group = 'streaming.sdm.dev';
export const version = 'v1alpha1';

/** A topic's name inside the application: `<streamlet>.<port>` (seed 002), lower case. */
export const TOPIC_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

export const MAX_TOPICS = 64;
export const MAX_PROCESSES = 32;
export const MAX_PORTS = 16;

const TopicSchema = closed({
  name: Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: TOPIC_NAME_PATTERN,
    description:
      "The topic's name in the application, `<process>.<port>` as seed 002 names them (e.g. cdr-validator.valid); in Kafka it is `<application>.<name>`.",
  }),
  partitions: Type.Optional(Int32({ minimum: 1, description: 'Partitions (default: the broker default).' })),
  replicas: Type.Optional(
    Int32({ minimum: 1, maximum: 32767, description: 'Replication factor (default: the broker default).' }),
  ),
  config: Type.Optional(
    Type.Record(Type.String(), Type.String(), {
      description: 'Topic configuration (retention.ms, cleanup.policy, ...), as strings.',
    }),
  ),
});

const EnvVarSchema = closed({
  name: Type.String({ minLength: 1, pattern: '^[-._a-zA-Z][-._a-zA-Z0-9]*$' }),
  value: Type.String(),
});

const QuantityMap = Type.Record(Type.String(), IntOrString(), {
  description: 'Resource name to quantity, e.g. cpu: 100m, memory: 128Mi.',
});

const ProcessSchema = closed({
  name: Type.String({
    minLength: 1,
    maxLength: 50,
    pattern: DNS1123_LABEL,
    description: 'The process (a streamlet): its Deployment is named after it.',
  }),
  image: Type.String({ minLength: 1, description: 'Container image of the process.' }),
  replicas: Type.Optional(Int32({ minimum: 0, default: 1, description: 'Pods of the process (default 1).' })),
  env: Type.Optional(
    Type.Array(EnvVarSchema, {
      maxItems: 64,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      description: 'Extra environment variables.',
    }),
  ),
  resources: Type.Optional(
    closed(
      { requests: Type.Optional(QuantityMap), limits: Type.Optional(QuantityMap) },
      { description: 'Container resources, as in a Pod.' },
    ),
  ),
  inputs: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: MAX_PORTS,
      'x-kubernetes-list-type': 'set',
      description:
        'Topics (names from spec.topics) the process reads, as consumer group `<application>.<process>`.',
    }),
  ),
  outputs: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: MAX_PORTS,
      'x-kubernetes-list-type': 'set',
      description: 'Topics (names from spec.topics) the process writes.',
    }),
  ),
});

export const StreamingApplicationSpecSchema = closed(
  {
    kafkaCluster: Type.String({
      minLength: 1,
      maxLength: 253,
      description:
        'The Kafka cluster, resolved as a KafkaTopic resolves its strimzi.io/cluster label: a KafkaConnection or koperator KafkaCluster of that name in this namespace.',
    }),
    topics: Type.Array(TopicSchema, {
      maxItems: MAX_TOPICS,
      // Duplicate names are refused by the API server.
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      description: "The application's topics.",
    }),
    processes: Type.Array(ProcessSchema, {
      minItems: 1,
      maxItems: MAX_PROCESSES,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      description: "The application's processes, one Deployment each.",
    }),
    deleteTopicsWithApplication: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Delete the topics (and their data) from Kafka when the application is deleted. Default false: the topics stay.',
      }),
    ),
  },
  {
    'x-kubernetes-validations': [
      {
        rule: 'self.processes.all(p, (!has(p.inputs) || p.inputs.all(i, self.topics.exists(t, t.name == i))) && (!has(p.outputs) || p.outputs.all(o, self.topics.exists(t, t.name == o))))',
        message: 'every input and output of a process must name a topic of spec.topics',
      },
    ],
  },
);

export const PHASES = ['Available', 'Processing', 'Failed'] as const;
export type Phase = (typeof PHASES)[number];

const ProcessStatusSchema = closed({
  name: Type.String(),
  replicas: Int32({ description: 'Desired pods.' }),
  readyReplicas: Int32({ description: 'Pods ready.' }),
  consumerGroup: Type.String(),
  lag: Type.Optional(
    Int64({ description: 'Records in its input topics not yet committed by its consumer group.' }),
  ),
});

const TopicStatusSchema = closed({
  name: Type.String(),
  topicName: Type.String({ description: 'The topic in Kafka.' }),
  ready: Type.Boolean(),
  message: Type.Optional(Type.String()),
});

export const StreamingApplicationStatusSchema = closed({
  phase: Type.Optional(StringEnum(PHASES)),
  observedGeneration: Type.Optional(ObservedGeneration()),
  reason: Type.Optional(Type.String({ description: 'Only when phase is Failed: why.' })),
  pods: Type.Optional(Type.Array(Type.String(), { description: 'Names of the running pods.' })),
  namespace: Type.Optional(Type.String({ description: "The instance's namespace." })),
  readyPods: Type.Optional(Type.String({ description: 'Ready pods / desired pods, e.g. 3/3.' })),
  lag: Type.Optional(Int64({ description: 'Consumer lag summed over all processes.' })),
  processes: Type.Optional(Type.Array(ProcessStatusSchema)),
  topics: Type.Optional(Type.Array(TopicStatusSchema)),
});

export const StreamingApplicationSchema = resourceSchemaWithSpec(
  StreamingApplicationSpecSchema,
  StreamingApplicationStatusSchema,
  'A streaming application: processes connected by Kafka topics, run in its own namespace <landscape>-<name>.',
);

export const StreamingApplicationKind = defineKind({
  group,
  version,
  kind: 'StreamingApplication',
  plural: 'streamingapplications',
  scope: 'Namespaced',
  schema: StreamingApplicationSchema,
  shortNames: ['sapp'],
  categories: ['sdm'],
  printerColumns: [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Pods', type: 'string', jsonPath: '.status.readyPods' },
    { name: 'Lag', type: 'integer', jsonPath: '.status.lag' },
    { name: 'Reason', type: 'string', jsonPath: '.status.reason', priority: 1 },
    AGE_COLUMN,
  ],
});

export type StreamingApplication = ResourceOf<typeof StreamingApplicationSchema>;
export type StreamingApplicationSpec = Static<typeof StreamingApplicationSpecSchema>;
export type StreamingApplicationStatus = Static<typeof StreamingApplicationStatusSchema>;
export type ProcessSpec = StreamingApplicationSpec['processes'][number];
export type TopicSpec = StreamingApplicationSpec['topics'][number];
