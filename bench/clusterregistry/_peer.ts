// What every cluster-registry bench does before it measures: the local
// Cluster, and a peer Cluster reached through a reader kubeconfig Secret in
// the registry namespace (which must exist).
import { ClusterKind } from '../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import type { Client } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/kube/types.ts';

export async function registerPeer(
  local: Client,
  ids: { local: string; peer: string },
  readerKubeconfig: string,
): Promise<void> {
  await local.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'peer', namespace: 'cluster-registry' },
    data: { kubeconfig: Buffer.from(readerKubeconfig).toString('base64') },
  } as KubeObject);
  await local.apply({
    apiVersion: ClusterKind.apiVersion,
    kind: 'Cluster',
    metadata: { name: 'local' },
    spec: { clusterID: ids.local },
  } as KubeObject);
  await local.apply({
    apiVersion: ClusterKind.apiVersion,
    kind: 'Cluster',
    metadata: { name: 'peer' },
    spec: { clusterID: ids.peer, authInfo: { secretRef: { name: 'peer', namespace: 'cluster-registry' } } },
  } as KubeObject);
}
