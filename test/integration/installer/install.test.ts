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
import type { Engine } from '../../../src/installer/engine.ts';
import {
  Client,
  createLogger,
  type KubeObject,
  Manager,
  Namespaces,
  Secrets,
  silentLogger,
  sleep,
} from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import {
  CRDs,
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
  let engine: Engine;

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    manager = new Manager({
      kubeConfig: cp.kubeConfig(),
      handleSignals: false,
      logger: process.env.TEST_LOG ? createLogger({ level: process.env.TEST_LOG }) : silentLogger(),
    });
    // A fast resync so that "nothing changed" is checked over many passes.
    engine = registerApplicationManifestController(manager, { chartsDir, resyncMs: 300 });
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
    // Seed 003: the namespaces of mesh components join the platform's mesh by revision.
    for (const name of ['zookeeper', 'kafka', 'supertubes-system']) {
      const ns = await admin.get(Namespaces, { name });
      assert.equal(ns.metadata?.labels?.['istio.io/rev'], 'icp-sample-v115x.istio-system', name);
      assert.equal(ns.metadata?.labels?.['istio-injection'], undefined, name);
    }
  });

  const patchSpec = (spec: unknown) => admin.patch(ApplicationManifestKind, ref, { spec }, 'merge');
  const succeeded = () =>
    eventually(
      async () => {
        const m = await get();
        assert.equal(m.status?.status, 'Succeeded', JSON.stringify(m.status?.components));
        assert.equal(m.status?.observedGeneration, m.metadata?.generation);
        return m;
      },
      { timeoutMs: 120_000 },
    );

  it('writes nothing and renders nothing when nothing changed', async () => {
    await succeeded();
    await sleep(1500); // let the last rollouts settle
    const writes = await manager.metrics.writeRequests();
    const renders = engine.renderer.renders;
    const before = await get();
    await sleep(3000); // ten resync passes
    assert.equal(await manager.metrics.writeRequests(), writes, 'a no-op reconcile must not write');
    assert.equal(engine.renderer.renders, renders, 'a no-op reconcile must not run helm');
    assert.equal((await get()).metadata?.resourceVersion, before.metadata?.resourceVersion);
  });

  it('applies a new Grafana password: monitoring goes Reconciling, then Available (seed 000)', async () => {
    const override = 'grafana:\n  adminPassword: my-new-password\n';
    await patchSpec({ monitoring: { prometheusOperator: { valuesOverride: override } } });
    await eventually(
      async () => {
        const m = await get();
        assert.equal(componentStatus(m, 'monitoring'), 'Reconciling');
        assert.equal(m.status?.status, 'Reconciling');
        assert.equal(componentStatus(m, 'kafkaOperator'), 'Available', 'other components are left alone');
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    const done = await succeeded();
    assert.equal(componentStatus(done, 'monitoring'), 'Available');
    const secret = await admin.get(Secrets, {
      namespace: 'supertubes-system',
      name: 'prometheus-operator-grafana',
    });
    assert.equal(Buffer.from(secret.data?.['admin-password'] ?? '', 'base64').toString(), 'my-new-password');
  });

  it('removes a disabled component but keeps its CRDs, and restores it when re-enabled', async () => {
    await patchSpec({ zookeeperOperator: { enabled: false } });
    const removed = await eventually(
      async () => {
        const m = await get();
        assert.equal(componentStatus(m, 'zookeeperOperator'), 'Removed');
        return m;
      },
      { timeoutMs: 60_000 },
    );
    assert.equal(removed.status?.status, 'Succeeded');
    assert.equal(
      await admin.getIfExists(Deployments, { namespace: 'zookeeper', name: 'zookeeper-operator' }),
      undefined,
    );
    assert.ok(await admin.getIfExists(CRDs, { name: 'zookeeperclusters.zookeeper.pravega.io' }), 'CRD kept');

    await patchSpec({ zookeeperOperator: { enabled: true } });
    const back = await succeeded();
    assert.equal(componentStatus(back, 'zookeeperOperator'), 'Available');
    assert.ok(await admin.getIfExists(Deployments, { namespace: 'zookeeper', name: 'zookeeper-operator' }));
  });

  it('brings back a managed Deployment deleted by hand', async () => {
    const key = { namespace: 'kafka', name: 'kafka-operator' };
    const before = await admin.get(Deployments, key);
    await admin.delete(Deployments, key);
    await eventually(
      async () => {
        const now = await admin.get(Deployments, key);
        assert.notEqual(now.metadata?.uid, before.metadata?.uid);
      },
      { timeoutMs: 30_000 },
    );
    await succeeded();
  });
});
