// A quiet steady state with the real upstream charts (../shared/charts):
// seed 000's manifest (with istioOperator.kubeVersion, which the istio-operator
// chart needs on this Kubernetes) installed, then five passes with nothing
// changed — three in this process, two from new `sdm reconcile -f` processes
// (fresh render caches, fresh random chart output) — write no object, leave
// every Deployment's ReplicaSet as it was and leave the manifest (status
// included) untouched: the same resourceVersions before and after.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Engine, IstioControlPlanes } from '../../../src/installer/engine.ts';
import { refKey } from '../../../src/installer/inventory.ts';
import { reconcileUntilSettled } from '../../../src/installer/run.ts';
import { Client, kind, NoKindMatchError, sleep } from '../../../src/kube/index.ts';
import { installOurCrds, makeMeshAvailable, repoRoot, sdm, seed000Manifest } from './support.ts';

const realCharts = join(repoRoot, '..', 'shared', 'charts');
const ReplicaSets = kind('apps/v1', 'ReplicaSet');
const monitoringInMirror = existsSync(
  join(realCharts, 'kube-prometheus-stack', 'charts', 'grafana', 'Chart.yaml'),
);
const ref = { namespace: 'supertubes-control-plane', name: 'sdm-applicationmanifest' };

describe('quiet steady state with the real charts', {
  skip: !existsSync(realCharts) && 'no ../shared/charts',
}, () => {
  let cp: ControlPlane;
  let admin: Client;
  let engine: Engine;
  const tmp = mkdtempSync(join(tmpdir(), 'sdm-steady-'));
  const file = join(tmp, 'manifest.yaml');
  let stopMesh = false;
  let mesh: Promise<void> = Promise.resolve();

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    const m = seed000Manifest();
    // istio-operator 2.1.6 allows only Kubernetes < 1.27: the user takes that risk knowingly.
    (m.spec!.istioOperator as Record<string, unknown>).kubeVersion = '1.26.0';
    if (!monitoringInMirror) {
      // Reported, not hidden: the mirror lacks kube-prometheus-stack's subcharts, so monitoring
      // cannot install here at all (its Failed message says so); the rest must still be quiet.
      process.stderr.write(
        `# ${realCharts}/kube-prometheus-stack lacks its subcharts: monitoring disabled in this test\n`,
      );
      m.spec!.monitoring = { prometheusOperator: { enabled: false }, grafanaDashboards: { enabled: false } };
    }
    writeFileSync(file, stringify(m));
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.namespace } });
    await admin.apply({ apiVersion: m.apiVersion, kind: m.kind, metadata: ref, spec: m.spec } as never);
    // Plays Istio's operator once its CRD is there.
    mesh = (async () => {
      while (!stopMesh) {
        try {
          await makeMeshAvailable(admin);
          return;
        } catch (err) {
          if (!(err instanceof NoKindMatchError) && !/not found/i.test(String(err))) throw err;
        }
        await sleep(500);
      }
    })();
    engine = new Engine({ client: admin, chartsDir: realCharts });
  });
  after(async () => {
    stopMesh = true;
    await mesh.catch(() => undefined);
    await admin?.transport.close();
    await cp?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** resourceVersion of every object the installer manages (from the inventories) and of every ReplicaSet. */
  async function snapshot() {
    const objects = new Map<string, string>();
    for (const inv of (await engine.inventories(ref)).values()) {
      for (const r of inv.objects) {
        const live = await admin.getIfExists(r, r);
        objects.set(refKey(r), live?.metadata?.resourceVersion ?? 'missing');
      }
    }
    const replicaSets = (await admin.list(ReplicaSets)).items
      .map((rs) => `${rs.metadata?.namespace}/${rs.metadata?.name}`)
      .sort();
    const manifest = (await admin.get(ApplicationManifestKind, ref)) as ApplicationManifest;
    return { objects, replicaSets, manifest: manifest.metadata?.resourceVersion, status: manifest.status };
  }

  it('installs seed 000 with the real charts to Succeeded', async () => {
    const { status, timedOut } = await reconcileUntilSettled(engine, ref, {
      timeoutMs: 12 * 60_000,
      intervalMs: 500,
    });
    assert.equal(timedOut, false, JSON.stringify(status.components));
    assert.equal(status.status, 'Succeeded', JSON.stringify(status.components));
    assert.ok(
      await admin.getIfExists(IstioControlPlanes, { namespace: 'istio-system', name: 'icp-sample-v115x' }),
    );
  });

  it('five passes with nothing changed (two from new processes) write nothing', async (t) => {
    await sleep(2000); // Deployments settle their ReplicaSets
    const before = await snapshot();
    assert.ok(
      before.objects.size > (monitoringInMirror ? 50 : 20),
      `the platform's objects are tracked (${before.objects.size})`,
    );
    assert.ok(before.replicaSets.length > 3);
    let writes = 0;
    for (let i = 0; i < 3; i++) {
      const manifest = (await admin.get(ApplicationManifestKind, ref)) as ApplicationManifest;
      const started = performance.now();
      const pass = await engine.reconcile(manifest);
      // What a no-op pass costs (reported only; timing goals live in bench/).
      t.diagnostic(
        `no-op pass ${i + 1}: ${Math.round(performance.now() - started)} ms, ${pass.writes} writes, ` +
          `${engine.renderer.renders} helm renders so far, ${engine.compare.dryRuns} server-side dry runs so far`,
      );
      writes += pass.writes;
      assert.equal(pass.status.status, 'Succeeded');
      assert.equal(await engine.writeStatus(manifest, pass.status), false, 'status not rewritten');
    }
    assert.equal(writes, 0, 'in-process passes wrote nothing');
    for (let i = 0; i < 2; i++) {
      const r = await sdm(['reconcile', '-f', file, '--kubeconfig', cp.kubeconfigPath, '--timeout', '5m'], {
        SDM_CHARTS_DIR: realCharts,
      });
      assert.equal(r.code, 0, r.stderr);
    }
    // sdm diff shares the engine's comparison (and keeps generated output the same way).
    const diff = await sdm(['diff', '-f', file, '--kubeconfig', cp.kubeconfigPath], {
      SDM_CHARTS_DIR: realCharts,
    });
    assert.equal(diff.stdout, 'no changes\n', diff.stderr);
    const after = await snapshot();
    const changed = [...before.objects].filter(([k, rv]) => after.objects.get(k) !== rv).map(([k]) => k);
    assert.deepEqual(changed, [], 'no managed object was written');
    assert.deepEqual(after.replicaSets, before.replicaSets, 'no Deployment rolled out a new ReplicaSet');
    assert.equal(
      after.manifest,
      before.manifest,
      'the ApplicationManifest (status included) was not written',
    );
  });
});
