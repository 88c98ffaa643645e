// Declarative CLI mode: `sdm install -f` stores the manifest and runs the
// engine from here; an operator started afterwards finds nothing to change;
// `sdm delete` and `sdm uninstall -a` remove components but never CRDs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ApplicationManifestKind } from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { registerApplicationManifestController } from '../../../src/installer/controller.ts';
import { LABEL_COMPONENT } from '../../../src/installer/inventory.ts';
import { Client, Manager, silentLogger } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { CRDs, chartsDir, Deployments, playIstioOperator, sdm, seed000Manifest } from './support.ts';

const ref = { namespace: 'supertubes-control-plane', name: 'sdm-applicationmanifest' };

describe('declarative CLI mode', () => {
  let cp: ControlPlane;
  let admin: Client;
  let stopIstio: () => Promise<void>;
  const tmp = mkdtempSync(join(tmpdir(), 'sdm-cli-test-'));
  const kc = () => ['--kubeconfig', cp.kubeconfigPath];

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    stopIstio = playIstioOperator(admin);
  });
  after(async () => {
    await stopIstio?.();
    await admin?.transport.close();
    await cp?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses an invalid file before touching the cluster, naming the field', async () => {
    const bad = seed000Manifest() as unknown as { spec: Record<string, unknown> };
    bad.spec.kafkaOperator = { enabled: 'yes', namespace: 'kafka' };
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, stringify(bad));
    const r = await sdm(['install', '-f', file, ...kc()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not a valid ApplicationManifest:\n\s+spec\.kafkaOperator\.enabled/);
    assert.equal(
      await admin.getIfExists(CRDs, { name: 'applicationmanifests.supertubes.banzaicloud.io' }),
      undefined,
    );
  });

  it('installs seed 000 from a file, shows progress and a final table', async () => {
    const m = seed000Manifest();
    // The platform makes the mesh (the test plays Istio's operator for it).
    m.spec!.istioOperator!.createDefaultMesh = true;
    const file = join(tmp, 'seed000.yaml');
    writeFileSync(file, stringify(m));
    const r = await sdm(['install', '-f', file, '--timeout', '5m', ...kc()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /zookeeperOperator\s+Reconciling/);
    for (const c of [
      'csrOperator',
      'istioOperator',
      'zookeeperOperator',
      'kafkaOperator',
      'monitoring',
      'supertubes',
    ]) {
      assert.match(r.stdout, new RegExp(`^${c}\\s+Available`, 'm'));
    }
    assert.match(r.stdout, /ApplicationManifest: Succeeded/);
    const status = await sdm(['status', '-o', 'json', ...kc()]);
    assert.equal(JSON.parse(status.stdout).status.status, 'Succeeded');
  });

  it('hands over to an operator that finds nothing to change', async () => {
    const manager = new Manager({
      kubeConfig: cp.kubeConfig(),
      handleSignals: false,
      logger: silentLogger(),
    });
    registerApplicationManifestController(manager, { chartsDir });
    void manager.start();
    try {
      await eventually(async () => {
        const done = (await manager.metrics.reconcileTotal.get()).values.reduce((n, v) => n + v.value, 0);
        assert.ok(done >= 1);
      });
      assert.equal(await manager.metrics.writeRequests(), 0, 'the operator wrote nothing');
    } finally {
      await manager.stop();
    }
  });

  it('deletes one component, keeping its CRD', async () => {
    const r = await sdm(['delete', 'zookeeperOperator', ...kc()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^zookeeperOperator\s+Removed/m);
    assert.equal(
      await admin.getIfExists(Deployments, { namespace: 'zookeeper', name: 'zookeeper-operator' }),
      undefined,
    );
    assert.ok(await admin.getIfExists(CRDs, { name: 'zookeeperclusters.zookeeper.pravega.io' }));
  });

  it('uninstalls everything but the CRDs', async () => {
    const r = await sdm(['uninstall', '-a', ...kc()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await admin.getIfExists(ApplicationManifestKind, ref), undefined);
    assert.deepEqual((await admin.list(Deployments, { labelSelector: LABEL_COMPONENT })).items, []);
    assert.ok(await admin.getIfExists(CRDs, { name: 'kafkaclusters.kafka.banzaicloud.io' }));
    assert.ok(await admin.getIfExists(CRDs, { name: 'prometheuses.monitoring.coreos.com' }));
  });
});
