// The sync engine: for every (ResourceSyncRule x eligible peer) pair it watches the rule's kind on the
// peer and keeps local copies in step, one work-queue key per source object:
//   peer event ─┐
//               ├─> SyncKey {rule, peer, namespace, name} ─> ObjectSync: mutate, write or delete locally
//   copy event ─┘   (a copy edited or deleted by hand maps back to its source, and is restored)
// This file owns the pairs and their watches; object-sync.ts does the per-object steps. Watches are
// shared: one per (peer, kind, namespace) for sources, one per (kind, namespace) for local copies.
import { OWNER_KEY } from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import {
  Controller,
  errorMessage,
  Informer,
  type Kind,
  objectKey,
  type ReconcileResult,
  type Runnable,
  type RunnableContext,
} from '../../kube/index.ts';
import type { EngineHost } from './engine-host.ts';
import { copyIndexKey, ownerOf, sourceOfCopy } from './markers.ts';
import { ObjectSync, OWNER_INDEX, SOURCE_INDEX } from './object-sync.ts';
import { gvkKey, Pair, sourceKind, type Target, targetKinds } from './pair.ts';
import type { PeerConnection } from './peers.ts';
import { checkPair } from './permissions.ts';
import { RuleBudget } from './rule-budget.ts';
import type { EngineRule } from './rules.ts';
import { SharedInformers } from './shared-informers.ts';
import { type SyncKey, sourceKeyOf, syncKeys } from './sync-key.ts';
import type { Unstructured } from './types.ts';

/** Retry of a failed permission/kind check. */
const CHECK_RETRY_MS = 10_000;

function pairKey(rule: string, peer: string): string {
  return JSON.stringify([rule, peer]);
}

export class SyncEngine implements Runnable {
  readonly name = 'clusterregistry-sync';
  readonly needsLeaderElection = true;
  readonly controller: Controller<SyncKey>;
  private readonly host: EngineHost;
  private readonly objects: ObjectSync;
  private readonly budget: RuleBudget;
  private readonly pairs = new Map<string, Pair>();
  private readonly sources = new SharedInformers<Informer<Unstructured>>();
  private readonly copies = new SharedInformers<Informer<Unstructured>>();
  private stopped = false;
  private finished: Promise<void> = Promise.resolve();

  constructor(host: EngineHost, budget = new RuleBudget()) {
    this.host = host;
    this.budget = budget;
    this.objects = new ObjectSync(host, budget);
    this.controller = new Controller<SyncKey>({
      name: 'clusterregistry-sync',
      keys: syncKeys,
      reconciler: (key) => this.reconcile(key),
      concurrency: 4,
      logger: host.log,
      metrics: host.runtimeMetrics,
      backoff: { baseMs: 200, maxMs: 30_000 },
    });
  }

  /** Runs the work queue; once stopped, stops every pair's watches. */
  run(ctx: RunnableContext): Promise<void> {
    this.finished = this.controller.run(ctx).finally(() => this.stop());
    return this.finished;
  }

  /** Resolves once the engine has stopped its pairs (at once if it never ran). */
  whenStopped(): Promise<void> {
    return this.finished.catch(() => {});
  }

  pairsFor(ruleName: string): Pair[] {
    return [...this.pairs.values()].filter((p) => p.ruleName === ruleName);
  }

  /** Makes the running pairs exactly `desired` (rule x peer). Stopped pairs leave their copies in place. */
  async update(desired: Array<{ rule: EngineRule; peer: PeerConnection }>): Promise<void> {
    if (this.stopped) return;
    const want = new Map<string, { rule: EngineRule; peer: PeerConnection }>();
    for (const d of desired) want.set(pairKey(d.rule.metadata?.name ?? '', d.peer.name), d);
    const stops: Promise<void>[] = [];
    const stoppedPairs: Pair[] = [];
    for (const [key, pair] of this.pairs) {
      const w = want.get(key);
      const sameSource =
        w && w.peer === pair.peer && gvkKey(sourceKind(w.rule)) === gvkKey(sourceKind(pair.rule));
      const sameTargets =
        w &&
        targetKinds(w.rule).map(gvkKey).sort().join() === targetKinds(pair.rule).map(gvkKey).sort().join();
      if (!sameSource || !sameTargets) {
        this.pairs.delete(key);
        stoppedPairs.push(pair);
        stops.push(this.stopPair(pair));
        continue;
      }
      const changed = w.rule.metadata?.generation !== pair.rule.metadata?.generation;
      pair.rule = w.rule;
      if (changed) this.enqueueAll(pair);
    }
    await Promise.all(stops);
    // A rule that runs nowhere any more has no time account to keep.
    const running = new Set([...want.values()].map((w) => w.rule.metadata?.name ?? ''));
    for (const pair of stoppedPairs) if (!running.has(pair.ruleName)) this.budget.forget(pair.ruleName);
    // Stopped while we waited: starting pairs now would leave watches nobody stops.
    if (this.stopped) return;
    for (const [key, w] of want) {
      if (this.pairs.has(key)) continue;
      const pair = new Pair(w.rule, w.peer);
      this.pairs.set(key, pair);
      void this.startPair(pair);
    }
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    const pairs = [...this.pairs.values()];
    this.pairs.clear();
    await Promise.all(pairs.map((p) => this.stopPair(p)));
  }

  private async startPair(pair: Pair): Promise<void> {
    const problem = await checkPair(pair, this.host.client).catch(
      (err) => `permission check failed: ${errorMessage(err)}`,
    );
    if (pair.stopped) return;
    if (problem) {
      if (pair.fatal !== problem) {
        this.host.recorder.warning(pair.rule, 'SyncFailed', problem);
        this.host.log.warn({ rule: pair.ruleName, peer: pair.peer.name, problem }, 'cannot sync');
      }
      pair.fatal = problem;
      this.host.onRuleChanged(pair.ruleName);
      pair.timer = setTimeout(() => void this.startPair(pair), CHECK_RETRY_MS);
      return;
    }
    pair.fatal = '';
    const namespace = pair.rule.builtin?.namespace;
    pair.targets = targetKinds(pair.rule).map((k) => this.acquireCopies(k, namespace));
    const src = sourceKind(pair.rule);
    pair.sourceKey = JSON.stringify([pair.peer.name, pair.peer.fingerprint, gvkKey(src), namespace ?? '']);
    const source = this.sources.acquire(
      pair.sourceKey,
      () =>
        new Informer<Unstructured>(pair.peer.client, {
          kind: src,
          namespace,
          logger: this.host.log.child({ peer: pair.peer.name, kind: src.kind }),
          backoff: { initialMs: 500, maxMs: 10_000 },
        }),
    );
    pair.source = source;
    this.countWatches();
    const onEvent = (o: Unstructured) => {
      const key = objectKey(o);
      if (!pair.seen.has(key)) pair.seen.set(key, performance.now());
      this.enqueue(pair, o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    };
    pair.removeSourceHandler = source.addHandler({
      onAdd: onEvent,
      onUpdate: (_o, n) => onEvent(n),
      onDelete: onEvent,
    });
    void Promise.all([source.waitForSync(), ...pair.targets.map((t) => t.informer.waitForSync())]).then(
      (ok) => {
        if (pair.stopped || !ok.every(Boolean)) return;
        // Copies whose source vanished while we were not watching are found from the local side.
        this.enqueueAll(pair);
        this.host.onRuleChanged(pair.ruleName);
      },
    );
    this.host.onRuleChanged(pair.ruleName);
  }

  private async stopPair(pair: Pair): Promise<void> {
    pair.stopped = true;
    if (pair.timer) clearTimeout(pair.timer);
    pair.removeSourceHandler?.();
    pair.removeSourceHandler = undefined;
    const hadSource = pair.source !== undefined;
    pair.source = undefined;
    const targets = pair.targets;
    pair.targets = [];
    await Promise.all([
      hadSource ? this.sources.release(pair.sourceKey) : undefined,
      ...targets.map((t) => this.copies.release(t.key)),
    ]);
    this.countWatches();
    this.host.onRuleChanged(pair.ruleName);
  }

  private countWatches(): void {
    this.host.metrics.watches.set({ side: 'source' }, this.sources.size);
    this.host.metrics.watches.set({ side: 'copies' }, this.copies.size);
  }

  private enqueueAll(pair: Pair): void {
    for (const o of pair.source?.list() ?? [])
      this.enqueue(pair, o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    for (const t of pair.targets) {
      for (const copy of t.informer.byIndex(OWNER_INDEX, pair.peer.clusterId)) {
        const src = sourceOfCopy(copy);
        if (src) this.enqueue(pair, src.namespace, src.name);
      }
    }
  }

  private enqueue(pair: Pair, namespace: string, name: string): void {
    if (!name) return;
    this.controller.enqueue({
      rule: pair.ruleName,
      peer: pair.peer.name,
      ...(namespace ? { namespace } : {}),
      name,
    });
  }

  /** The local copies of one kind (in one namespace, for built-in rules), shared by every pair. */
  private acquireCopies(k: Kind<Unstructured>, namespace: string | undefined): Target {
    const key = JSON.stringify([gvkKey(k), namespace ?? '']);
    const informer = this.copies.acquire(key, () => {
      const informer = new Informer<Unstructured>(this.host.client, {
        kind: k,
        namespace,
        // Only copies: objects created locally are none of our business until a write is attempted.
        labelSelector: OWNER_KEY,
        indexers: {
          [SOURCE_INDEX]: (o) => [copyIndexKey(o)],
          [OWNER_INDEX]: (o) => [ownerOf(o) ?? ''],
        },
        logger: this.host.log.child({ copies: k.kind }),
        backoff: { initialMs: 500, maxMs: 10_000 },
      });
      const onCopy = (o: Unstructured) => this.copyChanged(k, o);
      informer.addHandler({ onUpdate: (_o, n) => onCopy(n), onDelete: onCopy });
      return informer;
    });
    return { key, kind: k, informer };
  }

  /** A copy was edited or deleted here: reconcile its source, which restores it if it drifted. */
  private copyChanged(k: Kind<Unstructured>, copy: Unstructured): void {
    const owner = ownerOf(copy);
    const src = sourceOfCopy(copy);
    if (!owner || !src) return;
    for (const pair of this.pairs.values()) {
      if (pair.peer.clusterId !== owner || !pair.targets.some((t) => gvkKey(t.kind) === gvkKey(k))) continue;
      this.enqueue(pair, src.namespace, src.name);
    }
  }

  private async reconcile(key: SyncKey): Promise<ReconcileResult | undefined> {
    const pair = this.pairs.get(pairKey(key.rule, key.peer));
    if (!pair?.source || pair.stopped) return;
    if (!pair.ready) return { requeueAfter: 300 };
    return this.objects.sync(pair, key, sourceKeyOf(key));
  }
}
