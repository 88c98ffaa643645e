// ResourceSyncRule reconcile: the rule's status, per peer, from the sync engine's bookkeeping and what
// is known about peers the rule does not run on (down, disabled, features unreadable). Written only if
// it changed; the engine asks for a reconcile whenever something the status shows changes.
import type { Cluster } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import {
  type PeerSyncStatus,
  type ResourceSyncRule,
  ResourceSyncRuleKind,
} from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import {
  type Client,
  type Informer,
  isNotFound,
  type ReconcileResult,
  type Request,
} from '../../kube/index.ts';
import { writeStatusIfChanged } from '../../kube/status.ts';
import { isDisabled } from './cluster-reconciler.ts';
import type { LocalIdentity } from './local-identity.ts';
import type { Pair } from './pair.ts';
import type { PeerConnection } from './peers.ts';
import { ruleStatus } from './status.ts';

/** How often a rule's status is recomputed even when nothing asked (lastSyncTime, peers going down). */
const RULE_RESYNC_MS = 10_000;

/** The per-peer entries of a rule's status. Pure: everything it needs is passed in. */
export function rulePeerStatuses(input: {
  rule: ResourceSyncRule;
  pairs: readonly Pair[];
  peers: readonly PeerConnection[];
  clusters: readonly Cluster[];
  localId: string;
}): PeerSyncStatus[] {
  const { rule } = input;
  const entries = new Map<string, PeerSyncStatus>();
  for (const pair of input.pairs) {
    const e: PeerSyncStatus = { cluster: pair.peer.name, state: pair.state, objectsSynced: pair.synced.size };
    const err = pair.lastError;
    if (err) e.lastError = err;
    if (pair.lastSyncTime) e.lastSyncTime = pair.lastSyncTime;
    entries.set(pair.peer.name, e);
  }
  const withFeatures = (rule.spec.clusterFeatureMatch ?? []).length > 0;
  // A peer whose ClusterFeatures we cannot read cannot be judged eligible: say so, not nothing.
  if (withFeatures) {
    for (const peer of input.peers) {
      if (!peer.up || entries.has(peer.name) || peer.features.hasSynced() || peer.features.stats.errors === 0)
        continue;
      entries.set(peer.name, {
        cluster: peer.name,
        state: 'Failed',
        lastError: `cannot read ClusterFeatures on peer cluster ${peer.name} (the reader needs get, list, watch on clusterfeatures.clusterregistry.k8s.cisco.com)`,
      });
    }
  }
  // Peers that are down or disabled: listed with the reason when the rule applies to them. Without
  // clusterFeatureMatch it applies to every peer; with it, to those it applied to before.
  const previous = new Map((rule.status?.peers ?? []).map((p) => [p.cluster, p]));
  const peers = new Map(input.peers.map((p) => [p.name, p]));
  for (const c of input.clusters) {
    const name = c.metadata?.name ?? '';
    if (!name || entries.has(name) || c.spec?.clusterID === input.localId) continue;
    const prev = previous.get(name);
    if (withFeatures && !prev) continue;
    const peer = peers.get(name);
    if (isDisabled(c)) {
      entries.set(name, { cluster: name, state: 'Disabled', lastError: 'the peer is disabled' });
    } else if (!peer?.up && c.status?.state && c.status.state !== 'Ready') {
      entries.set(name, {
        cluster: name,
        state: 'Unreachable',
        objectsSynced: prev?.objectsSynced ?? 0,
        lastError: peer?.lastError || c.status?.message || 'the peer is not connected',
      });
    }
  }
  return [...entries.values()];
}

export interface RuleReconcilerDeps {
  client: Client;
  rules: Informer<ResourceSyncRule>;
  clusters: Informer<Cluster>;
  pairsFor(rule: string): Pair[];
  peers(): PeerConnection[];
  local: LocalIdentity;
}

export class RuleReconciler {
  private readonly d: RuleReconcilerDeps;

  constructor(deps: RuleReconcilerDeps) {
    this.d = deps;
  }

  async reconcile(req: Request): Promise<ReconcileResult | undefined> {
    const rule = this.d.rules.get(req.name);
    if (!rule) return;
    const peers = rulePeerStatuses({
      rule,
      pairs: this.d.pairsFor(req.name),
      peers: this.d.peers(),
      clusters: this.d.clusters.list(),
      localId: this.d.local.value,
    });
    const status = ruleStatus(rule.status, rule.metadata?.generation, peers);
    // A rule deleted meanwhile has no status to write.
    await writeStatusIfChanged(this.d.client, ResourceSyncRuleKind, rule, status, { force: true }).catch(
      (err) => {
        if (!isNotFound(err)) throw err;
      },
    );
    return { requeueAfter: RULE_RESYNC_MS };
  }
}
