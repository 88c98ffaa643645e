import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meshStateOf, meshStatusExtras } from '../../../src/installer/istio/mesh.ts';
import { clusterStatusOf } from '../../../src/installer/zookeeper/cluster-status.ts';

const icp = (name: string, status?: string) => ({
  metadata: { name },
  status: status ? { status } : undefined,
});

describe('what istioOperator and zookeeperOperator report (their reportStatus hooks)', () => {
  it('reads the mesh: none yet, not ready, Available with its revision label', () => {
    assert.deepEqual(meshStateOf('istio-system', []), {
      available: false,
      message: 'no IstioControlPlane in istio-system yet',
    });
    const pending = meshStateOf('istio-system', [icp('a', 'Reconciling')]);
    assert.equal(pending.available, false);
    assert.deepEqual(meshStatusExtras(pending), {
      meshStatus: 'Reconciling',
      meshStatusMessage: 'IstioControlPlane istio-system/a is Reconciling',
    });
    const ok = meshStateOf('istio-system', [icp('a'), icp('icp-v115x', 'Available')]);
    assert.equal(ok.available, true);
    assert.equal(ok.revision, 'icp-v115x.istio-system');
  });
  it('says why namespaces stay unlabelled when the revision is too long for a label', () => {
    const ok = meshStateOf('istio-system', [icp('x'.repeat(70), 'Available')]);
    assert.equal(ok.available, true);
    assert.equal(ok.revision, undefined);
    assert.match(ok.message, /namespaces not labelled/);
  });
  it('reads the ZooKeeper clusters', () => {
    assert.deepEqual(clusterStatusOf([]), {});
    const z = (ready: number) => ({
      metadata: { name: 'zk' },
      spec: { replicas: 3 },
      status: { readyReplicas: ready },
    });
    assert.equal(clusterStatusOf([z(3)]).clusterStatus, 'Available');
    assert.deepEqual(clusterStatusOf([z(1)]), {
      clusterStatus: 'Reconciling',
      clusterStatusMessage: 'ZookeeperCluster zk not ready yet',
    });
  });
});
