// What a KafkaTopic asks of Kafka, as pure functions: the topic's name, its
// config as Kafka strings, who owns a topic two resources name, and the plan
// that takes the topic as Kafka describes it to what the spec says.
import {
  DELETION_POLICY_ANNOTATION,
  type KafkaTopic,
  MANAGED_ANNOTATION,
} from '../../apis/kafka.strimzi.io/schema.ts';
import type { ConfigChange, NewTopic, ObservedTopic } from '../../kafka/index.ts';

/** Ours; Strimzi's finalizer (strimzi.io/topic-operator) is left to Strimzi. */
export const FINALIZER = 'kafka.sdm.dev/topic';

export function topicNameOf(kt: KafkaTopic): string {
  return kt.spec?.topicName || kt.metadata?.name || '';
}

/** strimzi.io/managed: "false" stops management altogether. */
export function isManaged(kt: KafkaTopic): boolean {
  return kt.metadata?.annotations?.[MANAGED_ANNOTATION] !== 'false';
}

/** kafka.sdm.dev/deletion-policy: retain keeps the topic in Kafka when the resource goes. */
export function retainOnDelete(kt: KafkaTopic): boolean {
  return kt.metadata?.annotations?.[DELETION_POLICY_ANNOTATION]?.toLowerCase() === 'retain';
}

/** Kafka's own topics (__consumer_offsets, __transaction_state, __cluster_metadata, ...). */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

export type ConfigResult = { ok: true; config: Record<string, string> } | { ok: false; message: string };

/** spec.config as Kafka wants it: strings; lists joined with commas (as Strimzi does). */
export function configStrings(config: Record<string, unknown> | undefined): ConfigResult {
  const out: Record<string, string> = {};
  const bad: string[] = [];
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  for (const [k, v] of Object.entries(config ?? {})) {
    if (scalar(v)) out[k] = String(v);
    else if (Array.isArray(v) && v.every(scalar)) out[k] = v.map(String).join(',');
    else bad.push(k);
  }
  if (bad.length > 0) {
    return {
      ok: false,
      message: `spec.config ${bad.join(', ')}: values must be strings, numbers, booleans or lists of them`,
    };
  }
  return { ok: true, config: out };
}

/**
 * Older first: creationTimestamp; within the same second (its resolution),
 * the one already managing the topic (it holds our finalizer, which only an
 * owner gets), then the lower uid.
 */
export function olderFirst(a: KafkaTopic, b: KafkaTopic): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return Date.parse(ta) - Date.parse(tb);
  const ia = a.metadata?.finalizers?.includes(FINALIZER) ? 0 : 1;
  const ib = b.metadata?.finalizers?.includes(FINALIZER) ? 0 : 1;
  if (ia !== ib) return ia - ib;
  const ua = a.metadata?.uid ?? '';
  const ub = b.metadata?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** The KafkaTopic that keeps a Kafka topic several resources name: the oldest. */
export function ownerOf(contenders: readonly KafkaTopic[]): KafkaTopic | undefined {
  return [...contenders].sort(olderFirst)[0];
}

export interface Refusal {
  reason: string;
  message: string;
}

export interface TopicPlan {
  create?: NewTopic;
  /** The partition count to grow to. */
  partitions?: number;
  config?: ConfigChange;
  /** What the spec asks that is not done, and why (Kafka left untouched for it). */
  refusals: Refusal[];
  /** Config keys we manage once the plan is carried out. */
  managedConfig: string[];
}

/**
 * From the topic as Kafka has it (undefined: it does not exist) to the spec.
 * Only keys in spec.config, and keys we set before that left it, are touched:
 * other dynamic configs of an adopted topic stay as they are.
 */
export function planTopic(
  kt: KafkaTopic,
  desiredConfig: Record<string, string>,
  observed: ObservedTopic | undefined,
): TopicPlan {
  const name = topicNameOf(kt);
  const managedConfig = Object.keys(desiredConfig).sort();
  if (!observed) {
    return {
      create: {
        name,
        partitions: kt.spec?.partitions ?? -1,
        replicas: kt.spec?.replicas ?? -1,
        config: desiredConfig,
      },
      refusals: [],
      managedConfig,
    };
  }
  const plan: TopicPlan = { refusals: [], managedConfig };
  const wantPartitions = kt.spec?.partitions;
  if (wantPartitions !== undefined && wantPartitions > observed.partitions) plan.partitions = wantPartitions;
  if (wantPartitions !== undefined && wantPartitions < observed.partitions) {
    plan.refusals.push({
      reason: 'NotSupported',
      message: `spec.partitions ${wantPartitions} is less than the ${observed.partitions} partitions of topic ${name}: Kafka cannot remove partitions, the topic is left with ${observed.partitions}`,
    });
  }
  const wantReplicas = kt.spec?.replicas;
  if (wantReplicas !== undefined && observed.replicas > 0 && wantReplicas !== observed.replicas) {
    plan.refusals.push({
      reason: 'NotSupported',
      message: `spec.replicas ${wantReplicas} differs from the replication factor ${observed.replicas} of topic ${name}: changing it needs a partition reassignment, which sdm's Kafka client cannot request; reassign with kafka-reassign-partitions.sh, or set spec.replicas back to ${observed.replicas}`,
    });
  }
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(desiredConfig)) if (observed.config[k] !== v) set[k] = v;
  const previously = kt.status?.managedConfig ?? [];
  const del = previously.filter((k) => !(k in desiredConfig) && k in observed.config).sort();
  if (Object.keys(set).length > 0 || del.length > 0) plan.config = { set, delete: del };
  return plan;
}

/** Whether a plan would write anything to Kafka. */
export function planWrites(plan: TopicPlan): boolean {
  return Boolean(plan.create || plan.partitions !== undefined || plan.config);
}
