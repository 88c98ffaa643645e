// One (ResourceSyncRule x peer) pair: the rule's kind watched on the peer, the local kinds it writes,
// and the bookkeeping the rule's status shows for that peer.
import { type Informer, type Kind, kind } from '../../kube/index.ts';
import type { PeerConnection } from './peers.ts';
import type { EngineRule } from './rules.ts';
import type { Unstructured } from './types.ts';

export type PairState = 'Syncing' | 'Synced' | 'Failed';

/** A local kind the pair writes copies of, watched through a shared informer. */
export interface Target {
  /** Key of the shared informer. */
  key: string;
  kind: Kind<Unstructured>;
  informer: Informer<Unstructured>;
}

export function apiVersionOf(gvk: { group?: string; version?: string }): string {
  return gvk.group ? `${gvk.group}/${gvk.version ?? ''}` : (gvk.version ?? '');
}

export function gvkKey(k: { apiVersion: string; kind: string }): string {
  return `${k.apiVersion}|${k.kind}`;
}

/** The kind a rule reads on its peers. */
export function sourceKind(rule: EngineRule): Kind<Unstructured> {
  return kind<Unstructured>(apiVersionOf(rule.spec.groupVersionKind), rule.spec.groupVersionKind.kind);
}

/** Kinds the rule writes locally: its own, and any a mutation rewrites to. */
export function targetKinds(rule: EngineRule): Kind<Unstructured>[] {
  const out = new Map<string, Kind<Unstructured>>();
  const src = sourceKind(rule);
  out.set(gvkKey(src), src);
  for (const r of rule.spec.rules ?? []) {
    const g = r.mutations?.groupVersionKind;
    if (g?.kind && g.version) {
      const k = kind<Unstructured>(apiVersionOf(g), g.kind);
      out.set(gvkKey(k), k);
    }
  }
  return [...out.values()];
}

export class Pair {
  rule: EngineRule;
  readonly peer: PeerConnection;
  /** The rule's kind on the peer (shared with other rules of that kind), once the checks passed. */
  source: Informer<Unstructured> | undefined;
  sourceKey = '';
  removeSourceHandler: (() => void) | undefined;
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

  constructor(rule: EngineRule, peer: PeerConnection) {
    this.rule = rule;
    this.peer = peer;
  }

  get ruleName(): string {
    return this.rule.metadata?.name ?? '';
  }

  /** Every watch the pair needs has its first list. */
  get ready(): boolean {
    return !!this.source?.hasSynced() && this.targets.every((t) => t.informer.hasSynced());
  }

  get state(): PairState {
    if (this.fatal) return 'Failed';
    if (!this.ready) return 'Syncing';
    return this.errors.size > 0 ? 'Failed' : 'Synced';
  }

  get lastError(): string {
    if (this.fatal) return this.fatal;
    if (this.errors.size === 0 && this.source && !this.source.hasSynced() && this.source.stats.errors > 0) {
      return `cannot list ${this.rule.spec.groupVersionKind.kind} on peer ${this.peer.name} yet`;
    }
    const first = [...this.errors.values()][0];
    if (first === undefined) return '';
    return this.errors.size > 1 ? `${first} (and ${this.errors.size - 1} more)` : first;
  }
}
