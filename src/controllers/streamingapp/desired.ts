// What one StreamingApplication instance should look like, as pure functions:
// its namespace `<landscape>-<application>` (seed 004), the landscape's pull
// Secret copied in, a ServiceAccount, a NetworkPolicy admitting only the same
// instance, a ConfigMap of topic bindings, a KafkaConnection the instance's
// KafkaTopics resolve through, one KafkaTopic per topic named as seed 002
// names them (`<application>.<process>.<port>`), one Deployment per process.
import type { KafkaConnectionSpec } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import {
  CLUSTER_LABEL,
  DELETION_POLICY_ANNOTATION,
  type KafkaTopic,
} from '../../apis/kafka.strimzi.io/schema.ts';
import type {
  ProcessSpec,
  StreamingApplication,
} from '../../apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import type { KubeObject, Secret } from '../../kube/index.ts';

export const LANDSCAPE_LABEL = 'streaming.sdm.dev/landscape';
export const APPLICATION_LABEL = 'streaming.sdm.dev/application';
export const PROCESS_LABEL = 'streaming.sdm.dev/process';
/** The finalizer that removes the instance namespace (cluster-scoped: no owner reference can). */
export const FINALIZER = 'streaming.sdm.dev/instance';
/** Seed 004: the landscape's pull Secret, copied into every instance namespace. */
export const PULL_SECRET = 'image-pull-secret';
export const BINDINGS_CONFIGMAP = 'topic-bindings';
export const NETWORK_POLICY = 'same-instance-only';
export const CONTAINER = 'process';

/** The instance namespace, seed 004's `<operatorname>-<instanceid>`. */
export function instanceNamespace(landscape: string, application: string): string {
  return `${landscape}-${application}`;
}

/** The topic in Kafka: `<application>.<topic>`, e.g. call-record-aggregator.cdr-validator.valid. */
export function kafkaTopicName(application: string, topic: string): string {
  return `${application}.${topic}`;
}

/** Consumer group of a process: `<application>.<process>`. */
export function consumerGroup(application: string, process: string): string {
  return `${application}.${process}`;
}

/** How the instance reaches Kafka: the resolved bootstrap servers and the connection spec to copy. */
export interface KafkaBinding {
  /** The name the app gives the cluster; the instance's KafkaConnection has that name too. */
  cluster: string;
  bootstrapServers: string[];
  connection: KafkaConnectionSpec;
  /** Secrets the connection names (TLS, SASL), copied into the instance namespace. */
  secrets: Secret[];
}

export interface DesiredInputs {
  app: StreamingApplication;
  landscape: string;
  kafka: KafkaBinding;
  /** The landscape's image-pull-secret, when it exists. */
  pullSecret?: Secret;
}

function labels(landscape: string, app: string, extra: Record<string, string> = {}) {
  return { [LANDSCAPE_LABEL]: landscape, [APPLICATION_LABEL]: app, ...extra };
}

function meta(name: string, namespace: string, l: Record<string, string>) {
  return { name, namespace, labels: l };
}

/** Env var names the processes read their wiring from. */
export const ENV = {
  bootstrap: 'KAFKA_BOOTSTRAP_SERVERS',
  inputs: 'INPUT_TOPICS',
  outputs: 'OUTPUT_TOPICS',
  group: 'CONSUMER_GROUP',
  application: 'APPLICATION_NAME',
  process: 'PROCESS_NAME',
} as const;

export function deploymentFor(
  app: StreamingApplication,
  landscape: string,
  p: ProcessSpec,
  bootstrapServers: string[],
): KubeObject {
  const name = app.metadata?.name ?? '';
  const ns = instanceNamespace(landscape, name);
  const l = labels(landscape, name, { [PROCESS_LABEL]: p.name });
  const topicList = (ts: readonly string[] | undefined) =>
    (ts ?? []).map((t) => kafkaTopicName(name, t)).join(',');
  const ours = [
    { name: ENV.bootstrap, value: bootstrapServers.join(',') },
    { name: ENV.inputs, value: topicList(p.inputs) },
    { name: ENV.outputs, value: topicList(p.outputs) },
    { name: ENV.group, value: consumerGroup(name, p.name) },
    { name: ENV.application, value: name },
    { name: ENV.process, value: p.name },
  ];
  // A user's variable of the same name wins over ours only if it is not our wiring.
  const reserved = new Set<string>(ours.map((e) => e.name));
  // The API server drops an empty value; leaving it out keeps the no-op check exact.
  const env = [...ours, ...(p.env ?? []).filter((e) => !reserved.has(e.name))].map((e) =>
    e.value === '' ? { name: e.name } : e,
  );
  const container: Record<string, unknown> = { name: CONTAINER, image: p.image, env };
  if (p.resources && (p.resources.requests || p.resources.limits)) container.resources = p.resources;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(p.name, ns, l),
    spec: {
      replicas: p.replicas ?? 1,
      selector: { matchLabels: { [APPLICATION_LABEL]: name, [PROCESS_LABEL]: p.name } },
      template: {
        metadata: { labels: l },
        spec: { serviceAccountName: name, containers: [container] },
      },
    },
  } as KubeObject;
}

export function kafkaTopicFor(
  app: StreamingApplication,
  landscape: string,
  t: StreamingApplication['spec']['topics'][number],
): KafkaTopic {
  const name = app.metadata?.name ?? '';
  const topicName = kafkaTopicName(name, t.name);
  const spec: KafkaTopic['spec'] = { topicName };
  if (t.partitions !== undefined) spec.partitions = t.partitions;
  if (t.replicas !== undefined) spec.replicas = t.replicas;
  if (t.config && Object.keys(t.config).length > 0) spec.config = { ...t.config };
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: {
      name: topicName,
      namespace: instanceNamespace(landscape, name),
      labels: labels(landscape, name, { [CLUSTER_LABEL]: app.spec.kafkaCluster }),
      // Data is not destroyed by default: deleting the instance namespace keeps the topic in Kafka.
      annotations: {
        [DELETION_POLICY_ANNOTATION]: app.spec.deleteTopicsWithApplication ? 'delete' : 'retain',
      },
    },
    spec,
  };
}

/** The topic bindings every process can read (not mounted: a change restarts nothing). */
export function bindingsFor(app: StreamingApplication, landscape: string, bootstrapServers: string[]) {
  const name = app.metadata?.name ?? '';
  const topics: Record<string, string> = {};
  for (const t of app.spec.topics) topics[t.name] = kafkaTopicName(name, t.name);
  const processes: Record<string, unknown> = {};
  for (const p of app.spec.processes) {
    processes[p.name] = {
      consumerGroup: consumerGroup(name, p.name),
      inputs: (p.inputs ?? []).map((t) => kafkaTopicName(name, t)),
      outputs: (p.outputs ?? []).map((t) => kafkaTopicName(name, t)),
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(BINDINGS_CONFIGMAP, instanceNamespace(landscape, name), labels(landscape, name)),
    data: {
      'bootstrap-servers': bootstrapServers.join(','),
      'bindings.json': `${JSON.stringify({ topics, processes }, null, 2)}\n`,
    },
  } as KubeObject;
}

/** Every object of the instance, the namespace first. */
export function desiredObjects(inputs: DesiredInputs): KubeObject[] {
  const { app, landscape, kafka, pullSecret } = inputs;
  const name = app.metadata?.name ?? '';
  const ns = instanceNamespace(landscape, name);
  const l = labels(landscape, name);
  const out: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: l } }];
  const copySecret = (s: Secret, newName = s.metadata?.name ?? ''): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(newName, ns, l),
      type: s.type,
      data: { ...(s.data ?? {}) },
    }) as KubeObject;
  if (pullSecret) out.push(copySecret(pullSecret, PULL_SECRET));
  out.push({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(name, ns, l),
    ...(pullSecret ? { imagePullSecrets: [{ name: PULL_SECRET }] } : {}),
  } as KubeObject);
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(NETWORK_POLICY, ns, l),
    // Every pod of the instance; ingress only from pods of the same namespace (= instance).
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  } as KubeObject);
  out.push(bindingsFor(app, landscape, kafka.bootstrapServers));
  for (const s of kafka.secrets) out.push(copySecret(s));
  out.push({
    apiVersion: 'kafka.sdm.dev/v1alpha1',
    kind: 'KafkaConnection',
    metadata: meta(kafka.cluster, ns, l),
    spec: kafka.connection,
  } as KubeObject);
  for (const t of app.spec.topics) out.push(kafkaTopicFor(app, landscape, t));
  for (const p of app.spec.processes) out.push(deploymentFor(app, landscape, p, kafka.bootstrapServers));
  return out;
}

/**
 * Objects of ours (of one kind) that the spec no longer asks for: removed
 * processes' Deployments, removed topics' KafkaTopics.
 */
export function prunable(
  desired: readonly KubeObject[],
  existing: readonly KubeObject[],
  landscape: string,
  application: string,
): KubeObject[] {
  const want = new Set(desired.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
  return existing.filter(
    (o) =>
      o.metadata?.labels?.[LANDSCAPE_LABEL] === landscape &&
      o.metadata?.labels?.[APPLICATION_LABEL] === application &&
      !want.has(`${o.metadata?.namespace}/${o.metadata?.name}`),
  );
}
