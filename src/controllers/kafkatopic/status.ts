// The status a KafkaTopic gets after a reconcile, as a pure function of what
// happened; compared with the current one so an unchanged status is never
// written (a resync with nothing to do writes nothing).
import type { KafkaTopic, KafkaTopicStatus } from '../../apis/kafka.strimzi.io/schema.ts';
import type { ObservedTopic } from '../../kafka/index.ts';
import { type Condition, conditions, jsonEqual } from '../../kube/index.ts';

export const UNMANAGED = 'Unmanaged';

export interface Outcome {
  /** Ready=True when absent. */
  problem?: { reason: string; message: string };
  /** The topic as Kafka now has it (observed or just created). */
  topic?: ObservedTopic;
  topicName: string;
  managedConfig?: string[];
}

export function readyMessage(t: ObservedTopic): string {
  return `topic ${t.name}: ${t.partitions} partition(s), replication factor ${t.replicas}`;
}

export function nextStatus(kt: KafkaTopic, o: Outcome, now?: Date): KafkaTopicStatus {
  const old = kt.status ?? {};
  const generation = kt.metadata?.generation;
  const cond = o.problem
    ? { type: conditions.Ready, status: 'False' as const, ...o.problem }
    : {
        type: conditions.Ready,
        status: 'True' as const,
        reason: 'TopicReady',
        message: o.topic ? readyMessage(o.topic) : `topic ${o.topicName}`,
      };
  const next: KafkaTopicStatus = {
    observedGeneration: generation,
    conditions: conditions.setCondition(
      conditions.removeCondition(old.conditions as Condition[] | undefined, UNMANAGED),
      cond,
      generation,
      now,
    ),
    topicName: o.topicName,
  };
  const id = o.topic?.id || old.topicId;
  if (id) next.topicId = id;
  const partitions = o.topic?.partitions ?? old.partitions;
  if (partitions !== undefined) next.partitions = partitions;
  const replicas = o.topic?.replicas ?? old.replicas;
  if (replicas !== undefined) next.replicas = replicas;
  const managed = o.managedConfig ?? old.managedConfig;
  if (managed !== undefined) next.managedConfig = managed;
  if (generation === undefined) delete next.observedGeneration;
  return next;
}

/** strimzi.io/managed: "false": only an Unmanaged condition, as Strimzi reports it. */
export function unmanagedStatus(kt: KafkaTopic, now?: Date): KafkaTopicStatus {
  const generation = kt.metadata?.generation;
  const next: KafkaTopicStatus = {
    ...(kt.status ?? {}),
    conditions: conditions.setCondition(
      conditions.removeCondition(kt.status?.conditions as Condition[] | undefined, conditions.Ready),
      {
        type: UNMANAGED,
        status: 'True',
        reason: 'ManagedFalse',
        message: 'strimzi.io/managed is "false": the topic in Kafka is neither changed nor deleted',
      },
      generation,
      now,
    ),
  };
  if (generation !== undefined) next.observedGeneration = generation;
  return next;
}

export function statusChanged(kt: KafkaTopic, next: KafkaTopicStatus): boolean {
  const old = kt.status ?? {};
  const { conditions: oc, ...orest } = old;
  const { conditions: nc, ...nrest } = next;
  return (
    !conditions.conditionsEqual(oc as Condition[] | undefined, nc as Condition[] | undefined) ||
    !jsonEqual(orest, nrest)
  );
}
