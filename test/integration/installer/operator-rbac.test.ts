// The operator as its chart deploys it: under the chart's ServiceAccount with
// RBAC on, holding its Lease. It installs seed 000 without a single 403; while
// it holds the Lease the CLI refuses to install; `sdm diff` touches nothing.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane, toolPath } from '../../../src/devcluster/index.ts';
import { registerApplicationManifestController } from '../../../src/installer/controller.ts';
import { Client, type KubeObject, Manager, Secrets, silentLogger } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { chartsDir, componentStatus, makeMeshAvailable, repoRoot, seed000Manifest } from './support.ts';

const ns = 'supertubes-control-plane';
const ref = { namespace: ns, name: 'sdm-applicationmanifest' };
const run = promisify(execFile);

function sdm(args: string[], kubeconfig: string) {
  return run(
    join(repoRoot, 'node_modules', '.bin', 'node'),
    [
      '--disable-warning=ExperimentalWarning',
      join(repoRoot, 'src/cli/main.ts'),
      ...args,
      '--kubeconfig',
      kubeconfig,
    ],
    {
      env: { ...process.env, SDM_CHARTS_DIR: chartsDir },
    },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

describe('the operator under its chart ServiceAccount', () => {
  let cp: ControlPlane;
  let admin: Client;
  let manager: Manager;
  const tmp = mkdtempSync(join(tmpdir(), 'sdm-rbac-test-'));

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const rendered = execFileSync(
      toolPath('helm'),
      ['template', 'sdm-operator', join(repoRoot, 'charts/sdm-operator'), '-n', ns, '--include-crds'],
      { encoding: 'utf8' },
    );
    // Everything but the workload itself: this test runs the operator in-process.
    for (const doc of parseAllDocuments(rendered)) {
      const obj = doc.toJS() as KubeObject | null;
      if (!obj || obj.kind === 'Deployment' || obj.kind === 'Service') continue;
      await admin.apply(obj);
    }
    const kc = await cp.serviceAccountKubeConfig(ns, 'sdm-operator');
    manager = new Manager({
      kubeConfig: kc,
      handleSignals: false,
      logger: silentLogger(),
      leaderElection: { namespace: ns, name: 'sdm-operator' },
    });
    registerApplicationManifestController(manager, { chartsDir });
    void manager.start();
  });
  after(async () => {
    await manager?.stop();
    await admin?.transport.close();
    await cp?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const get = () => admin.get(ApplicationManifestKind, ref) as Promise<ApplicationManifest>;

  it('installs seed 000 and meets no 403', async () => {
    await eventually(() => assert.ok(manager.isLeader()), { timeoutMs: 30_000 });
    await admin.create(seed000Manifest() as KubeObject);
    await eventually(async () => assert.equal(componentStatus(await get(), 'istioOperator'), 'Available'), {
      timeoutMs: 120_000,
    });
    await makeMeshAvailable(admin);
    await eventually(
      async () => {
        const m = await get();
        assert.equal(m.status?.status, 'Succeeded', JSON.stringify(m.status?.components));
      },
      { timeoutMs: 180_000 },
    );
    const forbidden = (await manager.metrics.restRequests.get()).values.filter(
      (v) => String(v.labels.code) === '403',
    );
    assert.deepEqual(forbidden, [], 'no request was refused');
  });

  it('makes the CLI refuse to install while it holds the lease', async () => {
    const r = await sdm(['install', '-a'], cp.kubeconfigPath);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /an sdm operator .* holds the lease supertubes-control-plane\/sdm-operator/);
    assert.equal((await get()).spec?.kafkaMinion?.enabled, undefined, 'the stored manifest is untouched');
  });

  it('sdm diff shows what would change and changes nothing', async () => {
    const m = seed000Manifest();
    m.spec!.monitoring!.prometheusOperator!.valuesOverride = 'grafana:\n  adminPassword: diff-password\n';
    m.spec!.kafkaMinion = { enabled: true };
    const file = join(tmp, 'changed.yaml');
    writeFileSync(file, stringify(m));
    const secretKey = { namespace: 'supertubes-system', name: 'prometheus-operator-grafana' };
    const before = await admin.get(Secrets, secretKey);
    const manifestBefore = await get();

    const r = await sdm(['diff', '-f', file], cp.kubeconfigPath);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /prometheusOperator:\n(.*\n)*\s+~ Secret supertubes-system\/prometheus-operator-grafana/,
    );
    assert.match(r.stdout, /kafkaMinion:\n(.*\n)*\s+\+ Deployment kafka\/kminion/);
    assert.doesNotMatch(r.stdout, /diff-password/);

    assert.equal(
      (await admin.get(Secrets, secretKey)).metadata?.resourceVersion,
      before.metadata?.resourceVersion,
    );
    assert.equal((await get()).metadata?.generation, manifestBefore.metadata?.generation);
    assert.equal(
      await admin.getIfExists(
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { namespace: 'kafka', name: 'kminion' },
      ),
      undefined,
    );
  });
});
