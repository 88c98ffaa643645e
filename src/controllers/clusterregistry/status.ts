// Status of Cluster and ResourceSyncRule, as pure functions of what the controller observed. Unlike
// the original, Ready says the truth, and rules report per peer what is happening.
import type { Cluster, ClusterStatus } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import type {
  PeerSyncStatus,
  ResourceSyncRuleStatus,
} from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { conditions as cond } from '../../kube/index.ts';
import type { Condition } from '../../kube/types.ts';

export interface NodeInfo {
  metadata?: { labels?: Record<string, string> };
  spec?: { providerID?: string };
  status?: { nodeInfo?: { kubeletVersion?: string; kubeProxyVersion?: string } };
}

const REGION = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const ZONE = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

function label(n: NodeInfo, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = n.metadata?.labels?.[k];
    if (v) return v;
  }
  return undefined;
}

/** version, provider, distribution, locality from /version and the nodes. */
export function clusterMetadata(version: string, nodes: readonly NodeInfo[]): Partial<ClusterStatus> {
  const out: Partial<ClusterStatus> = {};
  if (version) out.version = version;
  const providers = new Set(
    nodes.map((n) => n.spec?.providerID?.split('://')[0]).filter((p): p is string => !!p),
  );
  if (providers.size === 1) out.provider = [...providers][0]!;
  const dist = /[-+](eks|gke|aks|k3s|rke2|openshift)/i.exec(version)?.[1];
  if (dist) out.distribution = dist.toUpperCase();
  const regions = [...new Set(nodes.map((n) => label(n, REGION)).filter((x): x is string => !!x))].sort();
  const zones = [...new Set(nodes.map((n) => label(n, ZONE)).filter((x): x is string => !!x))].sort();
  if (regions.length || zones.length) {
    out.locality = {};
    if (regions.length) out.locality.region = regions[0]!;
    if (regions.length > 1) out.locality.regions = regions;
    if (zones.length) out.locality.zones = zones;
  }
  const kubelets = [
    ...new Set(nodes.map((n) => n.status?.nodeInfo?.kubeletVersion).filter((x): x is string => !!x)),
  ];
  if (kubelets.length) out.kubeletVersions = kubelets.sort();
  return out;
}

export interface ClusterObservation {
  type: 'Local' | 'Peer';
  /** Local only: this replica holds the lease. */
  leader?: boolean;
  state: 'Ready' | 'Failed' | 'Disabled' | 'MissingAuthInfo' | 'InvalidAuthInfo';
  message: string;
  /** Extra conditions, e.g. LocalConflict, ClustersSynced. */
  conditions: cond.ConditionInput[];
  metadata?: Partial<ClusterStatus>;
  /** Keep the previous metadata (the peer is unreachable: what we knew is still the best we have). */
  keepMetadata?: boolean;
}

type AnyCondition = NonNullable<ClusterStatus['conditions']>[number];

export function clusterStatus(
  previous: ClusterStatus | undefined,
  generation: number | undefined,
  o: ClusterObservation,
  now: Date = new Date(),
): ClusterStatus {
  let conds = (previous?.conditions ?? []) as Condition[];
  const ready = o.state === 'Ready';
  conds = cond.setCondition(
    conds,
    {
      type: 'Ready',
      status: ready ? 'True' : 'False',
      reason: o.state,
      message: ready
        ? o.type === 'Local'
          ? 'this is the local cluster'
          : 'the peer API server answers'
        : o.message,
    },
    generation,
    now,
  );
  conds = cond.setCondition(
    conds,
    {
      type: 'LocalCluster',
      status: o.type === 'Local' ? 'True' : 'False',
      reason: o.type === 'Local' ? 'LocalCluster' : 'PeerCluster',
      message:
        o.type === 'Local'
          ? 'clusterID is the UID of the local kube-system namespace'
          : 'clusterID differs from the local kube-system namespace UID',
    },
    generation,
    now,
  );
  const extra = new Set(o.conditions.map((c) => c.type));
  for (const c of o.conditions) conds = cond.setCondition(conds, c, generation, now);
  // Conditions we set before but have no opinion on now go away (e.g. LocalConflict resolved).
  conds = conds.filter((c) => c.type === 'Ready' || c.type === 'LocalCluster' || extra.has(c.type));
  const status: ClusterStatus = {
    state: o.state,
    type: o.type,
    message: o.message,
    observedGeneration: generation,
    conditions: conds as AnyCondition[],
  };
  // Only the replica holding the lease reconciles, so the writer of the local status is the leader.
  if (o.type === 'Local' && o.leader !== undefined) status.leader = o.leader;
  const meta = o.keepMetadata ? pickMetadata(previous) : (o.metadata ?? {});
  Object.assign(status, meta);
  if (generation === undefined) delete status.observedGeneration;
  return status;
}

function pickMetadata(s: ClusterStatus | undefined): Partial<ClusterStatus> {
  if (!s) return {};
  const out: Partial<ClusterStatus> = {};
  for (const k of [
    'version',
    'provider',
    'distribution',
    'kubeletVersions',
    'kubeProxyVersions',
    'locality',
  ] as const) {
    if (s[k] !== undefined) (out as Record<string, unknown>)[k] = s[k];
  }
  return out;
}

export function ruleStatus(
  previous: ResourceSyncRuleStatus | undefined,
  generation: number | undefined,
  peers: PeerSyncStatus[],
  now: Date = new Date(),
): ResourceSyncRuleStatus {
  const sorted = [...peers].sort((a, b) => a.cluster.localeCompare(b.cluster));
  const bad = sorted.filter((p) => p.state !== 'Synced');
  let input: cond.ConditionInput;
  if (sorted.length === 0) {
    input = {
      type: 'Ready',
      status: 'True',
      reason: 'NoEligiblePeers',
      message: 'no peer cluster is eligible for this rule',
    };
  } else if (bad.length === 0) {
    const n = sorted.reduce((a, p) => a + (p.objectsSynced ?? 0), 0);
    input = {
      type: 'Ready',
      status: 'True',
      reason: 'Synced',
      message: `${n} object(s) synced from ${sorted.length} peer(s)`,
    };
  } else {
    const failing = bad.some((p) => p.state === 'Failed');
    input = {
      type: 'Ready',
      status: 'False',
      reason: failing ? 'SyncFailed' : bad[0]!.state,
      message: bad
        .map((p) => `${p.cluster}: ${p.state}${p.lastError ? `: ${p.lastError}` : ''}`)
        .join('; ')
        .slice(0, 4000),
    };
  }
  const conditions = cond.setCondition(
    previous?.conditions as Condition[] | undefined,
    input,
    generation,
    now,
  );
  const status: ResourceSyncRuleStatus = {
    conditions: conditions as ResourceSyncRuleStatus['conditions'],
    peers: sorted,
  };
  if (generation !== undefined) status.observedGeneration = generation;
  return status;
}

/**
 * ClustersSynced of a peer: every Cluster known here exists on the peer with the same name and
 * clusterID, and is Ready there. `theirs` is the peer's list, or why it could not be read.
 */
export function clustersSyncedCondition(
  ours: readonly Cluster[],
  theirs: readonly Cluster[] | string,
): cond.ConditionInput {
  if (typeof theirs === 'string') {
    return {
      type: 'ClustersSynced',
      status: 'Unknown',
      reason: 'CannotListClusters',
      message: `cannot list Clusters on the peer: ${theirs}`,
    };
  }
  const missing: string[] = [];
  const notReady: string[] = [];
  for (const c of ours) {
    const t = theirs.find((x) => x.metadata?.name === c.metadata?.name);
    if (!t || t.spec?.clusterID !== c.spec?.clusterID) missing.push(c.metadata?.name ?? '');
    else if (t.status?.state !== 'Ready') notReady.push(c.metadata?.name ?? '');
  }
  if (!missing.length && !notReady.length) {
    return {
      type: 'ClustersSynced',
      status: 'True',
      reason: 'ClustersSynced',
      message: 'the peer knows every Cluster',
    };
  }
  const parts = [];
  if (missing.length) parts.push(`missing or different on the peer: ${missing.join(', ')}`);
  if (notReady.length) parts.push(`not Ready on the peer: ${notReady.join(', ')}`);
  return { type: 'ClustersSynced', status: 'False', reason: 'ClustersNotSynced', message: parts.join('; ') };
}
