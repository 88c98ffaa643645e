// Seed 000, operator mode: the manifest of step 6 turns into a running
// platform; components that need the mesh wait for it (step 7).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { registerApplicationManifestController } from '../../../src/installer/controller.ts';
import { Client, type KubeObject, Manager, silentLogger } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import {
  chartsDir,
  componentStatus,
  Deployments,
  installOurCrds,
  makeMeshAvailable,
  seed000Manifest,
} from './support.ts';

const ref = { namespace: 'supertubes-control-plane', name: 'sdm-applicationmanifest' };

describe('seed 000: installing the platform from one ApplicationManifest', () => {
  let cp: ControlPlane;
  let admin: Client;
  let manager: Manager;

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    manager = new Manager({ kubeConfig: cp.kubeConfig(), handleSignals: false, logger: silentLogger() });
    registerApplicationManifestController(manager, { chartsDir });
    void manager.start();
  });
  after(async () => {
    await manager?.stop();
    await admin?.transport.close();
    await cp?.stop();
  });

  const get = () => admin.get(ApplicationManifestKind, ref) as Promise<ApplicationManifest>;

  it('waits for the mesh before installing zookeeper-operator, then reaches Succeeded', async () => {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.namespace } });
    await admin.create(seed000Manifest() as KubeObject);

    const waiting = await eventually(
      async () => {
        const m = await get();
        assert.equal(componentStatus(m, 'istioOperator'), 'Available');
        assert.equal(componentStatus(m, 'zookeeperOperator'), 'Reconciling');
        return m;
      },
      { timeoutMs: 120_000 },
    );
    assert.match(waiting.status?.components?.zookeeperOperator?.message ?? '', /Istio mesh/);
    assert.equal(waiting.status?.status, 'Reconciling');
    assert.equal(
      await admin.getIfExists(Deployments, { namespace: 'zookeeper', name: 'zookeeper-operator' }),
      undefined,
      'zookeeper-operator must not be installed before the mesh is Available',
    );

    await makeMeshAvailable(admin);
    const done = await eventually(
      async () => {
        const m = await get();
        assert.equal(m.status?.status, 'Succeeded', JSON.stringify(m.status?.components));
        return m;
      },
      { timeoutMs: 180_000 },
    );
    const components = done.status?.components ?? {};
    for (const key of [
      'csrOperator',
      'istioOperator',
      'zookeeperOperator',
      'kafkaOperator',
      'monitoring',
      'supertubes',
    ]) {
      assert.equal(components[key]?.status, 'Available', key);
    }
    assert.equal(components.istioOperator?.meshStatus, 'Available');
    assert.equal(components.kafkaMinion, undefined, 'kafkaMinion: {} installs nothing');
    assert.equal(done.status?.observedGeneration, done.metadata?.generation);
    assert.ok(done.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    assert.ok(await admin.getIfExists(Deployments, { namespace: 'zookeeper', name: 'zookeeper-operator' }));
  });
});
