// Wiring of the StreamingApplication controller. It serves the applications
// of one landscape only (seed 004: the namespace named by OPERATOR_NAME), so
// a developer's operator and the landscape's operator on one cluster never
// touch each other's instances: every informer is scoped to the landscape
// (its namespace, or the landscape label on the instance objects). A
// reconcile resolves the Kafka cluster, asks desired.ts for the instance's
// objects, applies those that differ, prunes removed processes and topics,
// reads the consumer lag and writes status only if it changed.
import type { KafkaConnection } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { KafkaConnectionKind } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import type { KafkaTopic } from '../../apis/kafka.strimzi.io/schema.ts';
import { KafkaTopicV1beta2Kind } from '../../apis/kafka.strimzi.io/v1beta2/kafkatopic.ts';
import {
  type StreamingApplication,
  StreamingApplicationKind,
} from '../../apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import {
  AdminPool,
  describeKafkaError,
  describeTarget,
  fromKafkaConnection,
  fromKoperatorCluster,
  isUnreachable,
  type KafkaTarget,
  type KoperatorKafkaCluster,
  secretsOf,
  targetKey,
} from '../../kafka/index.ts';
import {
  applyIfChanged,
  ConfigMaps,
  type Controller,
  closeOnStop,
  type EventRecorder,
  ensureFinalizer,
  hasFinalizer,
  type Informer,
  isBeingDeleted,
  isForbidden,
  isNotFound,
  type Kind,
  type KubeObject,
  kind,
  type Manager,
  Namespaces,
  NoKindMatchError,
  type ReconcileContext,
  type ReconcileResult,
  type Request,
  removeFinalizer,
  type Secret,
  Secrets,
  writeStatusIfChanged,
} from '../../kube/index.ts';
import { KoperatorKafkaClusters } from '../kafkatopic/resolver.ts';
import {
  APPLICATION_LABEL,
  consumerGroup,
  desiredObjects,
  FINALIZER,
  instanceNamespace,
  type KafkaBinding,
  kafkaTopicName,
  LANDSCAPE_LABEL,
  PULL_SECRET,
  prunable,
} from './desired.ts';
import { readLag } from './lag.ts';
import { type ObservedDeployment, type ObservedPod, statusFor } from './status.ts';
import { problemsOf } from './validate.ts';

export const Deployments = kind<ObservedDeployment>('apps/v1', 'Deployment');
export const Pods = kind<ObservedPod>('v1', 'Pod');
export const ServiceAccounts = kind<KubeObject>('v1', 'ServiceAccount');
export const NetworkPolicies = kind<KubeObject>('networking.k8s.io/v1', 'NetworkPolicy');

export interface StreamingAppOptions {
  /** The landscape: the namespace whose applications this operator serves (seed 004's OPERATOR_NAME). */
  landscape: string;
  /** How often status (pods, lag) is refreshed without an event (default 30 s). */
  resyncMs?: number;
  /** Retry period while Kafka is unknown or unreachable (default 10 s). */
  retryMs?: number;
  concurrency?: number;
  pool?: AdminPool;
}

/** Why an application cannot be run; becomes phase Failed with the message. */
class Refused extends Error {}

export function registerStreamingAppController(
  manager: Manager,
  options: StreamingAppOptions,
): { controller: Controller; pool: AdminPool } {
  const r = new StreamingAppReconciler(manager, options);
  manager.add(closeOnStop(`streamingapp-${options.landscape}-admin-pool`, r.pool));
  return { controller: r.controller, pool: r.pool };
}

class StreamingAppReconciler {
  readonly controller: Controller;
  readonly pool: AdminPool;
  private readonly manager: Manager;
  private readonly options: StreamingAppOptions;
  private readonly landscape: string;
  private readonly apps: Informer<StreamingApplication>;
  private readonly connections: Informer<KafkaConnection>;
  private readonly pullSecrets: Informer<Secret>;
  /** The instance objects, by kind: all carry the landscape label. */
  private readonly owned = new Map<string, Informer<KubeObject>>();
  private readonly events: EventRecorder;

  constructor(manager: Manager, options: StreamingAppOptions) {
    this.manager = manager;
    this.options = options;
    this.landscape = options.landscape;
    this.pool = options.pool ?? new AdminPool({ clientId: `sdm-streamingapp-${options.landscape}` });
    this.events = manager.eventRecorder('streamingapp');
    const home = { namespace: this.landscape };
    const ours = { namespace: '', labelSelector: `${LANDSCAPE_LABEL}=${this.landscape}` };
    this.apps = manager.informer(StreamingApplicationKind, home);
    this.connections = manager.informer(KafkaConnectionKind, home);
    this.pullSecrets = manager.informer(Secrets, { ...home, fieldSelector: `metadata.name=${PULL_SECRET}` });
    const toApp = (o: KubeObject): Request[] => {
      const app = o.metadata?.labels?.[APPLICATION_LABEL];
      return app ? [{ namespace: this.landscape, name: app }] : [];
    };
    const allApps = (): Request[] =>
      this.apps.list().map((a) => ({ namespace: this.landscape, name: a.metadata?.name ?? '' }));
    let b = manager
      .controller(`streamingapp-${this.landscape}`)
      .for(StreamingApplicationKind, home)
      .watches(KafkaConnectionKind, allApps, home)
      .watches(Secrets, allApps, { ...home, fieldSelector: `metadata.name=${PULL_SECRET}` });
    const kinds: Kind<KubeObject>[] = [
      Namespaces,
      Secrets,
      ServiceAccounts,
      NetworkPolicies,
      ConfigMaps,
      KafkaConnectionKind as unknown as Kind<KubeObject>,
      KafkaTopicV1beta2Kind as unknown as Kind<KubeObject>,
      Deployments,
      Pods,
    ];
    for (const k of kinds) {
      this.owned.set(k.kind, manager.informer(k, ours));
      b = b.watches(k, toApp, ours);
    }
    this.controller = b
      .withOptions({ concurrency: options.concurrency ?? 8, backoff: { baseMs: 500, maxMs: 30_000 } })
      .complete((req, ctx) => this.reconcile(req, ctx));
  }

  private ownedOf<T extends KubeObject>(k: { kind: string }, namespace: string): T[] {
    return (this.owned.get(k.kind)?.list() ?? []).filter(
      (o) =>
        o.metadata?.namespace === namespace || (k.kind === 'Namespace' && o.metadata?.name === namespace),
    ) as T[];
  }

  private current(o: KubeObject): KubeObject | undefined {
    const inf = this.owned.get(o.kind ?? '');
    const ns = o.metadata?.namespace;
    return inf?.get(ns ? { namespace: ns, name: o.metadata?.name ?? '' } : { name: o.metadata?.name ?? '' });
  }

  async reconcile(req: Request, ctx: ReconcileContext): Promise<ReconcileResult | undefined> {
    const app = this.apps.get(req);
    if (!app || req.namespace !== this.landscape) return undefined;
    const name = app.metadata?.name ?? '';
    const ns = instanceNamespace(this.landscape, name);
    const client = this.manager.client;

    if (isBeingDeleted(app)) {
      if (!hasFinalizer(app, FINALIZER)) return undefined;
      // KafkaTopics first, while the instance's KafkaConnection still resolves
      // their cluster: the topic controller finalizes them (keeping the topics
      // in Kafka unless the application asked otherwise); then the namespace.
      const topics = this.ownedOf<KafkaTopic>(KafkaTopicV1beta2Kind, ns).filter((t) => this.isOurs(t, name));
      if (topics.length > 0) {
        for (const t of topics.filter((x) => !x.metadata?.deletionTimestamp)) {
          await client.delete(
            KafkaTopicV1beta2Kind,
            { namespace: ns, name: t.metadata?.name ?? '' },
            { signal: ctx.signal },
          );
        }
        return { requeueAfter: 1_000 };
      }
      const nsObj = this.current({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      // Only a namespace of this application is ever deleted.
      if (nsObj && this.isOurs(nsObj, name) && !nsObj.metadata?.deletionTimestamp) {
        await client.delete(Namespaces, { name: ns }, { signal: ctx.signal });
        this.events.normal(app, 'InstanceDeleted', `namespace ${ns} deleted`);
      }
      await removeFinalizer(client, app, FINALIZER);
      return undefined;
    }

    const fresh = hasFinalizer(app, FINALIZER) ? app : await ensureFinalizer(client, app, FINALIZER);
    try {
      const problems = problemsOf(fresh, this.landscape);
      if (problems.length > 0) throw new Refused(problems.join('; '));
      const existingNs = this.current({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      if (!existingNs) {
        const other = await client.getIfExists(Namespaces, { name: ns }, ctx.signal);
        if (other) throw new Refused(`namespace ${ns} exists and was not made for this application`);
      } else if (existingNs.metadata?.deletionTimestamp) {
        return this.writeStatus(fresh, 'namespace is being deleted', { requeueAfter: 2_000 });
      }
      const binding = await this.resolveKafka(fresh, ctx.signal);
      const pullSecret = this.pullSecrets.get({ namespace: this.landscape, name: PULL_SECRET });
      const desired = desiredObjects({ app: fresh, landscape: this.landscape, kafka: binding, pullSecret });
      const [namespace, ...rest] = desired;
      await applyIfChanged(client, namespace!, this.current(namespace!), { signal: ctx.signal });
      const applied = await Promise.all(
        rest.map((o) => applyIfChanged(client, o, this.current(o), { signal: ctx.signal })),
      );
      // The cache lags behind our own writes: a Deployment just changed is judged as the server returned it.
      const justWritten = applied
        .filter((r) => r.changed && r.object.kind === 'Deployment')
        .map((r) => r.object as ObservedDeployment);
      // Removed processes and topics (a removed topic stays in Kafka unless the app says otherwise).
      for (const k of [Deployments, KafkaTopicV1beta2Kind] as Kind<KubeObject>[]) {
        const want = rest.filter((o) => o.kind === k.kind);
        for (const o of prunable(want, this.ownedOf(k, ns), this.landscape, name)) {
          await client.delete(k, { namespace: ns, name: o.metadata?.name ?? '' }, { signal: ctx.signal });
        }
      }
      return await this.observe(fresh, ns, binding, justWritten);
    } catch (err) {
      if (err instanceof Refused) {
        return this.writeStatus(fresh, err.message, { requeueAfter: this.options.retryMs ?? 10_000 });
      }
      throw err;
    }
  }

  private isOurs(o: KubeObject, app: string): boolean {
    return (
      o.metadata?.labels?.[LANDSCAPE_LABEL] === this.landscape &&
      o.metadata?.labels?.[APPLICATION_LABEL] === app
    );
  }

  /** Status from the caches and Kafka's offsets. */
  private async observe(
    app: StreamingApplication,
    ns: string,
    binding: KafkaBinding & { target: KafkaTarget },
    justWritten: readonly ObservedDeployment[],
  ): Promise<ReconcileResult> {
    const name = app.metadata?.name ?? '';
    const topics = this.ownedOf<KafkaTopic>(KafkaTopicV1beta2Kind, ns);
    const partitions = new Map<string, number>();
    for (const t of topics) {
      if (t.status?.partitions)
        partitions.set(t.spec?.topicName ?? t.metadata?.name ?? '', t.status.partitions);
    }
    const query = {
      processes: app.spec.processes.map((p) => ({
        name: p.name,
        group: consumerGroup(name, p.name),
        inputs: (p.inputs ?? []).map((t) => kafkaTopicName(name, t)),
      })),
      partitions,
    };
    let lag: Map<string, number> | undefined;
    let problem: string | undefined;
    const cluster = this.pool.get(binding.target);
    try {
      lag = await readLag(cluster.admin, query);
    } catch (err) {
      const why = describeKafkaError(err, secretsOf(binding.target));
      if (isUnreachable(err)) await this.pool.invalidate(targetKey(binding.target));
      problem = isUnreachable(err)
        ? `Kafka cluster ${binding.cluster} (${describeTarget(binding.target)}) is unreachable: ${why}`
        : `reading consumer lag from Kafka cluster ${binding.cluster}: ${why}`;
    }
    const written = new Map(justWritten.map((d) => [d.metadata?.name, d]));
    const cached = this.ownedOf<ObservedDeployment>(Deployments, ns);
    const deployments = [
      ...cached.map((d) => {
        const w = written.get(d.metadata?.name);
        return w && (w.metadata?.generation ?? 0) > (d.metadata?.generation ?? 0) ? w : d;
      }),
      ...justWritten.filter((w) => !cached.some((d) => d.metadata?.name === w.metadata?.name)),
    ];
    const status = statusFor(app, this.landscape, {
      problem,
      deployments,
      pods: this.ownedOf<ObservedPod>(Pods, ns),
      topics,
      lag,
    });
    await this.write(app, status);
    const retry = this.options.retryMs ?? 10_000;
    const resync = this.options.resyncMs ?? 30_000;
    return { requeueAfter: status.phase === 'Available' ? resync : Math.min(resync, retry) };
  }

  private async writeStatus(
    app: StreamingApplication,
    problem: string,
    result: ReconcileResult,
  ): Promise<ReconcileResult> {
    const ns = instanceNamespace(this.landscape, app.metadata?.name ?? '');
    const status = statusFor(app, this.landscape, {
      problem,
      deployments: this.ownedOf<ObservedDeployment>(Deployments, ns),
      pods: this.ownedOf<ObservedPod>(Pods, ns),
      topics: this.ownedOf<KafkaTopic>(KafkaTopicV1beta2Kind, ns),
    });
    await this.write(app, status);
    return result;
  }

  private async write(app: StreamingApplication, status: NonNullable<StreamingApplication['status']>) {
    const before = app.status;
    const wrote = await writeStatusIfChanged(this.manager.client, StreamingApplicationKind, app, status);
    if (wrote && status.phase === 'Failed' && status.reason !== before?.reason) {
      this.events.warning(app, 'Failed', status.reason ?? 'failed');
    } else if (wrote && status.phase === 'Available' && before?.phase !== 'Available') {
      this.events.normal(app, 'Available', `all processes ready: ${status.readyPods} pods`);
    }
  }

  /**
   * The app's Kafka cluster, as a KafkaTopic's label resolves: a KafkaConnection
   * of that name in the landscape (copied into the instance with the Secrets
   * it names, so the instance's KafkaTopics resolve the same way), else a
   * koperator KafkaCluster (its bootstrap address becomes the instance's
   * KafkaConnection).
   */
  private async resolveKafka(
    app: StreamingApplication,
    signal: AbortSignal,
  ): Promise<KafkaBinding & { target: KafkaTarget }> {
    const cluster = app.spec.kafkaCluster;
    const conn = this.connections.get({ namespace: this.landscape, name: cluster });
    if (conn) {
      const names = [
        conn.spec.tls?.caSecret?.name,
        conn.spec.tls?.clientCertSecret?.name,
        conn.spec.sasl?.credentialsSecret.name,
      ].filter((n): n is string => Boolean(n));
      const secrets: Secret[] = [];
      for (const n of new Set(names)) {
        let s: Secret | undefined;
        try {
          s = await this.manager.client.getIfExists(Secrets, { namespace: this.landscape, name: n }, signal);
        } catch (err) {
          if (isForbidden(err)) throw new Refused(`cannot read Secret ${this.landscape}/${n}: forbidden`);
          throw err;
        }
        if (s) secrets.push(s);
      }
      const resolved = fromKafkaConnection(conn, (n) => secrets.find((s) => s.metadata?.name === n));
      if (!resolved.ok) throw new Refused(resolved.message);
      return {
        cluster,
        bootstrapServers: resolved.target.bootstrapServers,
        connection: conn.spec,
        secrets,
        target: resolved.target,
      };
    }
    let kc: KoperatorKafkaCluster | undefined;
    try {
      kc = await this.manager.client.getIfExists(
        KoperatorKafkaClusters,
        { namespace: this.landscape, name: cluster },
        signal,
      );
    } catch (err) {
      if (!(err instanceof NoKindMatchError || isNotFound(err) || isForbidden(err))) throw err;
    }
    if (kc) {
      const resolved = fromKoperatorCluster(kc);
      if (!resolved.ok) throw new Refused(resolved.message);
      return {
        cluster,
        bootstrapServers: resolved.target.bootstrapServers,
        connection: { bootstrapServers: resolved.target.bootstrapServers.join(',') },
        secrets: [],
        target: resolved.target,
      };
    }
    throw new Refused(
      `unknown Kafka cluster ${cluster}: no KafkaConnection or KafkaCluster of that name in namespace ${this.landscape} (register one with: sdm kafka register ${cluster} -n ${this.landscape} --bootstrap-servers HOST:PORT)`,
    );
  }
}
