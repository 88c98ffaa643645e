// The cluster registry controller: wires Cluster, ResourceSyncRule and the peers to the sync engine.
//   Cluster reconcile   -> local detection (kube-system UID), peer connection from its Secret, health
//                          probe every probeInterval, Cluster status; peer up/down -> refresh
//   refresh             -> pairs (rule x peer that is up, enabled and has the rule's features)
//   ResourceSyncRule    -> status per peer, from the engine's bookkeeping
import { createHash } from 'node:crypto';
import {
  type Cluster as ApiCluster,
  CLUSTER_DISABLED_ANNOTATION,
  CLUSTER_SECRET_KEY,
  ClusterKind,
} from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import {
  type ResourceSyncRule as ApiRule,
  type PeerSyncStatus,
  ResourceSyncRuleKind,
} from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import {
  type Controller,
  type EventRecorder,
  errorMessage,
  type Informer,
  isForbidden,
  isNotFound,
  kind,
  type Manager,
  Namespaces,
  type Request,
  Secrets,
} from '../../kube/index.ts';
import type { KubeObject as RuntimeObject } from '../../kube/types.ts';
import { coreSyncRules, ensureCoreSyncFeature } from './core-sync.ts';
import { registerLocalCluster } from './local-cluster.ts';
import { clusterFeaturesMatch } from './match.ts';
import { SyncMetrics } from './metrics.ts';
import { AuthInfoError, PeerConnection, peerKubeConfig } from './peers.ts';
import {
  type ClusterObservation,
  clusterMetadata,
  clusterStatus,
  type NodeInfo,
  ruleStatus,
  sameStatus,
} from './status.ts';
import { type EngineRule, SyncEngine } from './sync-engine.ts';
import type { RenderFn } from './template-data.ts';
import type { Cluster, ResourceSyncRule } from './types.ts';

const Nodes = kind<RuntimeObject & NodeInfo>('v1', 'Node');

export interface ClusterRegistryOptions {
  /** How often peers are probed and Cluster status refreshed (default 10 s). */
  probeIntervalMs?: number;
  /** Picks the kubernetesApiEndpoint whose clientNetwork matches. */
  networkName?: string;
  /** Go template renderer for override values. */
  render: RenderFn;
  /** Core sync on: Clusters, the kubeconfig Secrets of this namespace and rules spread through peers. */
  coreSync?: { namespace: string };
}

function isDisabled(c: ApiCluster): boolean {
  const v = c.metadata?.annotations?.[CLUSTER_DISABLED_ANNOTATION];
  return v !== undefined && v !== 'false';
}

function asCluster(c: ApiCluster): Cluster {
  return c as unknown as Cluster;
}

export class ClusterRegistry {
  readonly engine: SyncEngine;
  readonly metrics: SyncMetrics;
  private readonly mgr: Manager;
  private readonly options: ClusterRegistryOptions;
  private readonly recorder: EventRecorder;
  private readonly clusters: Informer<ApiCluster>;
  private readonly rules: Informer<ApiRule>;
  private readonly peers = new Map<string, PeerConnection>();
  private localIdValue = '';
  private ruleController: Controller | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private refreshQueued = false;
  /** Set once the manager stopped us: no new peer connections after that. */
  private closed = false;

  constructor(mgr: Manager, options: ClusterRegistryOptions) {
    this.mgr = mgr;
    this.options = options;
    this.recorder = mgr.eventRecorder('cluster-registry-controller');
    this.metrics = new SyncMetrics(mgr.metrics.registry);
    this.clusters = mgr.informer(ClusterKind);
    this.rules = mgr.informer(ResourceSyncRuleKind);
    this.engine = new SyncEngine({
      client: mgr.client,
      log: mgr.log.child({ controller: 'clusterregistry' }),
      recorder: this.recorder,
      metrics: this.metrics,
      runtimeMetrics: mgr.metrics,
      render: options.render,
      localId: () => this.localIdValue,
      localCluster: () => this.localCluster(),
      clusterByName: (name) => {
        const c = this.clusters.get(name);
        return c ? asCluster(c) : undefined;
      },
      clusterById: (id) => {
        const c = this.clusters.list().find((x) => x.spec?.clusterID === id);
        return c ? asCluster(c) : undefined;
      },
      knownPeerIds: () =>
        new Set(
          this.clusters
            .list()
            .map((c) => c.spec?.clusterID)
            .filter((id): id is string => !!id && id !== this.localIdValue),
        ),
      onStopped: () => this.closePeers(),
      onRuleChanged: (name) => {
        // Batched: a burst of object syncs becomes one status write.
        if (name) this.ruleController?.enqueueAfter({ name }, 500);
      },
    });
  }

  register(): void {
    const mgr = this.mgr;
    mgr
      .controller('clusterregistry-cluster')
      .for(ClusterKind)
      .complete((req) => this.reconcileCluster(req));
    this.ruleController = mgr
      .controller('clusterregistry-rule')
      .for(ResourceSyncRuleKind)
      .complete((req) => this.reconcileRule(req));
    mgr.add(this.engine.controller);
    const refresh = () => this.scheduleRefresh();
    this.rules.addHandler({ onAdd: refresh, onUpdate: refresh, onDelete: refresh });
    this.clusters.addHandler({ onDelete: refresh });
    mgr.addReadyCheck('clusterregistry-local-cluster', () =>
      this.localIdValue ? undefined : 'local cluster ID (kube-system UID) not known yet',
    );
  }

  localId(): string {
    return this.localIdValue;
  }

  private localCluster(): Cluster {
    const c = this.clusters.list().find((x) => x.spec?.clusterID === this.localIdValue);
    return c ? asCluster(c) : { metadata: { name: '' }, spec: { clusterID: this.localIdValue } };
  }

  /** The kube-system UID, read once. */
  async ensureLocalId(): Promise<string> {
    if (!this.localIdValue) {
      const ns = await this.mgr.client.get(Namespaces, { name: 'kube-system' });
      this.localIdValue = ns.metadata?.uid ?? '';
      if (!this.localIdValue) throw new Error('kube-system namespace has no UID');
    }
    return this.localIdValue;
  }

  /** Recomputes the running pairs; coalesces bursts of triggers into one pass at a time. */
  scheduleRefresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    this.refreshing = this.refreshing.then(async () => {
      this.refreshQueued = false;
      try {
        await this.engine.update(this.desiredPairs());
      } catch (err) {
        this.mgr.log.error({ err: errorMessage(err) }, 'cluster registry refresh failed');
      }
    });
  }

  private desiredPairs(): Array<{ rule: EngineRule; peer: PeerConnection }> {
    const out: Array<{ rule: EngineRule; peer: PeerConnection }> = [];
    const rules: EngineRule[] = this.rules
      .list()
      .filter((r) => !r.metadata?.deletionTimestamp)
      .map((r) => r as unknown as ResourceSyncRule);
    if (this.options.coreSync) rules.push(...coreSyncRules(this.options.coreSync.namespace));
    for (const rule of rules) {
      if (!rule.spec?.groupVersionKind?.kind) continue;
      for (const peer of this.peers.values()) {
        if (!peer.up) continue;
        const needsFeatures = (rule.spec.clusterFeatureMatch ?? []).length > 0;
        if (needsFeatures && !peer.features.hasSynced()) continue;
        if (!clusterFeaturesMatch(rule.spec.clusterFeatureMatch, peer.ownFeatures() as never)) continue;
        out.push({ rule, peer });
      }
    }
    return out;
  }

  /** Runs when the manager stops the engine's controller: the pairs are stopped, then the peers. */
  private async closePeers(): Promise<void> {
    this.closed = true;
    const peers = [...this.peers.values()];
    this.peers.clear();
    await Promise.all(peers.map((p) => p.close()));
  }

  private async dropPeer(name: string): Promise<void> {
    const p = this.peers.get(name);
    if (!p) return;
    this.peers.delete(name);
    this.metrics.peersUp.set([...this.peers.values()].filter((x) => x.up).length);
    this.scheduleRefresh();
    await this.refreshing;
    await p.close();
  }

  private async reconcileCluster(req: Request): Promise<{ requeueAfter: number } | undefined> {
    const localId = await this.ensureLocalId();
    const c = this.clusters.get(req.name);
    if (!c) {
      await this.dropPeer(req.name);
      return;
    }
    const interval = this.options.probeIntervalMs ?? 10_000;
    let obs: ClusterObservation;
    if (c.spec.clusterID === localId) {
      await this.dropPeer(req.name);
      if (this.options.coreSync) {
        await ensureCoreSyncFeature(this.mgr.client).catch((err) =>
          this.mgr.log.warn({ err: errorMessage(err) }, 'cannot create the core sync ClusterFeature'),
        );
      }
      obs = await this.observeLocal(c);
    } else {
      obs = await this.observePeer(c);
    }
    await this.writeClusterStatus(c, obs);
    return { requeueAfter: interval };
  }

  private async observeLocal(c: ApiCluster): Promise<ClusterObservation> {
    const name = c.metadata?.name ?? '';
    const conditions: ClusterObservation['conditions'] = [];
    const others = this.clusters
      .list()
      .filter((x) => x.spec?.clusterID === this.localIdValue && x.metadata?.name !== name)
      .map((x) => x.metadata?.name);
    if (others.length) {
      conditions.push({
        type: 'LocalConflict',
        status: 'True',
        reason: 'DuplicateLocalCluster',
        message: `Cluster(s) ${others.join(', ')} also claim the local clusterID`,
      });
    }
    const down = [...this.peers.values()].filter((p) => !p.up).map((p) => p.name);
    conditions.push(
      down.length
        ? {
            type: 'ClustersSynced',
            status: 'False',
            reason: 'PeersNotReady',
            message: `peer(s) not ready: ${down.join(', ')}`,
          }
        : { type: 'ClustersSynced', status: 'True', reason: 'PeersReady', message: 'every peer is ready' },
    );
    const version = await this.mgr.client
      .request<{ gitVersion?: string }>({ method: 'GET', path: '/version' })
      .then((v) => v?.gitVersion ?? '')
      .catch(() => '');
    const nodes = await this.mgr.client
      .list(Nodes)
      .then((l) => l.items)
      .catch(() => [] as NodeInfo[]);
    return {
      type: 'Local',
      leader: this.mgr.isLeader(),
      state: 'Ready',
      message: others.length ? `conflicts with ${others.join(', ')}` : 'local cluster',
      conditions,
      metadata: clusterMetadata(version, nodes),
    };
  }

  private async observePeer(c: ApiCluster): Promise<ClusterObservation> {
    const name = c.metadata?.name ?? '';
    const fail = async (state: ClusterObservation['state'], message: string): Promise<ClusterObservation> => {
      await this.dropPeer(name);
      return { type: 'Peer', state, message, conditions: [], keepMetadata: true };
    };
    if (isDisabled(c)) return fail('Disabled', `disabled by annotation ${CLUSTER_DISABLED_ANNOTATION}`);
    const ref = c.spec.authInfo?.secretRef;
    if (!ref?.name || !ref.namespace) return fail('MissingAuthInfo', 'spec.authInfo.secretRef is not set');
    let text: string;
    try {
      const secret = await this.mgr.client.getIfExists(Secrets, { namespace: ref.namespace, name: ref.name });
      if (!secret) return fail('MissingAuthInfo', `Secret ${ref.namespace}/${ref.name} not found`);
      const data = secret.data?.[CLUSTER_SECRET_KEY];
      if (!data)
        return fail(
          'InvalidAuthInfo',
          `Secret ${ref.namespace}/${ref.name} has no key ${CLUSTER_SECRET_KEY}`,
        );
      text = Buffer.from(data, 'base64').toString('utf8');
    } catch (err) {
      if (isForbidden(err))
        return fail('MissingAuthInfo', `cannot read Secret ${ref.namespace}/${ref.name}: forbidden`);
      throw err;
    }
    let kc: ReturnType<typeof peerKubeConfig>;
    try {
      kc = peerKubeConfig(asCluster(c), text, this.options.networkName);
    } catch (err) {
      if (err instanceof AuthInfoError) {
        return fail('InvalidAuthInfo', `Secret ${ref.namespace}/${ref.name}: ${err.message}`);
      }
      throw err;
    }
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          text,
          c.spec.kubernetesApiEndpoints ?? [],
          this.options.networkName ?? '',
          c.spec.clusterID,
        ]),
      )
      .digest('hex');
    let peer = this.peers.get(name);
    if (peer && peer.fingerprint !== fingerprint) {
      await this.dropPeer(name);
      peer = undefined;
    }
    if (!peer) {
      // A reconcile finishing during shutdown must not open a connection nobody will close.
      if (this.closed)
        return {
          type: 'Peer',
          state: 'Failed',
          message: 'shutting down',
          conditions: [],
          keepMetadata: true,
        };
      peer = new PeerConnection({
        name,
        clusterId: c.spec.clusterID,
        kubeConfig: kc,
        fingerprint,
        fieldManager: this.mgr.client.fieldManager,
        logger: this.mgr.log,
        onFeaturesChanged: () => this.scheduleRefresh(),
      });
      this.peers.set(name, peer);
      peer.startFeatures();
    }
    const server = kc.getCurrentCluster()?.server ?? '';
    const probe = await peer.probe();
    const wasUp = peer.up;
    peer.up = probe.ok;
    if (wasUp !== peer.up) {
      this.metrics.peersUp.set([...this.peers.values()].filter((x) => x.up).length);
      this.scheduleRefresh();
    }
    if (!probe.ok) {
      peer.lastError = `cannot reach the API server at ${server}: ${probe.error}`;
      return { type: 'Peer', state: 'Failed', message: peer.lastError, conditions: [], keepMetadata: true };
    }
    peer.lastError = '';
    const nodes = await peer.client
      .list(Nodes)
      .then((l) => l.items)
      .catch(() => [] as NodeInfo[]);
    return {
      type: 'Peer',
      state: 'Ready',
      message: 'connected',
      conditions: [await this.clustersSynced(peer)],
      metadata: clusterMetadata(probe.version, nodes),
    };
  }

  /** ClustersSynced: every Cluster known here exists on the peer with the same ID, and is Ready there. */
  private async clustersSynced(peer: PeerConnection): Promise<ClusterObservation['conditions'][number]> {
    let theirs: ApiCluster[];
    try {
      theirs = (await peer.client.list(ClusterKind)).items;
    } catch (err) {
      return {
        type: 'ClustersSynced',
        status: 'Unknown',
        reason: 'CannotListClusters',
        message: `cannot list Clusters on the peer: ${errorMessage(err).split('\n')[0]}`,
      };
    }
    const missing: string[] = [];
    const notReady: string[] = [];
    for (const ours of this.clusters.list()) {
      const t = theirs.find((x) => x.metadata?.name === ours.metadata?.name);
      if (!t || t.spec?.clusterID !== ours.spec?.clusterID) missing.push(ours.metadata?.name ?? '');
      else if (t.status?.state !== 'Ready') notReady.push(ours.metadata?.name ?? '');
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
    return {
      type: 'ClustersSynced',
      status: 'False',
      reason: 'ClustersNotSynced',
      message: parts.join('; '),
    };
  }

  private async writeClusterStatus(c: ApiCluster, obs: ClusterObservation): Promise<void> {
    const status = clusterStatus(c.status, c.metadata?.generation, obs);
    if (sameStatus(status, c.status)) return;
    if (c.status?.state !== obs.state || c.status?.message !== obs.message) {
      if (obs.state === 'Ready') this.recorder.normal(c, 'Ready', obs.message);
      else this.recorder.warning(c, obs.state, obs.message);
    }
    await this.mgr.client.applyStatus(
      {
        apiVersion: ClusterKind.apiVersion,
        kind: ClusterKind.kind,
        metadata: { name: c.metadata?.name },
        status,
      } as RuntimeObject,
      { force: true },
    );
  }

  private async reconcileRule(req: Request): Promise<{ requeueAfter: number } | undefined> {
    const rule = this.rules.get(req.name);
    if (!rule) return;
    const entries = new Map<string, PeerSyncStatus>();
    for (const pair of this.engine.pairsFor(req.name)) {
      const e: PeerSyncStatus = {
        cluster: pair.peer.name,
        state: pair.state,
        objectsSynced: pair.synced.size,
      };
      const err = pair.lastError;
      if (err) e.lastError = err;
      if (pair.lastSyncTime) e.lastSyncTime = pair.lastSyncTime;
      entries.set(pair.peer.name, e);
    }
    // A peer whose ClusterFeatures we cannot read cannot be judged eligible: say so, not nothing.
    if ((rule.spec.clusterFeatureMatch ?? []).length > 0) {
      for (const peer of this.peers.values()) {
        if (
          !peer.up ||
          entries.has(peer.name) ||
          peer.features.hasSynced() ||
          peer.features.stats.errors === 0
        )
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
    const everyPeer = (rule.spec.clusterFeatureMatch ?? []).length === 0;
    for (const c of this.clusters.list()) {
      const name = c.metadata?.name ?? '';
      if (!name || entries.has(name) || c.spec?.clusterID === this.localIdValue) continue;
      const prev = previous.get(name);
      if (!everyPeer && !prev) continue;
      const peer = this.peers.get(name);
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
    const status = ruleStatus(rule.status, rule.metadata?.generation, [...entries.values()]);
    if (!sameStatus(status, rule.status)) {
      // A rule deleted meanwhile has no status to write.
      await this.mgr.client
        .applyStatus(
          {
            apiVersion: ResourceSyncRuleKind.apiVersion,
            kind: ResourceSyncRuleKind.kind,
            metadata: { name: req.name },
            status,
          } as RuntimeObject,
          { force: true },
        )
        .catch((err) => {
          if (!isNotFound(err)) throw err;
        });
    }
    return { requeueAfter: 10_000 };
  }
}

/** Loads the Go template engine (src/template) lazily, so its absence is one clear start-up error. */
export async function loadRenderer(): Promise<RenderFn> {
  const url = new URL('../../template/index.ts', import.meta.url);
  const mod = (await import(url.href)) as { renderTemplate: (text: string, data: unknown) => string };
  return (text, data) => mod.renderTemplate(text, data);
}

/** What the registry needs from its entry (entry.ts parses the options). */
export interface ClusterRegistrySettings {
  /** The registry namespace: Cluster Secrets, core sync. */
  namespace: string;
  probeIntervalMs?: number;
  coreSync?: boolean;
  networkName?: string;
  /** Provision this cluster's own Cluster and reader Secret. */
  localCluster?: { name: string; apiServerAddress: string; readerTokenSecret: string };
}

export async function registerClusterRegistry(
  manager: Manager,
  options: ClusterRegistrySettings,
): Promise<void> {
  const { namespace } = options;
  const registry = new ClusterRegistry(manager, {
    coreSync: options.coreSync === false ? undefined : { namespace },
    probeIntervalMs: options.probeIntervalMs ?? 10_000,
    networkName: options.networkName,
    render: await loadRenderer(),
  });
  registry.register();
  const local = options.localCluster;
  if (local) {
    registerLocalCluster(
      manager,
      {
        name: local.name,
        namespace,
        tokenSecret: local.readerTokenSecret,
        apiServerAddress: local.apiServerAddress,
      },
      () => registry.ensureLocalId(),
    );
  }
}
