// Clusters and objects shared by the cluster registry unit tests.
import type { Cluster } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import type { Unstructured } from '../../../src/controllers/clusterregistry/types.ts';

export function cluster(name: string, clusterID: string): Cluster {
  return {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'Cluster',
    metadata: { name, labels: { region: `${name}-region` } },
    spec: {
      clusterID,
      authInfo: { secretRef: { name, namespace: 'cluster-registry' } },
      kubernetesApiEndpoints: [{ serverAddress: `https://${name}.example:6443` }],
    },
  };
}

export const cluster1 = cluster('cluster1', 'd51418e7-547e-468b-adbc-9c2968389184');
export const cluster2 = cluster('cluster2', 'ac21678f-9ebf-4ee1-83d4-3cca0931af19');
export const cluster3 = cluster('cluster3', '0b5a1c1e-3f4f-4c39-9a51-2f1f1b0d5c77');

/** A KafkaCluster as a peer's API server returns it, server-set fields and all. */
export function kafkaCluster(name = 'kafka', namespace = 'kafka'): Unstructured {
  // Older API servers still send selfLink, which the runtime's ObjectMeta no longer declares.
  const metadata = {
    name,
    namespace,
    uid: '5b0e9a3c-0000-4000-8000-000000000001',
    resourceVersion: '4711',
    generation: 3,
    creationTimestamp: '2025-01-01T00:00:00Z',
    selfLink: `/apis/kafka.banzaicloud.io/v1beta1/namespaces/${namespace}/kafkaclusters/${name}`,
    managedFields: [{ manager: 'kubectl', operation: 'Apply' as const }],
    ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'u' }],
    finalizers: ['finalizer.kafkaclusters.kafka.banzaicloud.io'],
    labels: { app: 'kafka' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}',
      note: 'kept',
    },
  };
  return {
    apiVersion: 'kafka.banzaicloud.io/v1beta1',
    kind: 'KafkaCluster',
    metadata,
    spec: { brokers: [{ id: 0 }, { id: 1 }], zkAddresses: ['zk:2181'] },
    status: { state: 'ClusterRunning' },
  };
}
