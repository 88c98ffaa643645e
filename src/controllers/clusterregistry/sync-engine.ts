// The sync engine: for every (ResourceSyncRule x eligible peer) pair it watches the rule's kind on the
// peer and keeps local copies in step, one work-queue key per source object:
//   peer event ─┐
//               ├─> key "rule~peer~namespace/name" ─> reconcileObject: mutate, write or delete locally
//   copy event ─┘   (a copy edited or deleted by hand maps back to its source, and is restored)
// The decisions (what to copy, may we write, is it up to date) are the pure functions next to this
// file; this file only does I/O and bookkeeping for the rule's status.
import {
  type Client,
  Controller,
  type EventRecorder,
  errorMessage,
  Informer,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  type Kind,
  kind,
  type Logger,
  Namespaces,
  NoKindMatchError,
  objectKey,
  type Request,
  type RuntimeMetrics,
  requestFor,
  requestKey,
} from '../../kube/index.ts';
import type { KubeObject as RuntimeObject } from '../../kube/types.ts';
import { ORIGINAL_NAME_KEY, ORIGINAL_NAMESPACE_KEY } from './constants.ts';
import { isUpToDate, statusUpToDate, withSyncHash } from './diff.ts';
import { keyToken, ownerOf, sourceKeyToken } from './markers.ts';
import { matchingRules } from './match.ts';
import type { SyncMetrics } from './metrics.ts';
import { formatGvk, mutate } from './mutate.ts';
import { canWriteLocal, shouldSyncFrom } from './ownership.ts';
import type { PeerConnection } from './peers.ts';
import type { RenderFn } from './template-data.ts';
import type { Cluster, GroupVersionKind, KubeObject, ResourceSyncRule } from './types.ts';

export type PairState = 'Syncing' | 'Synced' | 'Failed';

/**
 * A rule as the engine runs it. Built-in (core sync) rules exist only in memory: they may be limited
 * to one namespace (peers' readers can see Secrets of that namespace only), and they skip objects
 * created locally without complaint, since registering a peer by hand is the normal case there.
 */
export type EngineRule = ResourceSyncRule & { builtin?: { namespace?: string } };

/** What the engine needs from the controller around it. */
export interface EngineHost {
  /** Local writes (leader-gated). */
  client: Client;
  log: Logger;
  recorder: EventRecorder;
  metrics: SyncMetrics;
  runtimeMetrics: RuntimeMetrics;
  render: RenderFn;
  localId(): string;
  localCluster(): Cluster;
  clusterByName(name: string): Cluster | undefined;
  clusterById(id: string): Cluster | undefined;
  /** clusterIDs of every peer with a Cluster CR here: their objects are taken from them, never relayed. */
  knownPeerIds(): ReadonlySet<string>;
  /** After the manager stopped the engine (and the engine its pairs). */
  onStopped(): Promise<void>;
  /** Something a rule's status shows changed. */
  onRuleChanged(ruleName: string): void;
}

const SEP = '~';
const SOURCE_INDEX = 'source';
const OWNER_INDEX = 'owner';
/** Retry of a failed permission/kind check. */
const CHECK_RETRY_MS = 10_000;

function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

function gvkKey(k: { apiVersion: string; kind: string }): string {
  return `${k.apiVersion}|${k.kind}`;
}

function sourceKind(rule: ResourceSyncRule): Kind {
  return kind(apiVersionOf(rule.spec.groupVersionKind), rule.spec.groupVersionKind.kind);
}

/** Kinds the rule writes locally: its own, and any a mutation rewrites to. */
function targetKinds(rule: ResourceSyncRule): Kind[] {
  const out = new Map<string, Kind>();
  const src = sourceKind(rule);
  out.set(gvkKey(src), src);
  for (const r of rule.spec.rules ?? []) {
    const g = r.mutations?.groupVersionKind;
    if (g?.kind && g.version) {
      const k = kind(apiVersionOf(g), g.kind);
      out.set(gvkKey(k), k);
    }
  }
  return [...out.values()];
}

/** The source object a copy was made from, read back from its records. */
function sourceKeyOf(copy: KubeObject): { namespace: string; name: string } | undefined {
  const meta = copy.metadata ?? {};
  const fromRecord = (key: string): string | undefined => {
    const full = meta.annotations?.[key];
    if (full !== undefined) return full;
    const label = meta.labels?.[key];
    // A 40-hex label with no annotation is a hashed long value we cannot reverse.
    if (label !== undefined && /^[0-9a-f]{40}$/.test(label)) return undefined;
    return label;
  };
  const name = meta.labels?.[ORIGINAL_NAME_KEY] !== undefined ? fromRecord(ORIGINAL_NAME_KEY) : meta.name;
  const namespace =
    meta.labels?.[ORIGINAL_NAMESPACE_KEY] !== undefined ? fromRecord(ORIGINAL_NAMESPACE_KEY) : meta.namespace;
  if (!name || namespace === undefined) return name ? { name, namespace: '' } : undefined;
  return { name, namespace };
}

function describeKey(k: { namespace?: string; name?: string }): string {
  return k.namespace ? `${k.namespace}/${k.name}` : `${k.name}`;
}

interface Target {
  key: string;
  kind: Kind;
  namespace: string | undefined;
  informer: Informer<RuntimeObject>;
  refs: number;
}

/** One rule x one peer. */
export class Pair {
  readonly key: string;
  rule: EngineRule;
  readonly peer: PeerConnection;
  informer: Informer<RuntimeObject> | undefined;
  targets: Target[] = [];
  /** A problem that stops the whole pair (missing permission, unknown kind). */
  fatal = '';
  /** Per source object: why it is not synced. */
  readonly errors = new Map<string, string>();
  /** Source objects currently synced. */
  readonly synced = new Set<string>();
  lastSyncTime: string | undefined;
  namespaced = true;
  /** When a change of a source object was first seen, for the latency metric. */
  readonly seen = new Map<string, number>();
  stopped = false;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(key: string, rule: EngineRule, peer: PeerConnection) {
    this.key = key;
    this.rule = rule;
    this.peer = peer;
  }

  get state(): PairState {
    if (this.fatal) return 'Failed';
    if (!this.informer?.hasSynced() || this.targets.some((t) => !t.informer.hasSynced())) return 'Syncing';
    return this.errors.size > 0 ? 'Failed' : 'Synced';
  }

  get lastError(): string {
    if (this.fatal) return this.fatal;
    if (
      this.errors.size === 0 &&
      this.informer &&
      !this.informer.hasSynced() &&
      this.informer.stats.errors > 0
    ) {
      return `cannot list ${this.rule.spec.groupVersionKind.kind} on peer ${this.peer.name} yet`;
    }
    const first = [...this.errors.values()][0];
    if (first === undefined) return '';
    return this.errors.size > 1 ? `${first} (and ${this.errors.size - 1} more)` : first;
  }
}

export class SyncEngine {
  readonly controller: Controller;
  private readonly host: EngineHost;
  private readonly pairs = new Map<string, Pair>();
  private readonly targets = new Map<string, Target>();
  private stopped = false;

  constructor(host: EngineHost) {
    this.host = host;
    const engine = this;
    // The manager stops controllers on shutdown; the engine's own informers must stop with it.
    class EngineController extends Controller {
      override async stop(): Promise<void> {
        await super.stop();
        await engine.stop();
        await host.onStopped();
      }
    }
    this.controller = new EngineController({
      name: 'clusterregistry-sync',
      reconciler: (req) => this.reconcile(req),
      concurrency: 4,
      logger: host.log,
      metrics: host.runtimeMetrics,
      backoff: { baseMs: 200, maxMs: 30_000 },
    });
  }

  pairsFor(ruleName: string): Pair[] {
    return [...this.pairs.values()].filter((p) => p.rule.metadata.name === ruleName);
  }

  /** Makes the running pairs exactly `desired` (rule x peer). Stopped pairs leave their copies in place. */
  async update(desired: Array<{ rule: EngineRule; peer: PeerConnection }>): Promise<void> {
    if (this.stopped) return;
    const want = new Map<string, { rule: EngineRule; peer: PeerConnection }>();
    for (const d of desired) want.set(`${d.rule.metadata.name}${SEP}${d.peer.name}`, d);
    const stops: Promise<void>[] = [];
    for (const [key, pair] of this.pairs) {
      const w = want.get(key);
      const sameSource =
        w && w.peer === pair.peer && gvkKey(sourceKind(w.rule)) === gvkKey(sourceKind(pair.rule));
      const sameTargets =
        w &&
        targetKinds(w.rule).map(gvkKey).sort().join() === targetKinds(pair.rule).map(gvkKey).sort().join();
      if (!sameSource || !sameTargets) {
        this.pairs.delete(key);
        stops.push(this.stopPair(pair));
        continue;
      }
      const changed = w.rule.metadata.generation !== pair.rule.metadata.generation;
      pair.rule = w.rule;
      if (changed) this.enqueueAll(pair);
    }
    await Promise.all(stops);
    // Stopped while we waited: starting pairs now would leave informers nobody stops.
    if (this.stopped) return;
    for (const [key, w] of want) {
      if (this.pairs.has(key)) continue;
      const pair = new Pair(key, w.rule, w.peer);
      this.pairs.set(key, pair);
      void this.startPair(pair);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const pairs = [...this.pairs.values()];
    this.pairs.clear();
    await Promise.all(pairs.map((p) => this.stopPair(p)));
  }

  private async startPair(pair: Pair): Promise<void> {
    const ruleName = pair.rule.metadata.name ?? '';
    const problem = await this.check(pair).catch((err) => `permission check failed: ${errorMessage(err)}`);
    if (pair.stopped) return;
    if (problem) {
      if (pair.fatal !== problem) {
        this.host.recorder.warning(pair.rule as never, 'SyncFailed', problem);
        this.host.log.warn({ rule: ruleName, peer: pair.peer.name, problem }, 'cannot sync');
      }
      pair.fatal = problem;
      this.host.onRuleChanged(ruleName);
      pair.timer = setTimeout(() => void this.startPair(pair), CHECK_RETRY_MS);
      return;
    }
    pair.fatal = '';
    const namespace = pair.rule.builtin?.namespace;
    pair.targets = targetKinds(pair.rule).map((k) => this.acquireTarget(k, namespace));
    const informer = new Informer<RuntimeObject>(pair.peer.client, {
      kind: sourceKind(pair.rule),
      namespace,
      logger: this.host.log.child({ rule: ruleName, peer: pair.peer.name }),
      backoff: { initialMs: 500, maxMs: 10_000 },
    });
    pair.informer = informer;
    const onEvent = (o: RuntimeObject) => {
      const key = objectKey(o);
      if (!pair.seen.has(key)) pair.seen.set(key, performance.now());
      this.enqueue(pair, o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    };
    informer.addHandler({ onAdd: onEvent, onUpdate: (_o, n) => onEvent(n), onDelete: onEvent });
    informer.start();
    void Promise.all([informer.waitForSync(), ...pair.targets.map((t) => t.informer.waitForSync())]).then(
      (ok) => {
        if (pair.stopped || !ok.every(Boolean)) return;
        // Copies whose source vanished while we were not watching are found from the local side.
        this.enqueueAll(pair);
        this.host.onRuleChanged(ruleName);
      },
    );
    this.host.onRuleChanged(ruleName);
  }

  private async stopPair(pair: Pair): Promise<void> {
    pair.stopped = true;
    if (pair.timer) clearTimeout(pair.timer);
    const informer = pair.informer;
    pair.informer = undefined;
    const targets = pair.targets;
    pair.targets = [];
    await informer?.stop();
    await Promise.all(targets.map((t) => this.releaseTarget(t)));
    this.host.onRuleChanged(pair.rule.metadata.name ?? '');
  }

  private enqueueAll(pair: Pair): void {
    for (const o of pair.informer?.list() ?? [])
      this.enqueue(pair, o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    for (const t of pair.targets) {
      for (const copy of t.informer.byIndex(OWNER_INDEX, pair.peer.clusterId)) {
        const src = sourceKeyOf(copy as KubeObject);
        if (src) this.enqueue(pair, src.namespace, src.name);
      }
    }
  }

  private enqueue(pair: Pair, namespace: string, name: string): void {
    if (!name) return;
    const [rule, peer] = pair.key.split(SEP);
    this.controller.enqueue({ namespace: `${rule}${SEP}${peer}${SEP}${namespace}`, name });
  }

  private acquireTarget(k: Kind, namespace: string | undefined): Target {
    const key = `${gvkKey(k)}|${namespace ?? ''}`;
    let t = this.targets.get(key);
    if (!t) {
      const informer = new Informer<RuntimeObject>(this.host.client, {
        kind: k,
        namespace,
        // Only copies: objects created locally are none of our business until a write is attempted.
        labelSelector: 'cluster-registry.k8s.cisco.com/resource-owner-cluster-id',
        indexers: {
          [SOURCE_INDEX]: (o) => [`${ownerOf(o as KubeObject) ?? ''}\0${sourceKeyToken(o as KubeObject)}`],
          [OWNER_INDEX]: (o) => [ownerOf(o as KubeObject) ?? ''],
        },
        logger: this.host.log.child({ copies: key }),
        backoff: { initialMs: 500, maxMs: 10_000 },
      });
      const onCopy = (o: RuntimeObject) => this.copyChanged(k, o as KubeObject);
      informer.addHandler({ onUpdate: (_o, n) => onCopy(n), onDelete: onCopy });
      informer.start();
      t = { key, kind: k, namespace, informer, refs: 0 };
      this.targets.set(key, t);
    }
    t.refs++;
    return t;
  }

  private async releaseTarget(t: Target): Promise<void> {
    t.refs--;
    if (t.refs > 0) return;
    this.targets.delete(t.key);
    await t.informer.stop();
  }

  /** A copy was edited or deleted here: reconcile its source, which restores it if it drifted. */
  private copyChanged(k: Kind, copy: KubeObject): void {
    const owner = ownerOf(copy);
    const src = sourceKeyOf(copy);
    if (!owner || !src) return;
    for (const pair of this.pairs.values()) {
      if (pair.peer.clusterId !== owner || !pair.targets.some((t) => gvkKey(t.kind) === gvkKey(k))) continue;
      this.enqueue(pair, src.namespace, src.name);
    }
  }

  /** Permissions and kinds, checked before watching, so a problem is named rather than retried blindly. */
  private async check(pair: Pair): Promise<string> {
    const rule = pair.rule;
    const src = sourceKind(rule);
    const gvk = formatGvk(rule.spec.groupVersionKind);
    let peerMapping: Awaited<ReturnType<Client['mapping']>>;
    try {
      peerMapping = await pair.peer.client.mapping(src);
    } catch (err) {
      if (err instanceof NoKindMatchError)
        return `unknown kind: ${gvk} is not served by peer cluster ${pair.peer.name}`;
      return `cannot discover ${gvk} on peer cluster ${pair.peer.name}: ${errorMessage(err)}`;
    }
    pair.namespaced = peerMapping.namespaced;
    const res = `${peerMapping.resource}${peerMapping.group ? `.${peerMapping.group}` : ''}`;
    const ns = pair.rule.builtin?.namespace;
    const peerDenied = await denied(pair.peer.client, peerMapping.group, peerMapping.resource, ns, [
      'get',
      'list',
      'watch',
    ]);
    if (peerDenied.length) {
      return `missing permission on peer cluster ${pair.peer.name}: cannot ${peerDenied.join(', ')} ${res} (grant it to the reader through a ClusterRole labelled cluster-registry.k8s.cisco.com/reader-aggregated: "true")`;
    }
    const syncStatus = (rule.spec.rules ?? []).some((r) => r.mutations?.syncStatus);
    for (const k of targetKinds(rule)) {
      let m: Awaited<ReturnType<Client['mapping']>>;
      try {
        m = await this.host.client.mapping(k);
      } catch (err) {
        if (err instanceof NoKindMatchError)
          return `unknown kind: ${k.apiVersion}, Kind=${k.kind} is not served by the local cluster`;
        return `cannot discover ${k.apiVersion}, Kind=${k.kind} locally: ${errorMessage(err)}`;
      }
      const lres = `${m.resource}${m.group ? `.${m.group}` : ''}`;
      const missing = await denied(this.host.client, m.group, m.resource, ns, [
        'get',
        'list',
        'watch',
        'create',
        'update',
        'delete',
      ]);
      if (syncStatus) {
        const st = await denied(this.host.client, m.group, m.resource, ns, ['patch'], 'status');
        if (st.length) missing.push('patch status of');
      }
      if (missing.length) {
        return `missing permission on the local cluster: cannot ${missing.join(', ')} ${lres} (grant it to the controller through a ClusterRole labelled cluster-registry.k8s.cisco.com/controller-aggregated: "true")`;
      }
    }
    return '';
  }

  private async reconcile(req: Request): Promise<{ requeueAfter?: number } | undefined> {
    const [ruleName = '', peerName = '', namespace = ''] = (req.namespace ?? '').split(SEP);
    const pair = this.pairs.get(`${ruleName}${SEP}${peerName}`);
    if (!pair?.informer || pair.stopped) return;
    if (!pair.informer.hasSynced() || pair.targets.some((t) => !t.informer.hasSynced()))
      return { requeueAfter: 300 };
    const srcKey = namespace ? `${namespace}/${req.name}` : req.name;
    const srcRef = { namespace, name: req.name };
    const src = pair.informer.get(srcKey) as KubeObject | undefined;
    const started = pair.seen.get(srcKey);
    pair.seen.delete(srcKey);
    const peerId = pair.peer.clusterId;

    if (!src || src.metadata.deletionTimestamp) {
      // The source is gone: delete its copies (only those taken from this peer).
      await this.deleteCopies(pair, `${peerId}\0${keyToken(srcRef)}`, undefined, srcKey);
      this.forget(pair, srcKey);
      return;
    }
    const mutations = matchingRules(pair.rule, src, { clusterScoped: !pair.namespaced });
    const from = mutations
      ? shouldSyncFrom(src, peerId, this.host.localId(), this.host.knownPeerIds())
      : { sync: false as const };
    if (!mutations || !from.sync) {
      this.forget(pair, srcKey);
      return;
    }
    const owner = ownerOf(src);
    const result = mutate({
      ruleName,
      object: src,
      mutations,
      peer: this.host.clusterByName(peerName) ?? {
        metadata: { name: peerName },
        spec: { clusterID: peerId },
      },
      origin: owner && owner !== peerId ? this.host.clusterById(owner) : undefined,
      local: this.host.localCluster(),
      render: this.host.render,
    });
    if (!result.ok) {
      this.fail(pair, srcKey, `${describeKey(srcRef)}: ${result.error.message}`, 'InvalidMutation');
      return;
    }
    const desired = withSyncHash(result.object);
    const target = pair.targets.find(
      (t) => gvkKey(t.kind) === gvkKey({ apiVersion: desired.apiVersion, kind: desired.kind }),
    );
    if (!target) {
      this.fail(
        pair,
        srcKey,
        `${describeKey(srcRef)}: the mutation writes an unexpected kind ${desired.kind}`,
        'InvalidMutation',
      );
      return;
    }
    const localRef = requestFor(desired as RuntimeObject);
    const what = `${desired.kind} ${describeKey(localRef)}`;
    const sourceIndex = `${ownerOf(desired) ?? ''}\0${keyToken(srcRef)}`;
    try {
      const { status: _status, ...body } = desired;
      let existing = target.informer.get(localRef) as KubeObject | undefined;
      let current: KubeObject | undefined;
      let wrote = false;
      if (!existing) {
        // Not a copy we know: POST, never apply. An object that exists (made here by someone, or a
        // copy our cache has not seen yet) makes it fail with 409 rather than be taken over; we then
        // judge the object we find. Saves a GET per new copy on the common path.
        try {
          current = (await this.host.client.create(body as RuntimeObject)) as KubeObject;
          wrote = true;
          this.host.recorder.normal(
            pair.rule as never,
            'Synced',
            `created ${what} from ${describeKey(srcRef)} on ${peerName}`,
          );
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          existing = (await this.host.client.getIfExists(target.kind, localRef)) as KubeObject | undefined;
          if (!existing) throw err;
        }
      }
      if (existing) {
        const decision = canWrite(existing, desired);
        if (!decision.write && decision.quietFor && pair.rule.builtin) {
          this.forget(pair, srcKey);
          return;
        }
        if (!decision.write) {
          this.fail(
            pair,
            srcKey,
            `not writing ${what} from ${describeKey(srcRef)} on ${peerName}: ${decision.message}`,
            'SyncRefused',
          );
          return decision.retry ? { requeueAfter: 1000 } : undefined;
        }
        current = existing;
        if (!isUpToDate(existing, desired)) {
          // PUT at the version we judged: the copy is ours, so it becomes exactly the desired object
          // (fields dropped at the source go too), keeping only what others hang on it.
          const meta = existing.metadata;
          const next = {
            ...body,
            metadata: {
              ...body.metadata,
              resourceVersion: meta.resourceVersion,
              ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
              ...(meta.ownerReferences ? { ownerReferences: meta.ownerReferences } : {}),
            },
          };
          current = (await this.host.client.update(next as RuntimeObject)) as KubeObject;
          wrote = true;
        }
      }
      // A rename (template change) leaves the old copy behind: remove it.
      await this.deleteCopies(pair, sourceIndex, requestKey(localRef), srcKey);
      if (
        mutations.syncStatus &&
        Object.hasOwn(desired, 'status') &&
        current &&
        !statusUpToDate(current, desired)
      ) {
        await this.host.client.applyStatus(
          {
            apiVersion: desired.apiVersion,
            kind: desired.kind,
            metadata: {
              name: localRef.name,
              ...(localRef.namespace ? { namespace: localRef.namespace } : {}),
            },
            status: desired.status,
          } as RuntimeObject,
          { force: true },
        );
        wrote = true;
      }
      if (wrote) {
        const labels = { rule: ruleName, peer: peerName };
        this.host.metrics.objectsSynced.inc(labels);
        if (started !== undefined)
          this.host.metrics.syncLatency.observe(labels, (performance.now() - started) / 1000);
        pair.lastSyncTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
      this.succeed(pair, srcKey);
      return;
    } catch (err) {
      // Someone wrote first: the retry re-reads and decides again.
      if (isAlreadyExists(err) || isConflict(err)) throw err;
      if (isNotFound(err) && localRef.namespace) {
        const ns = await this.host.client
          .getIfExists(Namespaces, { name: localRef.namespace })
          .catch(() => 'unknown');
        if (ns === undefined) {
          this.fail(
            pair,
            srcKey,
            `cannot write ${what}: namespace ${localRef.namespace} does not exist on the local cluster (retrying)`,
            'NamespaceMissing',
          );
          return { requeueAfter: 5000 };
        }
      }
      if (isForbidden(err)) {
        this.fail(
          pair,
          srcKey,
          `missing permission on the local cluster to write ${what}: ${errorMessage(err)}`,
          'SyncFailed',
        );
        return { requeueAfter: 15_000 };
      }
      if (isInvalid(err)) {
        this.fail(pair, srcKey, `the local API server rejected ${what}: ${errorMessage(err)}`, 'SyncFailed');
        return;
      }
      this.fail(pair, srcKey, `cannot write ${what}: ${errorMessage(err)}`, 'SyncFailed');
      throw err;
    }
  }

  private async deleteCopies(
    pair: Pair,
    index: string,
    keep: string | undefined,
    srcKey: string,
  ): Promise<void> {
    for (const t of pair.targets) {
      for (const copy of t.informer.byIndex(SOURCE_INDEX, index)) {
        if (copy.metadata?.deletionTimestamp || objectKey(copy) === keep) continue;
        const ref = requestFor(copy);
        await this.host.client
          .delete(t.kind, ref, { preconditions: { uid: copy.metadata?.uid } })
          .catch((err) => {
            if (!isNotFound(err) && !String(errorMessage(err)).includes('Precondition')) throw err;
          });
        this.host.metrics.objectsSynced.inc({ rule: pair.rule.metadata.name ?? '', peer: pair.peer.name });
        this.host.recorder.normal(
          pair.rule as never,
          'Deleted',
          `deleted ${t.kind.kind} ${describeKey(ref)}: its source ${srcKey} is gone from ${pair.peer.name}`,
        );
      }
    }
  }

  private fail(pair: Pair, srcKey: string, message: string, reason: string): void {
    pair.synced.delete(srcKey);
    if (pair.errors.get(srcKey) === message) return;
    pair.errors.set(srcKey, message);
    this.host.metrics.syncErrors.inc({ rule: pair.rule.metadata.name ?? '', peer: pair.peer.name });
    this.host.recorder.warning(pair.rule as never, reason, message);
    this.host.log.warn({ rule: pair.rule.metadata.name, peer: pair.peer.name, reason }, message);
    this.host.onRuleChanged(pair.rule.metadata.name ?? '');
  }

  private succeed(pair: Pair, srcKey: string): void {
    const changed = pair.errors.delete(srcKey) || !pair.synced.has(srcKey);
    pair.synced.add(srcKey);
    if (changed) this.host.onRuleChanged(pair.rule.metadata.name ?? '');
  }

  private forget(pair: Pair, srcKey: string): void {
    const changed = pair.errors.delete(srcKey) || pair.synced.delete(srcKey);
    if (changed) this.host.onRuleChanged(pair.rule.metadata.name ?? '');
  }
}

/** canWriteLocal, plus whether to retry (the local object is only being deleted). */
function canWrite(
  existing: KubeObject | undefined,
  desired: KubeObject,
): { write: true } | { write: false; message: string; retry: boolean; quietFor: boolean } {
  const d = canWriteLocal(existing, desired);
  if (d.write) return { write: true };
  return {
    write: false,
    message: d.message,
    retry: d.reason === 'terminating',
    // For built-in rules, an object already there (made here, or copied from another member) is the
    // normal case of a group where every member offers the same Clusters and Secrets.
    quietFor: d.reason !== 'terminating',
  };
}

/** Verbs the current credentials may NOT use on group/resource (SelfSubjectAccessReview). */
export async function denied(
  client: Client,
  group: string,
  resource: string,
  namespace: string | undefined,
  verbs: string[],
  subresource?: string,
): Promise<string[]> {
  const out: string[] = [];
  await Promise.all(
    verbs.map(async (verb) => {
      const review = await client.request<{ status?: { allowed?: boolean } }>({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              group,
              resource,
              verb,
              ...(subresource ? { subresource } : {}),
              ...(namespace ? { namespace } : {}),
            },
          },
        },
      });
      if (!review?.status?.allowed) out.push(verb);
    }),
  );
  return verbs.filter((v) => out.includes(v));
}
