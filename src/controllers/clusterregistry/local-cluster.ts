// Provisioning of this cluster's own registration (opt-in, `--set local-cluster-name=<name>`): the
// reader kubeconfig Secret peers use to read us, built from the reader ServiceAccount's token Secret,
// and the local Cluster CR pointing at it. Attaching this cluster to a peer is then copying these two
// objects there, as seed 001 describes.
import { stringify } from 'yaml';
import { CLUSTER_SECRET_KEY, CLUSTER_SECRET_TYPE } from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import { type Cluster, ClusterKind } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { type Manager, type Request, type Secret, Secrets } from '../../kube/index.ts';
import { normalizeServer } from './peers.ts';

export interface LocalClusterOptions {
  /** Name of the local Cluster CR and of its Secret. */
  name: string;
  /** Namespace of the reader token Secret and of the kubeconfig Secret. */
  namespace: string;
  /** The reader ServiceAccount's token Secret (kubernetes.io/service-account-token). */
  tokenSecret: string;
  /** How peers reach our API server (host, host:port or URL). */
  apiServerAddress: string;
}

/** The kubeconfig peers use: our address and CA, the reader's token. */
export function readerKubeconfig(server: string, caData: string, token: string, name: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': caData } }],
    users: [{ name: `${name}-reader`, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-reader` } }],
    'current-context': name,
  });
}

export function registerLocalCluster(
  mgr: Manager,
  opts: LocalClusterOptions,
  localId: () => Promise<string>,
): void {
  const reconcile = async (req: Request): Promise<{ requeueAfter: number } | undefined> => {
    if (req.name !== opts.tokenSecret) return;
    const token = await mgr.client.getIfExists(Secrets, {
      namespace: opts.namespace,
      name: opts.tokenSecret,
    });
    const tokenB64 = token?.data?.token;
    const ca = token?.data?.['ca.crt'];
    // The token controller fills the Secret shortly after it is created.
    if (!tokenB64 || !ca) return { requeueAfter: 2000 };
    const server = normalizeServer(opts.apiServerAddress);
    const kubeconfig = readerKubeconfig(
      server,
      ca,
      Buffer.from(tokenB64, 'base64').toString('utf8'),
      opts.name,
    );
    const data = { [CLUSTER_SECRET_KEY]: Buffer.from(kubeconfig).toString('base64') };
    const existing = await mgr.client.getIfExists(Secrets, { namespace: opts.namespace, name: opts.name });
    if (
      existing?.data?.[CLUSTER_SECRET_KEY] !== data[CLUSTER_SECRET_KEY] ||
      existing?.type !== CLUSTER_SECRET_TYPE
    ) {
      const secret: Secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        type: CLUSTER_SECRET_TYPE,
        metadata: { name: opts.name, namespace: opts.namespace },
        data,
      };
      if (existing)
        await mgr.client.update({
          ...secret,
          metadata: { ...secret.metadata, resourceVersion: existing.metadata?.resourceVersion },
        });
      else await mgr.client.create(secret);
    }
    const id = await localId();
    const clusters = await mgr.client.list(ClusterKind);
    // A local Cluster someone registered already wins: never fight the user over it.
    if (clusters.items.some((c) => c.spec?.clusterID === id)) return;
    await mgr.client.create({
      apiVersion: ClusterKind.apiVersion,
      kind: ClusterKind.kind,
      metadata: { name: opts.name },
      spec: {
        clusterID: id,
        authInfo: { secretRef: { name: opts.name, namespace: opts.namespace } },
        kubernetesApiEndpoints: [{ serverAddress: opts.apiServerAddress, caBundle: ca }],
      },
    } satisfies Cluster);
    return;
  };
  mgr
    .controller('clusterregistry-local-cluster')
    .for(Secrets, { namespace: opts.namespace, fieldSelector: `metadata.name=${opts.tokenSecret}` })
    .complete(reconcile);
}
