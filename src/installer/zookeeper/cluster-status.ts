// What zookeeperOperator reports besides its own state (seed 000 step 8):
// whether the ZookeeperCluster(s) in its namespace are ready.
import { isNotFound, type KubeObject, kind, NoKindMatchError } from '../../kube/index.ts';
import type { ComponentIO, StatusExtras } from '../types.ts';

export const ZookeeperClusters = kind('zookeeper.pravega.io/v1beta1', 'ZookeeperCluster');

/** clusterStatus from the ZookeeperClusters of the namespace. Pure. */
export function clusterStatusOf(items: readonly KubeObject[]): StatusExtras {
  if (items.length === 0) return {};
  const notReady = items.filter((z) => {
    const s = (z as { status?: { readyReplicas?: number } }).status;
    const want = (z as { spec?: { replicas?: number } }).spec?.replicas ?? 3;
    return (s?.readyReplicas ?? 0) < want;
  });
  if (notReady.length === 0)
    return { clusterStatus: 'Available', clusterStatusMessage: `${items.length} ZooKeeper cluster(s) ready` };
  return {
    clusterStatus: 'Reconciling',
    clusterStatusMessage: `ZookeeperCluster ${notReady.map((z) => z.metadata?.name).join(', ')} not ready yet`,
  };
}

export async function zookeeperClusterStatus(io: ComponentIO): Promise<StatusExtras> {
  const namespace = io.ctx.spec.zookeeperOperator.namespace;
  try {
    return clusterStatusOf((await io.client.list(ZookeeperClusters, { namespace })).items);
  } catch (err) {
    // The CRD comes with the chart; until it is served there is no cluster to report.
    if (err instanceof NoKindMatchError || isNotFound(err)) return {};
    throw err;
  }
}
