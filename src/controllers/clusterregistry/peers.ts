// Connections to peer clusters, built from the kubeconfig in the peer's Secret, with the Cluster's
// kubernetesApiEndpoints overriding where to connect. Pull model: a peer is only ever read.
import {
  type Cluster,
  ClusterKind,
  type KubernetesApiEndpoint,
} from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import type { ClusterFeature } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/clusterfeature.ts';
import { ClusterFeatureKind } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/clusterfeature.ts';
import {
  Client,
  type ClusterAccess,
  errorMessage,
  Informer,
  type Kubeconfig,
  KubeconfigAccess,
  KubeconfigError,
  type KubeObject,
  kind,
  type Logger,
  parseKubeconfig,
  type SelectedContext,
  selectContext,
} from '../../kube/index.ts';
import { checkPeerKubeconfig, KubeconfigRefused } from './kubeconfig-guard.ts';
import { ownerOf } from './markers.ts';
import type { NodeInfo } from './status.ts';

type Endpoint = KubernetesApiEndpoint;

/** The endpoint for our network wins, else one without clientNetwork (spec). */
export function pickEndpoint(
  endpoints: readonly Endpoint[] | undefined,
  network?: string,
): Endpoint | undefined {
  const list = endpoints ?? [];
  return (
    (network ? list.find((e) => e.clientNetwork === network) : undefined) ??
    list.find((e) => !e.clientNetwork)
  );
}

export function normalizeServer(address: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`;
}

export class AuthInfoError extends Error {}

/**
 * The access to a peer. Refuses exec plugins, auth providers and file references: the Secret
 * comes from another cluster and must not make us run commands or read our own files.
 */
export function peerKubeConfig(
  cluster: Cluster,
  kubeconfigText: string,
  network?: string,
  options: { allowProxy?: boolean } = {},
): ClusterAccess {
  // Checked as text first, before anything interprets it.
  try {
    checkPeerKubeconfig(kubeconfigText, options);
  } catch (err) {
    if (err instanceof KubeconfigRefused) throw new AuthInfoError(err.message);
    throw err;
  }
  // Our parser's messages name fields only, never values.
  let config: Kubeconfig;
  try {
    config = parseKubeconfig(kubeconfigText, 'the kubeconfig');
  } catch (err) {
    if (err instanceof KubeconfigError)
      throw new AuthInfoError(`the kubeconfig cannot be parsed: ${err.message}`);
    throw err;
  }
  let selected: SelectedContext;
  try {
    selected = selectContext(config);
  } catch (err) {
    if (!(err instanceof KubeconfigError)) throw err;
    throw new AuthInfoError(`the kubeconfig has no current context with a cluster and user: ${err.message}`);
  }
  const current = selected.cluster.value;
  const user = selected.user?.value;
  if (!user) throw new AuthInfoError('the kubeconfig has no current context with a cluster and user');
  if (
    user.exec ||
    user.authProvider ||
    user.tokenFile ||
    user.clientCertificate ||
    user.clientKey ||
    current.certificateAuthority
  ) {
    throw new AuthInfoError(
      'the kubeconfig uses an exec plugin, auth provider or file reference, which are not allowed for peers',
    );
  }
  const ep = pickEndpoint(cluster.spec.kubernetesApiEndpoints, network);
  const server = ep?.serverAddress ? normalizeServer(ep.serverAddress) : current.server;
  if (!server)
    throw new AuthInfoError('no API server address: neither the Cluster nor the kubeconfig has one');
  try {
    new URL(server);
  } catch {
    throw new AuthInfoError(`invalid API server address ${JSON.stringify(server)}`);
  }
  try {
    return new KubeconfigAccess(
      {
        ...selected,
        cluster: {
          ...selected.cluster,
          value: {
            ...current,
            server,
            certificateAuthorityData: ep?.caBundle || current.certificateAuthorityData,
          },
        },
      },
      // Never a file, whatever slipped through: the peer's material is inline only.
      { allowFiles: false },
    );
  } catch (err) {
    if (err instanceof KubeconfigError) throw new AuthInfoError(err.message);
    throw err;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 200);
}

/**
 * Only what the Cluster's status is built from: kept per peer between probes, and compared to tell
 * whether a probe found something new (heartbeats and resourceVersions would always differ).
 */
function nodeInfo(n: KubeObject & NodeInfo): NodeInfo {
  const labels = n.metadata?.labels ?? {};
  const keep = Object.fromEntries(
    Object.entries(labels).filter(([k]) => k.endsWith('/region') || k.endsWith('/zone')),
  );
  return {
    metadata: { labels: keep },
    spec: { providerID: n.spec?.providerID },
    status: { nodeInfo: { kubeletVersion: n.status?.nodeInfo?.kubeletVersion } },
  };
}

/** What ClustersSynced compares of the peer's Clusters. */
function clusterSummary(c: Cluster): Cluster {
  return {
    apiVersion: c.apiVersion,
    kind: c.kind,
    metadata: { name: c.metadata?.name },
    spec: { clusterID: c.spec?.clusterID },
    ...(c.status?.state ? { status: { state: c.status.state } } : {}),
  };
}

/** p, or a rejection once `ms` have passed. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // The losing request still settles later: its outcome is of no interest then.
  p.catch(() => {});
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A peer API server gets this long per probe request: a hanging peer must not hold anything up. */
export const PROBE_REQUEST_TIMEOUT_MS = 3000;

/** What one probe of a peer found. */
export type PeerObservation =
  | { ok: false; error: string }
  | {
      ok: true;
      version: string;
      nodes: NodeInfo[];
      /** The peer's Clusters, for ClustersSynced; a string when they cannot be listed. */
      clusters: Cluster[] | string;
    };

const Nodes = kind<KubeObject & NodeInfo>('v1', 'Node');

/** One peer: its client, health, and the ClusterFeatures it advertises (read on the peer). */
export class PeerConnection {
  readonly name: string;
  readonly clusterId: string;
  readonly client: Client;
  /** Where we connect (for messages). */
  readonly server: string;
  /** Identifies the credentials+endpoint, so a changed Secret or Cluster reconnects. */
  readonly fingerprint: string;
  readonly features: Informer<ClusterFeature>;
  up = false;
  lastError = '';
  /** The last probe's result; undefined until the first probe finished. */
  observation: PeerObservation | undefined;
  private started = false;

  constructor(opts: {
    name: string;
    clusterId: string;
    kubeConfig: ClusterAccess;
    fingerprint: string;
    fieldManager: string;
    logger: Logger;
    onFeaturesChanged: () => void;
  }) {
    this.name = opts.name;
    this.clusterId = opts.clusterId;
    this.fingerprint = opts.fingerprint;
    this.server = opts.kubeConfig.getCurrentCluster()?.server ?? '';
    this.client = Client.fromKubeConfig(opts.kubeConfig, {
      fieldManager: opts.fieldManager,
      userAgent: `${opts.fieldManager}-peer-reader`,
    });
    this.features = new Informer<ClusterFeature>(this.client, {
      kind: ClusterFeatureKind,
      logger: opts.logger.child({ peer: opts.name }),
      backoff: { initialMs: 500, maxMs: 10_000 },
    });
    const changed = () => opts.onFeaturesChanged();
    this.features.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  }

  /** Is the API server answering? Returns the version on success. */
  async probe(
    timeoutMs = PROBE_REQUEST_TIMEOUT_MS,
  ): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
    try {
      const v = await this.client.request<{ gitVersion?: string }>({
        method: 'GET',
        path: '/version',
        timeoutMs,
      });
      return { ok: true, version: v?.gitVersion ?? '' };
    } catch (err) {
      return { ok: false, error: firstLine(errorMessage(err)) };
    }
  }

  /** Version, nodes and Clusters of the peer, every request bounded by `timeoutMs`. */
  async observe(timeoutMs = PROBE_REQUEST_TIMEOUT_MS): Promise<PeerObservation> {
    const probe = await this.probe(timeoutMs);
    if (!probe.ok) return probe;
    // Bounded as a whole: list() may first ask the peer's discovery, which has no timeout of its own.
    const [nodes, clusters] = await Promise.all([
      withTimeout(this.client.list(Nodes, { signal: AbortSignal.timeout(timeoutMs) }), timeoutMs)
        .then((l) => l.items.map(nodeInfo))
        .catch(() => [] as NodeInfo[]),
      withTimeout(this.client.list(ClusterKind, { signal: AbortSignal.timeout(timeoutMs) }), timeoutMs)
        .then((l) => l.items.map(clusterSummary))
        .catch((err: unknown) => firstLine(errorMessage(err))),
    ]);
    return { ok: true, version: probe.version, nodes, clusters };
  }

  startFeatures(): void {
    if (this.started) return;
    this.started = true;
    this.features.start();
  }

  /** The peer's own ClusterFeatures: copies it holds of other clusters' features do not count. */
  ownFeatures(): ClusterFeature[] {
    return this.features.list().filter((f) => {
      const owner = ownerOf(f);
      return owner === undefined || owner === this.clusterId;
    });
  }

  async close(): Promise<void> {
    await this.features.stop();
    await this.client.transport.close();
  }
}
