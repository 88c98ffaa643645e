// KafkaConnection (kafka.sdm.dev/v1alpha1): how to reach a Kafka cluster that
// sdm did not create. A KafkaTopic's strimzi.io/cluster label names one in its
// own namespace, so a namespace's topics can only point at Kafka clusters its
// owners registered (`sdm kafka register`). Namespaced on purpose: credentials
// stay in Secrets of that namespace, read by name, never copied anywhere.
import { type Static, Type } from '@sinclair/typebox';
import { AGE_COLUMN, defineKind, type ResourceOf, resourceSchemaWithSpec } from '../../kind.ts';
import { Conditions, closed, Int32, ObservedGeneration, StringEnum } from '../../schema.ts';

export const group = 'kafka.sdm.dev';
export const version = 'v1alpha1';

const SecretKeyRef = (what: string, defaultKey: string) =>
  closed(
    {
      name: Type.String({ minLength: 1, description: `The Secret (in this namespace) holding ${what}.` }),
      key: Type.Optional(
        Type.String({ minLength: 1, description: `The key in the Secret (default ${defaultKey}).` }),
      ),
    },
    { description: what },
  );

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

export const KafkaConnectionSpecSchema = closed({
  bootstrapServers: Type.String({
    minLength: 1,
    pattern: '^[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*$',
    description: 'Comma-separated host:port list of brokers to bootstrap from, as Kafka clients take it.',
  }),
  tls: Type.Optional(
    closed(
      {
        caSecret: Type.Optional(SecretKeyRef('the CA certificate(s) (PEM) to trust', 'ca.crt')),
        clientCertSecret: Type.Optional(
          closed(
            {
              name: Type.String({
                minLength: 1,
                description: 'A kubernetes.io/tls Secret (tls.crt, tls.key) for mutual TLS.',
              }),
            },
            { description: 'A client certificate for mutual TLS.' },
          ),
        ),
        serverName: Type.Optional(
          Type.String({ description: 'Overrides the name checked in broker certificates.' }),
        ),
      },
      { description: 'Connect with TLS (present, even empty: TLS with the system trust store).' },
    ),
  ),
  sasl: Type.Optional(
    closed(
      {
        mechanism: StringEnum(SASL_MECHANISMS, { default: 'SCRAM-SHA-512' }),
        credentialsSecret: closed(
          {
            name: Type.String({
              minLength: 1,
              description: 'A Secret in this namespace with the keys username and password.',
            }),
          },
          { description: 'Where the SASL username and password are.' },
        ),
      },
      { description: 'Authenticate with SASL.' },
    ),
  ),
});

export const KafkaConnectionStatusSchema = closed({
  observedGeneration: Type.Optional(ObservedGeneration()),
  conditions: Type.Optional(Conditions()),
  clusterId: Type.Optional(Type.String({ description: 'The id the Kafka cluster reports.' })),
  brokers: Type.Optional(Int32({ description: 'Brokers the cluster reported in its metadata.' })),
});

export const KafkaConnectionSchema = resourceSchemaWithSpec(
  KafkaConnectionSpecSchema,
  KafkaConnectionStatusSchema,
  'An existing Kafka cluster: how to reach it and authenticate. KafkaTopics in this namespace whose strimzi.io/cluster label is its name are created there.',
);

export const KafkaConnectionKind = defineKind({
  group,
  version,
  kind: 'KafkaConnection',
  plural: 'kafkaconnections',
  scope: 'Namespaced',
  schema: KafkaConnectionSchema,
  shortNames: ['kconn'],
  categories: ['sdm'],
  printerColumns: [
    { name: 'Bootstrap servers', type: 'string', jsonPath: '.spec.bootstrapServers' },
    { name: 'Cluster ID', type: 'string', jsonPath: '.status.clusterId', priority: 1 },
    { name: 'Brokers', type: 'integer', jsonPath: '.status.brokers' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    AGE_COLUMN,
  ],
});

export type KafkaConnection = ResourceOf<typeof KafkaConnectionSchema>;
export type KafkaConnectionSpec = Static<typeof KafkaConnectionSpecSchema>;
