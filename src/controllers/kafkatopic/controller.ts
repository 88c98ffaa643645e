// Wiring of the KafkaTopic controller: informers on KafkaTopics (indexed by
// topic name, for conflicts), KafkaConnections and the KafkaTopic CRD feed
// one work queue keyed by KafkaTopic. A reconcile resolves the Kafka cluster,
// observes the topic through the pooled, batched admin client, asks
// desired.ts for a plan, carries it out and writes status only if it changed.
import type { KafkaConnection } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { KafkaConnectionKind } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { CLUSTER_LABEL, type KafkaTopic } from '../../apis/kafka.strimzi.io/schema.ts';
import { KafkaTopicV1beta2Kind } from '../../apis/kafka.strimzi.io/v1beta2/kafkatopic.ts';
import {
  AdminPool,
  clusterKey,
  describeKafkaError,
  describeTarget,
  isUnreachable,
  type KafkaTarget,
  type ObservedTopic,
  type PooledCluster,
  secretsOf,
  targetKey,
} from '../../kafka/index.ts';
import {
  type Controller,
  closeOnStop,
  type EventRecorder,
  ensureFinalizer,
  hasFinalizer,
  type Informer,
  isBeingDeleted,
  isNotFound,
  jsonEqual,
  type KubeObject,
  kind,
  type Manager,
  type Predicate,
  type ReconcileContext,
  type ReconcileResult,
  type Request,
  removeFinalizer,
  writeStatusIfChanged,
} from '../../kube/index.ts';
import { registerConnectionStatus } from './connection-status.ts';
import {
  configStrings,
  FINALIZER,
  isInternalTopic,
  isManaged,
  ownerOf,
  planTopic,
  retainOnDelete,
  topicNameOf,
} from './desired.ts';
import { KAFKATOPIC_CRD, strimziOwnership } from './ownership.ts';
import { TargetResolver } from './resolver.ts';
import { nextStatus, type Outcome, statusChanged, unmanagedStatus } from './status.ts';

export const CustomResourceDefinitions = kind<KubeObject>(
  'apiextensions.k8s.io/v1',
  'CustomResourceDefinition',
);

export interface KafkaTopicOptions {
  /** How often a Ready topic is compared with Kafka again (default 5 min). */
  resyncMs?: number;
  /** Parallel reconciles (default 256): they share batched admin requests, so more means bigger batches. */
  concurrency?: number;
  /** Retry backoff cap while Kafka is unreachable (default 30 s). */
  maxBackoffMs?: number;
  /** Retry period while the cluster cannot be resolved (default 30 s). */
  retryMs?: number;
  pool?: AdminPool;
}

const BY_TOPIC = 'topicName';

/**
 * What a reconcile acts on: the spec (generation), labels, annotations and
 * deletion. Status writes (ours) and our finalizer do not call for another
 * pass: the periodic resync compares with Kafka anyway.
 */
export const topicChanged: Predicate<KafkaTopic> = (e) => {
  if (e.type !== 'update' || !e.old) return true;
  const a = e.old.metadata;
  const b = e.object.metadata;
  return (
    a?.generation !== b?.generation ||
    Boolean(a?.deletionTimestamp) !== Boolean(b?.deletionTimestamp) ||
    !jsonEqual(a?.labels ?? {}, b?.labels ?? {}) ||
    !jsonEqual(a?.annotations ?? {}, b?.annotations ?? {})
  );
};

/** Registers the KafkaTopic controller on the manager; returns it and its pool. */
export function registerKafkaTopicController(
  manager: Manager,
  options: KafkaTopicOptions = {},
): { controller: Controller; pool: AdminPool } {
  const r = new KafkaTopicReconciler(manager, options);
  registerConnectionStatus(manager, r.connections, r.pool, {
    resyncMs: options.resyncMs ?? 300_000,
    retryMs: options.retryMs ?? 30_000,
  });
  // Admin clients hold sockets: closed when the manager stops (on every replica).
  manager.add(closeOnStop('kafkatopic-admin-pool', r.pool));
  return { controller: r.controller, pool: r.pool };
}

class KafkaTopicReconciler {
  readonly controller: Controller;
  readonly pool: AdminPool;
  private readonly manager: Manager;
  private readonly options: KafkaTopicOptions;
  private readonly topics: Informer<KafkaTopic>;
  readonly connections: Informer<KafkaConnection>;
  private readonly crd: Informer<KubeObject>;
  private readonly resolver: TargetResolver;
  private readonly events: EventRecorder;
  private strimziReason: string | undefined;

  constructor(manager: Manager, options: KafkaTopicOptions) {
    this.manager = manager;
    this.options = options;
    this.pool = options.pool ?? new AdminPool();
    const all = { namespace: '' };
    this.topics = manager.informer(KafkaTopicV1beta2Kind, {
      ...all,
      indexers: { [BY_TOPIC]: (kt: KafkaTopic) => [topicNameOf(kt)] },
    });
    this.connections = manager.informer(KafkaConnectionKind, all);
    const crdScope = { ...all, fieldSelector: `metadata.name=${KAFKATOPIC_CRD}` };
    this.crd = manager.informer(CustomResourceDefinitions, crdScope);
    this.resolver = new TargetResolver(manager.client, this.connections);
    this.events = manager.eventRecorder('kafkatopic');
    this.crd.addHandler({
      onAdd: (crd) => this.onCrd(crd),
      onUpdate: (_old, crd) => this.onCrd(crd),
      onDelete: () => this.onCrd(undefined),
    });
    this.controller = manager
      .controller('kafkatopic')
      .for(KafkaTopicV1beta2Kind, { ...all, predicates: [topicChanged] })
      // Another resource naming the same topic appeared, changed or went: the others re-decide who owns it.
      .watches(KafkaTopicV1beta2Kind, (kt) => this.peersOf(kt), { ...all, predicates: [topicChanged] })
      .watches(KafkaConnectionKind, (c) => this.topicsOfConnection(c), all)
      .withOptions({
        concurrency: options.concurrency ?? 256,
        backoff: { baseMs: 500, maxMs: options.maxBackoffMs ?? 30_000 },
      })
      .complete((req, ctx) => this.reconcile(req, ctx));
  }

  private onCrd(crd: KubeObject | undefined): void {
    const reason = strimziOwnership(crd);
    if (reason === this.strimziReason) return;
    const wasOff = this.strimziReason !== undefined;
    this.strimziReason = reason;
    if (reason) {
      this.manager.log.warn({ crd: KAFKATOPIC_CRD }, reason);
      if (crd) this.events.warning(crd, 'ControllerDisabled', reason);
    } else if (wasOff) {
      this.manager.log.info(
        { crd: KAFKATOPIC_CRD },
        "the KafkaTopic CRD is no longer Strimzi's: sdm serves KafkaTopics",
      );
      for (const kt of this.topics.list()) this.controller.enqueue(keyOf(kt));
    }
  }

  private peersOf(kt: KafkaTopic): Request[] {
    return this.topics
      .byIndex(BY_TOPIC, topicNameOf(kt))
      .filter((p) => p.metadata?.uid !== kt.metadata?.uid)
      .map(keyOf);
  }

  private topicsOfConnection(c: KafkaConnection): Request[] {
    const ns = c.metadata?.namespace;
    this.resolver.forget(ns);
    return this.topics
      .list()
      .filter(
        (kt) => kt.metadata?.namespace === ns && kt.metadata?.labels?.[CLUSTER_LABEL] === c.metadata?.name,
      )
      .map(keyOf);
  }

  async reconcile(req: Request, ctx: ReconcileContext): Promise<ReconcileResult | undefined> {
    await this.crd.waitForSync(ctx.signal);
    let kt = this.topics.get(req);
    if (!kt) return undefined;
    // Strimzi serves this CRD: touch nothing, not even our own finalizer (Strimzi would not know it).
    if (this.strimziReason) return undefined;
    const client = this.manager.client;
    const deleting = isBeingDeleted(kt);
    if (deleting && !hasFinalizer(kt, FINALIZER)) return undefined;

    if (!isManaged(kt)) {
      if (hasFinalizer(kt, FINALIZER)) kt = await removeFinalizer(client, kt, FINALIZER);
      if (kt && !deleting) await this.writeStatus(kt, unmanagedStatus(kt), ctx);
      return undefined;
    }

    const name = topicNameOf(kt);
    const done = async () => {
      if (kt) await removeFinalizer(client, kt, FINALIZER);
      return undefined;
    };
    const problem = (reason: string, message: string) =>
      this.report(kt!, { topicName: name, problem: { reason, message } }, ctx);

    if (isInternalTopic(name)) {
      if (deleting) return done();
      await problem(
        'InvalidResource',
        `${name} is one of Kafka's internal topics, which Kafka manages itself; sdm refuses to manage it`,
      );
      return undefined;
    }
    const previousName = kt.status?.topicName;
    if (previousName && previousName !== name && !deleting) {
      await problem(
        'NotSupported',
        `spec.topicName cannot change (was ${previousName}, now ${name}): Kafka cannot rename topics; set it back, or create a new KafkaTopic`,
      );
      return undefined;
    }
    const config = configStrings(kt.spec?.config as Record<string, unknown> | undefined);
    if (!config.ok && !deleting) {
      await problem('InvalidResource', config.message);
      return undefined;
    }

    // A topic kept in Kafka needs no Kafka to let its resource go.
    if (deleting && retainOnDelete(kt)) return done();
    const resolved = await this.resolver.resolve(kt);
    const retry = { requeueAfter: this.options.retryMs ?? 30_000 };
    if (deleting && !resolved.ok && resolved.reason === 'KafkaNotFound') {
      // The cluster's reference went first (a namespace being deleted takes
      // the KafkaConnection with it). Holding the finalizer would block the
      // namespace forever; letting go keeps the data: the topic stays in Kafka.
      this.events.warning(
        kt,
        'TopicLeftInKafka',
        `topic ${name} was left in Kafka: ${resolved.message.split(';')[0]}, so it cannot be deleted there`,
      );
      return done();
    }
    if (!resolved.ok) {
      await problem(
        resolved.reason,
        deleting ? `cannot delete topic ${name}: ${resolved.message}` : resolved.message,
      );
      return retry;
    }
    const target = resolved.target;

    // Several resources for one topic on one cluster: the oldest keeps it.
    const contenders = [kt];
    for (const p of this.topics.byIndex(BY_TOPIC, name)) {
      if (p.metadata?.uid === kt.metadata?.uid || !isManaged(p)) continue;
      const other = await this.resolver.resolve(p);
      if (other.ok && clusterKey(other.target) === clusterKey(target)) contenders.push(p);
    }
    const owner = ownerOf(contenders)!;
    if (owner.metadata?.uid !== kt.metadata?.uid) {
      if (deleting) return done();
      await problem(
        'ResourceConflict',
        `Kafka topic ${name} is managed by KafkaTopic ${owner.metadata?.namespace}/${owner.metadata?.name}, which is older`,
      );
      return undefined;
    }

    const cluster = this.pool.get(target);
    try {
      if (deleting) {
        const out = await cluster.topics.delete(name);
        if (!out.ok) {
          await problem('KafkaError', `cannot delete topic ${name}: ${out.error.message}`);
          return retry;
        }
        ctx.log.info({ topic: name }, 'deleted topic in Kafka');
        this.events.normal(kt, 'TopicDeleted', `deleted topic ${name} in Kafka`);
        return done();
      }
      // The finalizer is in place before anything is created; looking at Kafka need not wait for it.
      const [withFinalizer, observed] = await Promise.all([
        ensureFinalizer(client, kt, FINALIZER),
        cluster.topics.observe(name),
      ]);
      kt = withFinalizer;
      const outcome = await this.converge(kt, name, config.ok ? config.config : {}, observed, cluster, ctx);
      await this.report(kt, outcome, ctx);
      if (outcome.problem && !outcome.topic?.id) return retry;
      if (outcome.topic && !outcome.topic.id) return { requeueAfter: 1000 };
      return { requeueAfter: this.options.resyncMs ?? 300_000 };
    } catch (err) {
      if (isNotFound(err)) return undefined; // the resource went meanwhile
      return this.kafkaFailed(kt, name, target, cluster, err, ctx);
    }
  }

  /** Plan from what Kafka has, carry it out: the outcome to report. Throws when Kafka does not answer. */
  private async converge(
    kt: KafkaTopic,
    name: string,
    desiredConfig: Record<string, string>,
    observed: ObservedTopic | undefined,
    cluster: PooledCluster,
    ctx: ReconcileContext,
  ): Promise<Outcome> {
    const plan = planTopic(kt, desiredConfig, observed);
    const problems = [...plan.refusals];
    let topic: ObservedTopic | undefined = observed;
    if (plan.create) {
      const out = await cluster.topics.create(plan.create);
      if (!out.ok) {
        return {
          topicName: name,
          problem: {
            reason: out.error.code === 'INVALID_CONFIG' ? 'InvalidConfig' : 'KafkaError',
            message: `cannot create topic ${name}: ${out.error.message}`,
          },
        };
      }
      topic = out.value;
      ctx.log.info(
        { topic: name, partitions: topic.partitions, replicas: topic.replicas },
        'created topic in Kafka',
      );
      // No Event per creation: status says it, and 1,000 new topics would mean 1,000 Event writes.
    }
    if (topic && plan.partitions !== undefined) {
      const out = await cluster.topics.createPartitions(name, plan.partitions);
      if (out.ok) {
        this.events.normal(
          kt,
          'PartitionsIncreased',
          `topic ${name}: ${topic.partitions} -> ${plan.partitions} partitions`,
        );
        topic = { ...topic, partitions: plan.partitions };
      } else
        problems.push({
          reason: 'KafkaError',
          message: `cannot add partitions to topic ${name}: ${out.error.message}`,
        });
    }
    let managedConfig = plan.managedConfig;
    if (topic && plan.config) {
      const out = await cluster.topics.alterConfigs(name, plan.config);
      if (out.ok) {
        const keys = [...Object.keys(plan.config.set), ...plan.config.delete.map((k) => `-${k}`)];
        ctx.log.info({ topic: name, config: keys }, 'changed topic config in Kafka');
        this.events.normal(kt, 'ConfigChanged', `topic ${name}: set ${keys.join(', ')}`);
        const config = { ...topic.config, ...plan.config.set };
        for (const k of plan.config.delete) delete config[k];
        topic = { ...topic, config };
      } else {
        problems.push({
          reason: out.error.code === 'INVALID_CONFIG' ? 'InvalidConfig' : 'KafkaError',
          message: `cannot change the config of topic ${name}: ${out.error.message}`,
        });
        // Keys not applied stay managed only if they were before.
        managedConfig = [...new Set([...(kt.status?.managedConfig ?? []), ...plan.managedConfig])].sort();
      }
    }
    const outcome: Outcome = { topicName: name, managedConfig };
    if (topic) outcome.topic = topic;
    if (problems.length > 0) {
      outcome.problem = { reason: problems[0]!.reason, message: problems.map((p) => p.message).join('; ') };
    }
    return outcome;
  }

  /** Kafka did not answer: say so, drop a broken client, retry with backoff. */
  private async kafkaFailed(
    kt: KafkaTopic,
    name: string,
    target: KafkaTarget,
    cluster: PooledCluster,
    err: unknown,
    ctx: ReconcileContext,
  ): Promise<never> {
    const unreachable = isUnreachable(err);
    const detail = describeKafkaError(err, secretsOf(target));
    const message = unreachable
      ? `cannot reach Kafka at ${describeTarget(target)} (${target.source}): ${detail}`
      : `Kafka failed for topic ${name}: ${detail}`;
    if (unreachable) await this.pool.invalidate(targetKey(target));
    else if (cluster.admin.closed) await this.pool.invalidate(cluster.key);
    const current = this.topics.get(keyOf(kt)) ?? kt;
    await this.report(
      current,
      { topicName: name, problem: { reason: unreachable ? 'KafkaUnreachable' : 'KafkaError', message } },
      ctx,
    ).catch(() => {});
    // Thrown (credential-free) so the work queue retries with its backoff.
    throw new Error(message);
  }

  /** Writes the status an outcome gives, if it differs; Warning Event when a problem appears or changes. */
  private async report(kt: KafkaTopic, outcome: Outcome, ctx: ReconcileContext): Promise<void> {
    const next = nextStatus(kt, outcome);
    const oldReady = kt.status?.conditions?.find((c) => c.type === 'Ready');
    if (outcome.problem && (oldReady?.status !== 'False' || oldReady.message !== outcome.problem.message)) {
      this.events.warning(kt, outcome.problem.reason, outcome.problem.message);
    }
    await this.writeStatus(kt, next, ctx);
  }

  private async writeStatus(
    kt: KafkaTopic,
    status: KafkaTopic['status'],
    ctx: ReconcileContext,
  ): Promise<void> {
    if (!status) return;
    try {
      await writeStatusIfChanged(this.manager.client, KafkaTopicV1beta2Kind, kt, status, {
        signal: ctx.signal,
        unchanged: () => !statusChanged(kt, status),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function keyOf(kt: KubeObject): Request {
  return { namespace: kt.metadata?.namespace ?? '', name: kt.metadata?.name ?? '' };
}
