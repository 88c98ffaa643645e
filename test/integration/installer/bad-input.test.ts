// Bad input gets a clear Failed status (or an admission error) where the user
// looks, and never takes down the components that are fine.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { registerApplicationManifestController } from '../../../src/installer/controller.ts';
import {
  Client,
  errorMessage,
  type KubeObject,
  kind,
  Manager,
  silentLogger,
} from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { chartsDir, Deployments, installOurCrds, makeMeshAvailable, seed000Manifest } from './support.ts';

const ref = { namespace: 'supertubes-control-plane', name: 'sdm-applicationmanifest' };
const healthy = ['csrOperator', 'istioOperator', 'zookeeperOperator', 'monitoring', 'supertubes'];

describe('bad input', () => {
  let cp: ControlPlane;
  let admin: Client;
  let manager: Manager;
  // A private copy of the stand-in charts, so one can be broken.
  const charts = mkdtempSync(join(tmpdir(), 'sdm-bad-input-charts-'));

  before(async () => {
    cpSync(chartsDir, charts, { recursive: true });
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    manager = new Manager({ kubeConfig: cp.kubeConfig(), handleSignals: false, logger: silentLogger() });
    registerApplicationManifestController(manager, { chartsDir: charts, failedRequeueMs: 500 });
    void manager.start();
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.namespace } });
    await admin.create(seed000Manifest() as KubeObject);
    await eventually(() => makeMeshAvailable(admin), { timeoutMs: 120_000, intervalMs: 500 });
    await settled('Succeeded');
  });
  after(async () => {
    await manager?.stop();
    await admin?.transport.close();
    await cp?.stop();
    rmSync(charts, { recursive: true, force: true });
  });

  const get = () => admin.get(ApplicationManifestKind, ref) as Promise<ApplicationManifest>;
  const patchSpec = (spec: unknown) => admin.patch(ApplicationManifestKind, ref, { spec }, 'merge');
  async function settled(state: string, check: (m: ApplicationManifest) => void = () => {}) {
    return eventually(
      async () => {
        const m = await get();
        assert.equal(m.status?.observedGeneration, m.metadata?.generation);
        assert.equal(m.status?.status, state, JSON.stringify(m.status?.components));
        check(m);
        return m;
      },
      { timeoutMs: 120_000 },
    );
  }
  const othersAvailable = (m: ApplicationManifest) => {
    for (const k of healthy) assert.equal(m.status?.components?.[k]?.status, 'Available', k);
  };
  const kafkaMinion = (m: ApplicationManifest) => m.status?.components?.kafkaMinion;

  it('refuses wrong field types at admission, naming the field', async () => {
    await assert.rejects(patchSpec({ kafkaOperator: { enabled: 'yes' } }), (err) => {
      assert.match(errorMessage(err), /spec\.kafkaOperator\.enabled/);
      return true;
    });
    const m = await get();
    assert.equal(m.spec?.kafkaOperator?.enabled, true);
    assert.equal(m.status?.status, 'Succeeded');
  });

  it('fails only the component whose valuesOverride is not YAML, and its dependents', async () => {
    await patchSpec({
      kafkaOperator: { valuesOverride: 'operator:\n  namespaces: [kafka\n' },
      kafkaMinion: { enabled: true },
    });
    const m = await settled('Failed', (m) => {
      assert.equal(m.status?.components?.kafkaOperator?.status, 'Failed');
      assert.equal(kafkaMinion(m)?.status, 'Failed');
    });
    assert.match(
      m.status?.components?.kafkaOperator?.message ?? '',
      /spec\.kafkaOperator\.valuesOverride is not valid YAML at line \d+, column \d+/,
    );
    assert.match(kafkaMinion(m)?.message ?? '', /dependency kafkaOperator failed/);
    othersAvailable(m);
    assert.ok(m.status?.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True'));
    await eventually(async () => {
      const events = await admin.list(kind('v1', 'Event'), { namespace: ref.namespace });
      const found = events.items.some((e) => {
        const ev = e as { reason?: string; type?: string; message?: string };
        return (
          ev.reason === 'ComponentFailed' &&
          ev.type === 'Warning' &&
          /^kafkaOperator: .*valuesOverride/.test(ev.message ?? '')
        );
      });
      assert.ok(found, 'a Warning Event on the manifest says what failed');
    });
    assert.ok(
      await admin.getIfExists(Deployments, { namespace: 'kafka', name: 'kafka-operator' }),
      'left running',
    );
    await patchSpec({ kafkaOperator: { valuesOverride: null } });
    await settled('Succeeded', (m) => assert.equal(kafkaMinion(m)?.status, 'Available'));
  });

  it("reports a chart that fails to render with the chart's reason", async () => {
    await patchSpec({ kafkaMinion: { valuesOverride: 'image:\n  repository: null\n' } });
    const m = await settled('Failed', (m) => assert.equal(kafkaMinion(m)?.status, 'Failed'));
    assert.match(kafkaMinion(m)?.message ?? '', /chart kminion( [\d.]+)?: .*image\.repository is required/);
    othersAvailable(m);
    await patchSpec({ kafkaMinion: { valuesOverride: null } });
    await settled('Succeeded');
  });

  it('reports an unknown chart version, and recovers when the chart is there', async () => {
    const chartYaml = join(charts, 'kminion', 'Chart.yaml');
    const original = readFileSync(chartYaml, 'utf8');
    writeFileSync(chartYaml, original.replace('version: 0.14.0', 'version: 0.0.1'));
    // A spec change makes the operator look again at once.
    await patchSpec({ kafkaMinion: { valuesOverride: 'kminion:\n  config: {}\n' } });
    const m = await settled('Failed', (m) => assert.equal(kafkaMinion(m)?.status, 'Failed'));
    assert.match(
      kafkaMinion(m)?.message ?? '',
      /chart kminion version 0\.14\.0 not found: .* has version 0\.0\.1/,
    );
    othersAvailable(m);
    writeFileSync(chartYaml, original);
    await settled('Succeeded', (m) => assert.equal(kafkaMinion(m)?.status, 'Available'));
  });

  it('refuses a second ApplicationManifest with a status naming the one in charge', async () => {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    const second = seed000Manifest();
    second.metadata = { name: 'second', namespace: 'other' };
    await admin.create(second as KubeObject);
    const refused = await eventually(
      async () => {
        const m = (await admin.get(ApplicationManifestKind, {
          namespace: 'other',
          name: 'second',
        })) as ApplicationManifest;
        assert.equal(m.status?.status, 'Failed');
        return m;
      },
      { timeoutMs: 60_000 },
    );
    assert.match(
      refused.status?.message ?? '',
      /another ApplicationManifest \(supertubes-control-plane\/sdm-applicationmanifest\) is in charge/,
    );
    const first = await get();
    assert.equal(first.status?.status, 'Succeeded');
  });
});
