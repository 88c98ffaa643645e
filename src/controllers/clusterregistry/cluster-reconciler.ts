// Cluster reconcile: is it the local cluster or a peer; for a peer, connect with the credentials of
// its Secret (checked before use) and read the last probe the peer pool made; then the Cluster's
// status, written only if it changed. No request to a peer is made here, so a hanging peer delays
// nobody else's status.
import { createHash } from 'node:crypto';
import {
  CLUSTER_DISABLED_ANNOTATION,
  CLUSTER_SECRET_KEY,
} from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import { type Cluster, ClusterKind } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import {
  type Client,
  type EventRecorder,
  errorMessage,
  type Informer,
  isForbidden,
  type KubeObject,
  kind,
  type Logger,
  type ReconcileResult,
  type Request,
  Secrets,
} from '../../kube/index.ts';
import { writeStatusIfChanged } from '../../kube/status.ts';
import { ensureCoreSyncFeature } from './core-sync.ts';
import type { LocalIdentity } from './local-identity.ts';
import type { PeerPool } from './peer-pool.ts';
import { AuthInfoError, peerKubeConfig } from './peers.ts';
import {
  type ClusterObservation,
  clusterMetadata,
  clusterStatus,
  clustersSyncedCondition,
  type NodeInfo,
} from './status.ts';

const Nodes = kind<KubeObject & NodeInfo>('v1', 'Node');

export function isDisabled(c: Cluster): boolean {
  const v = c.metadata?.annotations?.[CLUSTER_DISABLED_ANNOTATION];
  return v !== undefined && v !== 'false';
}

export interface ClusterReconcilerDeps {
  client: Client;
  log: Logger;
  recorder: EventRecorder;
  clusters: Informer<Cluster>;
  pool: PeerPool;
  local: LocalIdentity;
  isLeader(): boolean;
  probeIntervalMs: number;
  networkName?: string;
  allowPeerProxy?: boolean;
  /** Keep the core sync ClusterFeature on the local cluster. */
  coreSync: boolean;
}

export class ClusterReconciler {
  private readonly d: ClusterReconcilerDeps;

  constructor(deps: ClusterReconcilerDeps) {
    this.d = deps;
  }

  async reconcile(req: Request): Promise<ReconcileResult | undefined> {
    const localId = await this.d.local.ensure();
    const c = this.d.clusters.get(req.name);
    if (!c) {
      await this.d.pool.drop(req.name);
      return;
    }
    let obs: ClusterObservation | undefined;
    if (c.spec.clusterID === localId) {
      await this.d.pool.drop(req.name);
      if (this.d.coreSync) {
        await ensureCoreSyncFeature(this.d.client).catch((err) =>
          this.d.log.warn({ err: errorMessage(err) }, 'cannot create the core sync ClusterFeature'),
        );
      }
      obs = await this.observeLocal(c);
    } else {
      obs = await this.observePeer(c);
    }
    // A peer not probed yet has nothing new to say; its first probe enqueues it again.
    if (obs) await this.writeStatus(c, obs);
    return { requeueAfter: this.d.probeIntervalMs };
  }

  private async observeLocal(c: Cluster): Promise<ClusterObservation> {
    const name = c.metadata?.name ?? '';
    const localId = this.d.local.value;
    const conditions: ClusterObservation['conditions'] = [];
    const others = this.d.clusters
      .list()
      .filter((x) => x.spec?.clusterID === localId && x.metadata?.name !== name)
      .map((x) => x.metadata?.name);
    if (others.length) {
      conditions.push({
        type: 'LocalConflict',
        status: 'True',
        reason: 'DuplicateLocalCluster',
        message: `Cluster(s) ${others.join(', ')} also claim the local clusterID`,
      });
    }
    const down = this.d.pool
      .list()
      .filter((p) => !p.up)
      .map((p) => p.name);
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
    const version = await this.d.client
      .request<{ gitVersion?: string }>({ method: 'GET', path: '/version' })
      .then((v) => v?.gitVersion ?? '')
      .catch(() => '');
    const nodes = await this.d.client
      .list(Nodes)
      .then((l) => l.items)
      .catch(() => [] as NodeInfo[]);
    return {
      type: 'Local',
      leader: this.d.isLeader(),
      state: 'Ready',
      message: others.length ? `conflicts with ${others.join(', ')}` : 'local cluster',
      conditions,
      metadata: clusterMetadata(version, nodes),
    };
  }

  private async observePeer(c: Cluster): Promise<ClusterObservation | undefined> {
    const name = c.metadata?.name ?? '';
    const fail = async (state: ClusterObservation['state'], message: string): Promise<ClusterObservation> => {
      await this.d.pool.drop(name);
      return { type: 'Peer', state, message, conditions: [], keepMetadata: true };
    };
    if (isDisabled(c)) return fail('Disabled', `disabled by annotation ${CLUSTER_DISABLED_ANNOTATION}`);
    const ref = c.spec.authInfo?.secretRef;
    if (!ref?.name || !ref.namespace) return fail('MissingAuthInfo', 'spec.authInfo.secretRef is not set');
    let text: string;
    try {
      const secret = await this.d.client.getIfExists(Secrets, { namespace: ref.namespace, name: ref.name });
      if (!secret) return fail('MissingAuthInfo', `Secret ${ref.namespace}/${ref.name} not found`);
      const data = secret.data?.[CLUSTER_SECRET_KEY];
      if (!data) {
        return fail(
          'InvalidAuthInfo',
          `Secret ${ref.namespace}/${ref.name} has no key ${CLUSTER_SECRET_KEY}`,
        );
      }
      text = Buffer.from(data, 'base64').toString('utf8');
    } catch (err) {
      if (isForbidden(err))
        return fail('MissingAuthInfo', `cannot read Secret ${ref.namespace}/${ref.name}: forbidden`);
      throw err;
    }
    let kubeConfig: ReturnType<typeof peerKubeConfig>;
    try {
      kubeConfig = peerKubeConfig(c, text, this.d.networkName, { allowProxy: this.d.allowPeerProxy });
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
          this.d.networkName ?? '',
          c.spec.clusterID,
        ]),
      )
      .digest('hex');
    const peer = await this.d.pool.connect({ name, clusterId: c.spec.clusterID, kubeConfig, fingerprint });
    if (!peer)
      return { type: 'Peer', state: 'Failed', message: 'shutting down', conditions: [], keepMetadata: true };
    const o = peer.observation;
    if (!o) return undefined;
    if (!o.ok)
      return { type: 'Peer', state: 'Failed', message: peer.lastError, conditions: [], keepMetadata: true };
    return {
      type: 'Peer',
      state: 'Ready',
      message: 'connected',
      conditions: [clustersSyncedCondition(this.d.clusters.list(), o.clusters)],
      metadata: clusterMetadata(o.version, o.nodes),
    };
  }

  private async writeStatus(c: Cluster, obs: ClusterObservation): Promise<void> {
    const status = clusterStatus(c.status, c.metadata?.generation, obs);
    const wrote = await writeStatusIfChanged(this.d.client, ClusterKind, c, status, { force: true });
    if (wrote && (c.status?.state !== obs.state || c.status?.message !== obs.message)) {
      if (obs.state === 'Ready') this.d.recorder.normal(c, 'Ready', obs.message);
      else this.d.recorder.warning(c, obs.state, obs.message);
    }
  }
}
