// Batched topic operations on one Kafka cluster. Each method takes one topic
// and resolves with that topic's own outcome; calls made together travel in
// one admin request (batcher.ts). Kafka's per-topic refusals come back as
// KafkaItemError values, not exceptions: only "no answer at all" throws.
import type { Admin } from '@platformatic/kafka';
import { Batcher } from './batcher.ts';
import { kafkaClient } from './client.ts';
import { itemErrors, type KafkaItemError, responseList } from './errors.ts';

/** A topic as Kafka describes it. */
export interface ObservedTopic {
  name: string;
  id: string;
  partitions: number;
  /** Replication factor of partition 0 (all partitions of a topic made by us share it). */
  replicas: number;
  /** Configs set on the topic itself (source DYNAMIC_TOPIC_CONFIG), not defaults. */
  config: Record<string, string>;
}

export interface NewTopic {
  name: string;
  /** -1: the broker's default. */
  partitions: number;
  replicas: number;
  config: Record<string, string>;
}

export interface ConfigChange {
  set: Record<string, string>;
  delete: string[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: KafkaItemError };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const refused = <T>(error: KafkaItemError): Outcome<T> => ({ ok: false, error });

export class TopicOperations {
  private readonly observeBatch: Batcher<string, ObservedTopic | undefined>;
  private readonly createBatch: Batcher<NewTopic, Outcome<ObservedTopic>>;
  private readonly partitionsBatch: Batcher<{ name: string; count: number }, Outcome<void>>;
  private readonly configBatch: Batcher<{ name: string; change: ConfigChange }, Outcome<void>>;
  private readonly deleteBatch: Batcher<string, Outcome<void>>;
  /** Admin requests sent (by operation), for tests and the bench's "no writes" check. */
  readonly requests = { observe: 0, create: 0, createPartitions: 0, alterConfigs: 0, delete: 0 };

  private readonly admin: Admin;

  constructor(admin: Admin, batchWaitMs = 5) {
    this.admin = admin;
    const o = { maxWaitMs: batchWaitMs };
    this.observeBatch = new Batcher((names) => this.observeMany(names), { ...o, maxBatch: 1000 });
    this.createBatch = new Batcher((topics) => this.createMany(topics), o);
    this.partitionsBatch = new Batcher((items) => this.createPartitionsMany(items), o);
    this.configBatch = new Batcher((items) => this.alterConfigsMany(items), o);
    this.deleteBatch = new Batcher((names) => this.deleteMany(names), o);
  }

  /** The topic as Kafka has it, or undefined when it does not exist. */
  observe(name: string): Promise<ObservedTopic | undefined> {
    return this.observeBatch.call(name);
  }

  create(topic: NewTopic): Promise<Outcome<ObservedTopic>> {
    return this.createBatch.call(topic);
  }

  createPartitions(name: string, count: number): Promise<Outcome<void>> {
    return this.partitionsBatch.call({ name, count });
  }

  /** incrementalAlterConfigs: sets and deletes exactly the keys given, nothing else. */
  alterConfigs(name: string, change: ConfigChange): Promise<Outcome<void>> {
    return this.configBatch.call({ name, change });
  }

  /** Deletes the topic; a topic already gone counts as deleted. */
  delete(name: string): Promise<Outcome<void>> {
    return this.deleteBatch.call(name);
  }

  private async observeMany(names: string[]): Promise<(ObservedTopic | undefined)[]> {
    this.requests.observe++;
    const existing = await this.topicNames();
    const wanted = [...new Set(names.filter((n) => existing.has(n)))];
    const found = new Map<string, ObservedTopic>();
    if (wanted.length > 0) {
      const [shapes, configs] = await Promise.all([this.shapes(wanted), this.dynamicConfigs(wanted)]);
      for (const name of wanted) {
        const shape = shapes.get(name);
        const config = configs.get(name);
        if (shape && config) found.set(name, { name, ...shape, config });
      }
    }
    return names.map((n) => found.get(n));
  }

  /** Every topic's name (internal ones included), even while some partition has no leader. */
  private async topicNames(): Promise<Set<string>> {
    try {
      return new Set(await this.admin.listTopics({ includeInternals: true }));
    } catch (err) {
      const topics = responseList(err, 'topics');
      if (!topics) throw err;
      return new Set(
        topics
          .filter((t) => Number(t.errorCode ?? 0) === 0 && typeof t.name === 'string')
          .map((t) => String(t.name)),
      );
    }
  }

  /**
   * Id, partition count and replication factor per topic. A partition without
   * a leader (its only broker is down) makes the client reject the whole
   * answer; the answer is still there, and says all we need about each topic.
   */
  private async shapes(names: string[]): Promise<Map<string, Omit<ObservedTopic, 'name' | 'config'>>> {
    const out = new Map<string, Omit<ObservedTopic, 'name' | 'config'>>();
    try {
      const metadata = await this.admin.metadata({ topics: [...names], forceUpdate: true });
      for (const name of names) {
        const md = metadata.topics.get(name);
        if (md)
          out.set(name, {
            id: md.id ?? '',
            partitions: md.partitionsCount,
            replicas: md.partitions[0]?.replicas.length ?? 0,
          });
      }
      return out;
    } catch (err) {
      const topics = responseList(err, 'topics');
      if (!topics) throw err;
      for (const t of topics) {
        if (Number(t.errorCode ?? 0) !== 0 || typeof t.name !== 'string') continue;
        const partitions = (Array.isArray(t.partitions) ? t.partitions : []) as Record<string, unknown>[];
        const first = partitions.find((p) => Number(p.partitionIndex) === 0) ?? partitions[0];
        out.set(t.name, {
          id: typeof t.topicId === 'string' ? t.topicId : '',
          partitions: partitions.length,
          replicas: Array.isArray(first?.replicaNodes) ? first.replicaNodes.length : 0,
        });
      }
      return out;
    }
  }

  /** Configs set on each topic itself (source DYNAMIC_TOPIC_CONFIG); topics Kafka refused to describe are left out. */
  private async dynamicConfigs(names: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    const { ConfigResourceTypes, ConfigSources } = kafkaClient();
    const take = (
      resourceName: string,
      configs: { name: string; value?: string | null; configSource: number }[],
    ) => {
      const config: Record<string, string> = {};
      for (const c of configs) {
        if (c.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG && typeof c.value === 'string')
          config[c.name] = c.value;
      }
      out.set(resourceName, config);
    };
    try {
      const described = await this.admin.describeConfigs({
        resources: names.map((n) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName: n })),
      });
      for (const d of described) take(d.resourceName, d.configs);
    } catch (err) {
      const results = responseList(err, 'results');
      if (!results) throw err;
      for (const r of results) {
        if (Number(r.errorCode ?? 0) === 0 && Array.isArray(r.configs))
          take(String(r.resourceName), r.configs as never);
      }
    }
    return out;
  }

  private async createMany(topics: NewTopic[]): Promise<Outcome<ObservedTopic>[]> {
    // CreateTopics carries one config list for the whole request: one request per distinct config.
    const groups = new Map<string, NewTopic[]>();
    for (const t of topics) {
      const key = JSON.stringify(Object.entries(t.config).sort());
      groups.set(key, [...(groups.get(key) ?? []), t]);
    }
    const results = new Map<string, Outcome<ObservedTopic>>();
    await Promise.all(
      [...groups.values()].map(async (group) => {
        this.requests.create++;
        const config = group[0]!.config;
        try {
          const created = await this.admin.createTopics({
            topics: group.map((t) => ({ topic: t.name, partitions: t.partitions, replicas: t.replicas })),
            configs: Object.entries(config).map(([name, value]) => ({ name, value })),
          });
          for (const c of created) {
            results.set(
              c.name,
              ok({ name: c.name, id: c.id, partitions: c.partitions, replicas: c.replicas, config }),
            );
          }
        } catch (err) {
          const perTopic = itemErrors(err, 'topics');
          if (!perTopic) throw err;
          for (const t of group) {
            const e = perTopic.get(t.name);
            // Created in the same request as a refused one: observe it to learn its id.
            results.set(t.name, e ? refused(e) : ok({ ...t, id: '', config }));
          }
        }
      }),
    );
    return topics.map(
      (t) => results.get(t.name) ?? refused({ code: 'UNKNOWN', message: 'no answer for this topic' }),
    );
  }

  private createPartitionsMany(items: { name: string; count: number }[]): Promise<Outcome<void>[]> {
    return inRounds(items, (round) => this.createPartitionsRound(round));
  }

  private async createPartitionsRound(items: { name: string; count: number }[]): Promise<Outcome<void>[]> {
    this.requests.createPartitions++;
    try {
      await this.admin.createPartitions({ topics: items.map((i) => ({ name: i.name, count: i.count })) });
      return items.map(() => ok(undefined));
    } catch (err) {
      const perTopic = itemErrors(err, 'results');
      if (!perTopic) throw err;
      return items.map((i) => {
        const e = perTopic.get(i.name);
        return e ? refused(e) : ok(undefined);
      });
    }
  }

  private alterConfigsMany(items: { name: string; change: ConfigChange }[]): Promise<Outcome<void>[]> {
    return inRounds(items, (round) => this.alterConfigsRound(round));
  }

  private async alterConfigsRound(items: { name: string; change: ConfigChange }[]): Promise<Outcome<void>[]> {
    this.requests.alterConfigs++;
    const { ConfigResourceTypes, IncrementalAlterConfigOperationTypes } = kafkaClient();
    try {
      await this.admin.incrementalAlterConfigs({
        resources: items.map((i) => ({
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: i.name,
          configs: [
            ...Object.entries(i.change.set).map(([name, value]) => ({
              name,
              value,
              configOperation: IncrementalAlterConfigOperationTypes.SET,
            })),
            ...i.change.delete.map((name) => ({
              name,
              configOperation: IncrementalAlterConfigOperationTypes.DELETE,
            })),
          ],
        })),
      });
      return items.map(() => ok(undefined));
    } catch (err) {
      const perTopic = itemErrors(err, 'responses', 'resourceName');
      if (!perTopic) throw err;
      return items.map((i) => {
        const e = perTopic.get(i.name);
        return e ? refused(e) : ok(undefined);
      });
    }
  }

  private async deleteMany(names: string[]): Promise<Outcome<void>[]> {
    this.requests.delete++;
    const unique = [...new Set(names)];
    try {
      await this.admin.deleteTopics({ topics: unique });
      return names.map(() => ok(undefined));
    } catch (err) {
      const perTopic = itemErrors(err, 'responses');
      if (!perTopic) throw err;
      return names.map((n) => {
        const e = perTopic.get(n);
        return e && e.code !== 'UNKNOWN_TOPIC_OR_PARTITION' && e.code !== 'UNKNOWN_TOPIC_ID'
          ? refused(e)
          : ok(undefined);
      });
    }
  }
}

/**
 * Kafka refuses a whole request that names one topic twice ("Each resource
 * must appear at most once"): items for the same topic go in successive
 * requests, in the order they were asked for.
 */
export async function inRounds<I extends { name: string }, O>(
  items: I[],
  run: (round: I[]) => Promise<O[]>,
): Promise<O[]> {
  const out: O[] = new Array(items.length);
  let left = items.map((item, i) => ({ item, i }));
  while (left.length > 0) {
    const seen = new Set<string>();
    const round: { item: I; i: number }[] = [];
    const later: { item: I; i: number }[] = [];
    for (const x of left) {
      if (seen.has(x.item.name)) later.push(x);
      else {
        seen.add(x.item.name);
        round.push(x);
      }
    }
    const results = await run(round.map((x) => x.item));
    round.forEach((x, k) => {
      out[x.i] = results[k] as O;
    });
    left = later;
  }
  return out;
}
