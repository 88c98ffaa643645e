// The cluster registry, assembled from small units the manager runs:
//   ClusterReconciler  (controller on Cluster)  local detection, peer connection, Cluster status
//   PeerPool           (runnable)               peer connections and one probe loop per peer
//   RefreshScheduler   (runnable)               which (rule x peer) pairs run
//   SyncEngine         (runnable + work queue)  the pairs' watches and per-object sync
//   RuleReconciler     (controller on rule)     ResourceSyncRule status per peer
// This file only wires them; entry.ts turns `--set clusterregistry.*` options into these.
import type { Cluster } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { ClusterKind } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { ResourceSyncRuleKind } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import type { Manager } from '../../kube/index.ts';
import { ClusterReconciler } from './cluster-reconciler.ts';
import { coreSyncRules } from './core-sync.ts';
import { registerLocalCluster } from './local-cluster.ts';
import { LocalIdentity } from './local-identity.ts';
import { SyncMetrics } from './metrics.ts';
import { PeerPool } from './peer-pool.ts';
import { desiredPairs, RefreshScheduler } from './refresh.ts';
import { templateRenderer } from './render.ts';
import { RuleReconciler } from './rule-reconciler.ts';
import type { EngineRule } from './rules.ts';
import { SyncEngine } from './sync-engine.ts';
import type { RenderFn } from './template-data.ts';

export interface ClusterRegistryOptions {
  /** The registry namespace: core sync spreads the kubeconfig Secrets of this namespace. */
  namespace: string;
  /** How often peers are probed and Cluster status refreshed (default 10 s). */
  probeIntervalMs?: number;
  /** Core sync: Clusters, the registry namespace's kubeconfig Secrets and rules spread through peers. */
  coreSync?: boolean;
  /** Picks the kubernetesApiEndpoint whose clientNetwork matches. */
  networkName?: string;
  /** Peer kubeconfigs may name a proxy-url (refused by default). */
  allowPeerProxy?: boolean;
  /** Provision this cluster's own Cluster and reader kubeconfig Secret. */
  localCluster?: { name: string; apiServerAddress: string; readerTokenSecret: string };
  /** Go template renderer for override values (default: src/template, parse-once cache). */
  render?: RenderFn;
}

/** The running registry, for tests and benchmarks that look inside. */
export interface ClusterRegistry {
  engine: SyncEngine;
  pool: PeerPool;
  metrics: SyncMetrics;
  local: LocalIdentity;
}

export async function registerClusterRegistry(
  mgr: Manager,
  options: ClusterRegistryOptions,
): Promise<ClusterRegistry> {
  const log = mgr.log.child({ controller: 'clusterregistry' });
  const recorder = mgr.eventRecorder('cluster-registry-controller');
  const metrics = new SyncMetrics(mgr.metrics.registry);
  const clusters = mgr.informer(ClusterKind);
  const rules = mgr.informer(ResourceSyncRuleKind);
  const local = new LocalIdentity(mgr.client);
  const probeIntervalMs = options.probeIntervalMs ?? 10_000;
  const builtinRules: EngineRule[] = options.coreSync === false ? [] : coreSyncRules(options.namespace);

  const clusterById = (id: string): Cluster | undefined =>
    clusters.list().find((c) => c.spec?.clusterID === id);
  let ruleController: { enqueueAfter(req: { name: string }, ms: number): void } | undefined;
  const engine = new SyncEngine({
    client: mgr.client,
    log,
    recorder,
    metrics,
    runtimeMetrics: mgr.metrics,
    render: options.render ?? templateRenderer(),
    localId: () => local.value,
    localCluster: () =>
      clusterById(local.value) ?? {
        apiVersion: ClusterKind.apiVersion,
        kind: ClusterKind.kind,
        metadata: { name: '' },
        spec: { clusterID: local.value },
      },
    clusterByName: (name) => clusters.get(name),
    clusterById,
    knownPeerIds: () =>
      new Set(
        clusters
          .list()
          .map((c) => c.spec?.clusterID)
          .filter((id): id is string => !!id && id !== local.value),
      ),
    // Batched: a burst of object syncs becomes one status write.
    onRuleChanged: (name) => {
      if (name) ruleController?.enqueueAfter({ name }, 500);
    },
  });
  let scheduler: RefreshScheduler | undefined;
  const pool = new PeerPool({
    probeIntervalMs,
    fieldManager: mgr.client.fieldManager,
    logger: log,
    metrics,
    onObserved: (name) => clusterController.enqueue({ name }),
    refresh: () => scheduler?.trigger() ?? Promise.resolve(),
    closeAfter: () => engine.whenStopped(),
  });
  scheduler = new RefreshScheduler(
    () => engine.update(desiredPairs([...rules.list(), ...builtinRules], pool.list())),
    log,
  );

  const clusterReconciler = new ClusterReconciler({
    client: mgr.client,
    log,
    recorder,
    clusters,
    pool,
    local,
    isLeader: () => mgr.isLeader(),
    probeIntervalMs,
    networkName: options.networkName,
    allowPeerProxy: options.allowPeerProxy,
    coreSync: options.coreSync !== false,
  });
  const clusterController = mgr
    .controller('clusterregistry-cluster')
    .for(ClusterKind)
    .withOptions({ concurrency: 4 })
    .complete((req) => clusterReconciler.reconcile(req));
  const ruleReconciler = new RuleReconciler({
    client: mgr.client,
    rules,
    clusters,
    pairsFor: (name) => engine.pairsFor(name),
    peers: () => pool.list(),
    local,
  });
  ruleController = mgr
    .controller('clusterregistry-rule')
    .for(ResourceSyncRuleKind)
    .complete((req) => ruleReconciler.reconcile(req));
  mgr.add(pool);
  mgr.add(scheduler);
  mgr.add(engine);

  const refresh = () => void scheduler?.trigger();
  rules.addHandler({ onAdd: refresh, onUpdate: refresh, onDelete: refresh });
  clusters.addHandler({ onDelete: refresh });
  mgr.addReadyCheck('clusterregistry-local-cluster', () =>
    local.value ? undefined : 'local cluster ID (kube-system UID) not known yet',
  );
  if (options.localCluster) {
    registerLocalCluster(
      mgr,
      {
        name: options.localCluster.name,
        namespace: options.namespace,
        tokenSecret: options.localCluster.readerTokenSecret,
        apiServerAddress: options.localCluster.apiServerAddress,
      },
      () => local.ensure(),
    );
  }
  return { engine, pool, metrics, local };
}
