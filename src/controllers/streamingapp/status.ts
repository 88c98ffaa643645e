// The status of an application as a pure function of what was observed:
// seed 004's fields (phase Available/Processing/Failed, observedGeneration,
// reason only when Failed, the running pods' names) plus per-process ready
// and desired replicas and consumer lag, and per-topic readiness.
import type { KafkaTopic } from '../../apis/kafka.strimzi.io/schema.ts';
import type {
  Phase,
  StreamingApplication,
  StreamingApplicationStatus,
} from '../../apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import type { KubeObject } from '../../kube/index.ts';
import { consumerGroup, instanceNamespace, kafkaTopicName, PROCESS_LABEL } from './desired.ts';

export interface ObservedDeployment extends KubeObject {
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface ObservedPod extends KubeObject {
  status?: { phase?: string };
}

export interface Observed {
  /** Why the application cannot run at all (bad input, unknown or unreachable Kafka). */
  problem?: string;
  deployments: readonly ObservedDeployment[];
  pods: readonly ObservedPod[];
  topics: readonly KafkaTopic[];
  /** Lag by process name, when Kafka answered. */
  lag?: ReadonlyMap<string, number>;
}

function deploymentReady(d: ObservedDeployment | undefined, desired: number): boolean {
  if (!d) return false;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === desired &&
    (s.readyReplicas ?? 0) === desired &&
    (s.availableReplicas ?? 0) === desired &&
    (s.replicas ?? 0) === desired
  );
}

function topicReady(kt: KafkaTopic | undefined): { ready: boolean; failed?: string } {
  const c = kt?.status?.conditions?.find((x) => x.type === 'Ready');
  if (!kt || !c) return { ready: false };
  const current = (kt.status?.observedGeneration ?? 0) >= (kt.metadata?.generation ?? 0);
  if (c.status === 'True') return { ready: current };
  if (c.status === 'False' && current) return { ready: false, failed: `${c.reason}: ${c.message}` };
  return { ready: false };
}

export function statusFor(
  app: StreamingApplication,
  landscape: string,
  o: Observed,
): StreamingApplicationStatus {
  const name = app.metadata?.name ?? '';
  const generation = app.metadata?.generation;
  const byName = new Map(o.deployments.map((d) => [d.metadata?.name ?? '', d]));
  const topicsByName = new Map(o.topics.map((t) => [t.metadata?.name ?? '', t]));
  const processNames = new Set(app.spec.processes.map((p) => p.name));
  const pods = o.pods
    .filter(
      (p) =>
        p.status?.phase === 'Running' &&
        !p.metadata?.deletionTimestamp &&
        processNames.has(p.metadata?.labels?.[PROCESS_LABEL] ?? ''),
    )
    .map((p) => p.metadata?.name ?? '')
    .sort();

  let allReady = true;
  let ready = 0;
  let desired = 0;
  const failures: string[] = [];
  const processes = app.spec.processes.map((p) => {
    const want = p.replicas ?? 1;
    const d = byName.get(p.name);
    if (!deploymentReady(d, want)) allReady = false;
    const stuck = d?.status?.conditions?.find(
      (c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded',
    );
    if (stuck) failures.push(`process ${p.name}: ${stuck.message ?? stuck.reason}`);
    const r = Math.min(d?.status?.readyReplicas ?? 0, want);
    ready += r;
    desired += want;
    const lag = o.lag?.get(p.name);
    return {
      name: p.name,
      replicas: want,
      readyReplicas: d?.status?.readyReplicas ?? 0,
      consumerGroup: consumerGroup(name, p.name),
      ...(lag !== undefined ? { lag } : {}),
    };
  });
  const topics = app.spec.topics.map((t) => {
    const topicName = kafkaTopicName(name, t.name);
    const r = topicReady(topicsByName.get(topicName));
    if (!r.ready) allReady = false;
    if (r.failed) failures.push(`topic ${topicName}: ${r.failed}`);
    return { name: t.name, topicName, ready: r.ready, ...(r.failed ? { message: r.failed } : {}) };
  });

  let phase: Phase;
  let reason: string | undefined;
  if (o.problem) {
    phase = 'Failed';
    reason = o.problem;
  } else if (failures.length > 0) {
    phase = 'Failed';
    reason = failures.join('; ');
  } else phase = allReady ? 'Available' : 'Processing';

  const status: StreamingApplicationStatus = {
    phase,
    pods,
    namespace: instanceNamespace(landscape, name),
    readyPods: `${ready}/${desired}`,
    processes,
    topics,
  };
  if (generation !== undefined) status.observedGeneration = generation;
  if (reason !== undefined) status.reason = reason;
  if (o.lag) status.lag = [...o.lag.values()].reduce((a, b) => a + b, 0);
  return status;
}
