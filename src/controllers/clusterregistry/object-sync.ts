// Syncing one source object of one (rule x peer) pair, as named steps:
//   followDeletion   the source is gone: delete its copies
//   plan             match, ownership, mutate (timed against the rule's budget), fingerprint
//   writeCopy        create, or update a copy that is ours and out of date; refuse anything else
//   removeRenamed    a copy left under an old name (the template changed) goes
//   writeCopyStatus  with syncStatus: the status subresource, only if it differs
//   record*          the pair's bookkeeping, metrics, Events: what the rule's status shows
// The decisions are the pure functions next to this file (match, mutate, ownership, diff).
import {
  errorMessage,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  type Kind,
  Namespaces,
  objectKey,
  type ReconcileResult,
  type Request,
  requestFor,
  requestKey,
} from '../../kube/index.ts';
import { writeStatusIfChanged } from '../../kube/status.ts';
import { isUpToDate, statusUpToDate, withSyncHash } from './diff.ts';
import type { EngineHost } from './engine-host.ts';
import { ownerOf, sourceIndexKey } from './markers.ts';
import { type MergedMutations, matchingRules } from './match.ts';
import { mutate } from './mutate.ts';
import { canWriteLocal, shouldSyncFrom, type WriteDecision } from './ownership.ts';
import type { Pair, Target } from './pair.ts';
import type { RuleBudget } from './rule-budget.ts';
import type { SyncKey } from './sync-key.ts';
import type { Unstructured } from './types.ts';

export const SOURCE_INDEX = 'source';
export const OWNER_INDEX = 'owner';

type Plan =
  | { kind: 'skip' }
  | { kind: 'invalid'; message: string }
  | { kind: 'write'; desired: Unstructured; target: Target; mutations: MergedMutations };

function describeKey(k: { namespace?: string; name?: string }): string {
  return k.namespace ? `${k.namespace}/${k.name}` : `${k.name}`;
}

/** Errors already named on the rule, so the catch-all does not name them twice. */
const recorded = new WeakSet<object>();

export class ObjectSync {
  private readonly host: EngineHost;
  private readonly budget: RuleBudget;

  constructor(host: EngineHost, budget: RuleBudget) {
    this.host = host;
    this.budget = budget;
  }

  /** One source object. Every failure reaches the rule's status; unexpected ones are retried with backoff. */
  async sync(pair: Pair, key: SyncKey, srcKey: string): Promise<ReconcileResult | undefined> {
    try {
      return await this.syncSteps(pair, key, srcKey);
    } catch (err) {
      // Someone wrote first: the retry re-reads and decides again, nothing to report.
      if (!isAlreadyExists(err) && !isConflict(err) && !(err instanceof Object && recorded.has(err))) {
        this.recordFailure(pair, srcKey, `cannot sync ${srcKey}: ${errorMessage(err)}`, 'SyncFailed');
      }
      throw err;
    }
  }

  private async syncSteps(pair: Pair, key: SyncKey, srcKey: string): Promise<ReconcileResult | undefined> {
    const source = pair.source?.get(srcKey);
    const started = pair.seen.get(srcKey);
    pair.seen.delete(srcKey);
    if (!source || source.metadata?.deletionTimestamp) {
      await this.followDeletion(pair, key, srcKey);
      this.recordForgotten(pair, srcKey);
      return;
    }
    // A rule that used its share of time waits; the other rules' objects go first meanwhile.
    const wait = this.budget.delay(pair.ruleName);
    if (wait > 0) {
      if (started !== undefined) pair.seen.set(srcKey, started);
      return { requeueAfter: wait };
    }
    const plan = this.plan(pair, key, source);
    if (plan.kind === 'skip') {
      this.recordForgotten(pair, srcKey);
      return;
    }
    if (plan.kind === 'invalid') {
      this.recordFailure(pair, srcKey, plan.message, 'InvalidMutation');
      return;
    }
    const { desired, target, mutations } = plan;
    const localRef = requestFor(desired);
    const what = `${desired.kind} ${describeKey(localRef)}`;
    const from = `${describeKey(key)} on ${pair.peer.name}`;
    try {
      const written = await this.writeCopy(pair, target, desired, what, from);
      if (written.refused) {
        if (written.refused.quiet) {
          this.recordForgotten(pair, srcKey);
          return;
        }
        this.recordFailure(
          pair,
          srcKey,
          `not writing ${what} from ${from}: ${written.refused.message}`,
          'SyncRefused',
        );
        return written.refused.retry ? { requeueAfter: 1000 } : undefined;
      }
      await this.removeRenamed(pair, key, desired, srcKey);
      const statusWritten =
        mutations.syncStatus && written.current
          ? await this.writeCopyStatus(target.kind, written.current, desired)
          : false;
      if (written.wrote || statusWritten) this.recordWrite(pair, started);
      this.recordSuccess(pair, srcKey);
      return;
    } catch (err) {
      return this.writeFailed(pair, srcKey, what, localRef, err);
    }
  }

  /** The source is gone: delete its copies (only those taken from this peer). */
  private async followDeletion(pair: Pair, key: SyncKey, srcKey: string): Promise<void> {
    await this.deleteCopies(pair, sourceIndexKey(pair.peer.clusterId, key), undefined, srcKey);
  }

  /** What to write, or why not; mutating is charged to the rule's budget. */
  private plan(pair: Pair, key: SyncKey, source: Unstructured): Plan {
    const mutations = matchingRules(pair.rule, source, { clusterScoped: !pair.namespaced });
    if (!mutations) return { kind: 'skip' };
    const peerId = pair.peer.clusterId;
    if (!shouldSyncFrom(source, peerId, this.host.localId(), this.host.knownPeerIds()).sync) {
      return { kind: 'skip' };
    }
    const owner = ownerOf(source);
    const began = performance.now();
    try {
      const result = mutate({
        ruleName: pair.ruleName,
        object: source,
        mutations,
        peer: this.host.clusterByName(pair.peer.name) ?? {
          apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
          kind: 'Cluster',
          metadata: { name: pair.peer.name },
          spec: { clusterID: peerId },
        },
        origin: owner && owner !== peerId ? this.host.clusterById(owner) : undefined,
        local: this.host.localCluster(),
        render: this.host.render,
      });
      if (!result.ok) return { kind: 'invalid', message: `${describeKey(key)}: ${result.error.message}` };
      const desired = withSyncHash(result.object);
      const target = pair.targets.find(
        (t) => t.kind.apiVersion === desired.apiVersion && t.kind.kind === desired.kind,
      );
      if (!target) {
        return {
          kind: 'invalid',
          message: `${describeKey(key)}: the mutation writes an unexpected kind ${desired.kind}`,
        };
      }
      return { kind: 'write', desired, target, mutations };
    } catch (err) {
      // Anything the pure steps throw (a value too deep to hash, say) is the rule's problem to show.
      return { kind: 'invalid', message: `${describeKey(key)}: cannot build the copy: ${errorMessage(err)}` };
    } finally {
      this.budget.charge(pair.ruleName, performance.now() - began);
    }
  }

  /**
   * Creates the copy, or updates a copy that is ours and out of date. An object we did not make is
   * never taken over: that is a refusal (quiet for built-in rules, where it is the normal case).
   */
  private async writeCopy(
    pair: Pair,
    target: Target,
    desired: Unstructured,
    what: string,
    from: string,
  ): Promise<{
    wrote: boolean;
    current?: Unstructured;
    refused?: { message: string; retry: boolean; quiet: boolean };
  }> {
    const { status: _status, ...body } = desired;
    const localRef = requestFor(desired);
    let existing = target.informer.get(localRef);
    if (!existing) {
      // Not a copy we know: POST, never apply. An object that exists (made here by someone, or a copy
      // our cache has not seen yet) makes it fail with 409 rather than be taken over; we then judge the
      // object we find. Saves a GET per new copy on the common path.
      try {
        const current = await this.host.client.create(body);
        this.host.recorder.normal(pair.rule, 'Synced', `created ${what} from ${from}`);
        return { wrote: true, current };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        existing = await this.host.client.getIfExists(target.kind, localRef);
        if (!existing) throw err;
      }
    }
    const decision: WriteDecision = canWriteLocal(existing, desired);
    if (!decision.write) {
      const terminating = decision.reason === 'terminating';
      // For built-in rules, an object already there (made here, or copied from another member) is the
      // normal case of a group where every member offers the same Clusters and Secrets.
      return {
        wrote: false,
        refused: {
          message: decision.message,
          retry: terminating,
          quiet: !terminating && !!pair.rule.builtin,
        },
      };
    }
    if (isUpToDate(existing, desired)) return { wrote: false, current: existing };
    // PUT at the version we judged: the copy is ours, so it becomes exactly the desired object (fields
    // dropped at the source go too), keeping only what others hang on it.
    const meta = existing.metadata ?? {};
    const next: Unstructured = {
      ...body,
      metadata: {
        ...body.metadata,
        resourceVersion: meta.resourceVersion,
        ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
        ...(meta.ownerReferences ? { ownerReferences: meta.ownerReferences } : {}),
      },
    };
    return { wrote: true, current: await this.host.client.update(next) };
  }

  /** A rename (template change) leaves the old copy behind: remove it. */
  private async removeRenamed(
    pair: Pair,
    key: SyncKey,
    desired: Unstructured,
    srcKey: string,
  ): Promise<void> {
    const index = sourceIndexKey(ownerOf(desired) ?? '', key);
    await this.deleteCopies(pair, index, requestKey(requestFor(desired)), srcKey);
  }

  /** With syncStatus: the copy's status becomes the source's, written only when it differs. */
  private writeCopyStatus(
    k: Kind<Unstructured>,
    current: Unstructured,
    desired: Unstructured,
  ): Promise<boolean> {
    if (!Object.hasOwn(desired, 'status')) return Promise.resolve(false);
    return writeStatusIfChanged<Unstructured & { status?: unknown }>(
      this.host.client,
      k,
      current,
      desired.status,
      {
        force: true,
        unchanged: () => statusUpToDate(current, desired),
      },
    );
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
        this.host.metrics.objectsSynced.inc({ rule: pair.ruleName, peer: pair.peer.name });
        this.host.recorder.normal(
          pair.rule,
          'Deleted',
          `deleted ${t.kind.kind} ${describeKey(ref)}: its source ${srcKey} is gone from ${pair.peer.name}`,
        );
      }
    }
  }

  /** A failed write: named on the rule, retried when it may heal (namespace created, RBAC granted). */
  private async writeFailed(
    pair: Pair,
    srcKey: string,
    what: string,
    localRef: Request,
    err: unknown,
  ): Promise<ReconcileResult | undefined> {
    if (isAlreadyExists(err) || isConflict(err)) throw err;
    if (isNotFound(err) && localRef.namespace) {
      const ns = await this.host.client
        .getIfExists(Namespaces, { name: localRef.namespace })
        .catch(() => 'unknown');
      if (ns === undefined) {
        this.recordFailure(
          pair,
          srcKey,
          `cannot write ${what}: namespace ${localRef.namespace} does not exist on the local cluster (retrying)`,
          'NamespaceMissing',
        );
        return { requeueAfter: 5000 };
      }
    }
    if (isForbidden(err)) {
      this.recordFailure(
        pair,
        srcKey,
        `missing permission on the local cluster to write ${what}: ${errorMessage(err)}`,
        'SyncFailed',
      );
      return { requeueAfter: 15_000 };
    }
    if (isInvalid(err)) {
      this.recordFailure(
        pair,
        srcKey,
        `the local API server rejected ${what}: ${errorMessage(err)}`,
        'SyncFailed',
      );
      return;
    }
    this.recordFailure(pair, srcKey, `cannot write ${what}: ${errorMessage(err)}`, 'SyncFailed');
    if (err instanceof Object) recorded.add(err);
    throw err;
  }

  private recordWrite(pair: Pair, started: number | undefined): void {
    const labels = { rule: pair.ruleName, peer: pair.peer.name };
    this.host.metrics.objectsSynced.inc(labels);
    if (started !== undefined)
      this.host.metrics.syncLatency.observe(labels, (performance.now() - started) / 1000);
    pair.lastSyncTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private recordFailure(pair: Pair, srcKey: string, message: string, reason: string): void {
    pair.synced.delete(srcKey);
    if (pair.errors.get(srcKey) === message) return;
    pair.errors.set(srcKey, message);
    this.host.metrics.syncErrors.inc({ rule: pair.ruleName, peer: pair.peer.name });
    this.host.recorder.warning(pair.rule, reason, message);
    this.host.log.warn({ rule: pair.ruleName, peer: pair.peer.name, reason }, message);
    this.host.onRuleChanged(pair.ruleName);
  }

  private recordSuccess(pair: Pair, srcKey: string): void {
    const changed = pair.errors.delete(srcKey) || !pair.synced.has(srcKey);
    pair.synced.add(srcKey);
    if (changed) this.host.onRuleChanged(pair.ruleName);
  }

  private recordForgotten(pair: Pair, srcKey: string): void {
    const changed = pair.errors.delete(srcKey) || pair.synced.delete(srcKey);
    if (changed) this.host.onRuleChanged(pair.ruleName);
  }
}
