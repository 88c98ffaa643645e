// Seed 000 on the real upstream charts of the chart mirror (SDM_CHARTS_DIR,
// else ../shared/charts beside the checkout, which CI has): a real control
// plane, the installer rendering for the cluster's version and API versions.
// The chart set is the demo's (demo-charts.ts): the mirror's charts, with a
// stand-in only where the mirror's chart cannot render (said in the test
// output, and failed by the first test) or our own chart is not written yet.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  resolveSpec,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { demoCharts, missingDependencies } from '../../../src/cli/demo-charts.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { catalog } from '../../../src/installer/catalog.ts';
import { registerApplicationManifestController } from '../../../src/installer/controller.ts';
import { Renderer } from '../../../src/installer/render.ts';
import { componentValues } from '../../../src/installer/values.ts';
import {
  Client,
  createLogger,
  type KubeObject,
  kind,
  Manager,
  silentLogger,
} from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import {
  CRDs,
  componentStatus,
  Deployments,
  installOurCrds,
  makeMeshAvailable,
  playIstioOperator,
  repoRoot,
  seed000Manifest,
} from './support.ts';

const mirror = process.env.SDM_CHARTS_DIR || join(repoRoot, '..', 'shared', 'charts');
const overlay = mkdtempSync(join(tmpdir(), 'sdm-real-charts-'));
const charts = demoCharts(repoRoot, { SDM_CHARTS_DIR: mirror }, overlay);
const ref = { namespace: 'supertubes-control-plane', name: 'sdm-applicationmanifest' };
const KafkaClusters = kind('kafka.banzaicloud.io/v1beta1', 'KafkaCluster');
const KOPERATOR_CRDS = [
  'kafkaclusters.kafka.banzaicloud.io',
  'kafkatopics.kafka.banzaicloud.io',
  'kafkausers.kafka.banzaicloud.io',
  'cruisecontroloperations.kafka.banzaicloud.io',
];

after(() => rmSync(overlay, { recursive: true, force: true }));

describe('the chart mirror', () => {
  // The mirror is the platform team's; ours is to name what it lacks. A chart
  // copied from its git source (kube-prometheus-stack in ../shared/charts)
  // lacks its subcharts, and helm renders nothing of it: the component must
  // fail saying which dependencies are missing and how to mirror the chart.
  it('holds every upstream chart of the catalog; a chart lacking its dependencies fails naming them', async (t) => {
    for (const note of charts.notes) t.diagnostic(note);
    const names = readdirSync(mirror);
    const renderer = new Renderer(mirror);
    const cluster = { kubeVersion: 'v1.36.3', apiVersions: ['apps/v1', 'v1'] };
    for (const def of catalog.filter((c) => c.chart?.version)) {
      const name = def.chart!.name;
      assert.ok(names.includes(name), `${mirror} has no ${name}`);
      const missing = missingDependencies(join(mirror, name));
      if (!missing.length) continue;
      t.diagnostic(`${mirror}/${name} lacks its dependencies ${missing.join(', ')}: not a packaged chart`);
      await assert.rejects(
        renderer.render(def.chart!, def.release, 'monitoring', {}, { cluster }),
        (err: Error) => {
          for (const dep of missing)
            assert.match(err.message, new RegExp(dep), 'the message names each missing dependency');
          assert.match(err.message, /packaged chart/);
          return true;
        },
      );
    }
  });
});

describe('real charts, rendered as Helm and Kubernetes read them', () => {
  const spec = seed000Manifest().spec!;

  it("zookeeper-operator's octal defaultMode 0555 comes out as 365; kminion's ServiceMonitor matches Prometheus' selector", async () => {
    const renderer = new Renderer(charts.dir);
    const cluster = { kubeVersion: 'v1.36.3', apiVersions: ['monitoring.coreos.com/v1', 'apps/v1', 'v1'] };
    const ctx = {
      spec: resolveSpec({ ...spec, kafkaMinion: { enabled: true } }).resolved,
      manifest: { name: ref.name, namespace: ref.namespace },
    };
    const render = async (name: string) => {
      const def = catalog.find((c) => c.name === name)!;
      const values = componentValues(def.defaultValues, def.derivedValues?.(ctx) ?? {}, {});
      const block = def.block(ctx.spec);
      return (await renderer.render(def.chart!, def.release, block.namespace, values, { cluster })).objects;
    };
    const zk = await render('zookeeperOperator');
    const modes = zk.flatMap((o) =>
      (
        (o as { spec?: { template?: { spec?: { volumes?: { configMap?: { defaultMode?: unknown } }[] } } } })
          .spec?.template?.spec?.volumes ?? []
      ).map((v) => v.configMap?.defaultMode),
    );
    assert.ok(modes.length > 0, 'the hook Jobs mount their scripts');
    for (const m of modes.filter((x) => x !== undefined)) assert.equal(m, 0o555);

    const kminion = await render('kafkaMinion');
    const sm = kminion.find((o) => o.kind === 'ServiceMonitor');
    assert.ok(sm, 'kminion ships a ServiceMonitor when monitoring is on');
    if (!missingDependencies(join(mirror, 'kube-prometheus-stack')).length) {
      const prom = (await render('prometheusOperator')).find((o) => o.kind === 'Prometheus') as
        | { spec: { serviceMonitorSelector: { matchLabels: Record<string, string> } } }
        | undefined;
      assert.ok(prom);
      for (const [k, v] of Object.entries(prom.spec.serviceMonitorSelector.matchLabels))
        assert.equal(sm.metadata?.labels?.[k], v, `ServiceMonitor label ${k}`);
    } else assert.equal(sm.metadata?.labels?.release, 'prometheus-operator');
  });
});

describe('seed 000 on the real charts', () => {
  let cp: ControlPlane;
  let admin: Client;
  let manager: Manager;
  let stopIstio: (() => Promise<void>) | undefined;

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    manager = new Manager({
      kubeConfig: cp.kubeConfig(),
      handleSignals: false,
      logger: process.env.TEST_LOG ? createLogger({ level: process.env.TEST_LOG }) : silentLogger(),
    });
    registerApplicationManifestController(manager, { chartsDir: charts.dir, resyncMs: 1000 });
    void manager.start();
  });
  after(async () => {
    await stopIstio?.();
    await manager?.stop();
    await admin?.transport.close();
    await cp?.stop();
  });

  const get = () => admin.get(ApplicationManifestKind, ref) as Promise<ApplicationManifest>;
  const patchSpec = (spec: unknown) => admin.patch(ApplicationManifestKind, ref, { spec }, 'merge');
  const succeeded = (timeoutMs = 420_000) =>
    eventually(
      async () => {
        const m = await get();
        assert.equal(m.metadata?.generation, m.status?.observedGeneration);
        assert.equal(m.status?.status, 'Succeeded', JSON.stringify(m.status?.components));
        return m;
      },
      { timeoutMs, intervalMs: 500 },
    );

  it('as written: istioOperator Failed, naming the chart and the cluster versions', async () => {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.namespace } });
    await admin.create(seed000Manifest() as KubeObject);
    const m = await eventually(
      async () => {
        const m = await get();
        assert.equal(componentStatus(m, 'istioOperator'), 'Failed');
        return m;
      },
      { timeoutMs: 120_000 },
    );
    const message = m.status?.components?.istioOperator?.message ?? '';
    const server = (
      await admin.transport.request<{ gitVersion: string }>({ method: 'GET', path: '/version' })
    ).gitVersion;
    assert.match(message, /chart istio-operator 2\.1\.6 requires Kubernetes >= 1\.23\.0-0 < 1\.27\.0-0/);
    assert.ok(message.includes(`the cluster runs ${server}`), message);
    assert.match(message, /spec\.istioOperator\.kubeVersion/);
    assert.equal(m.status?.status, 'Failed');
  });

  it('with istioOperator.kubeVersion set: Succeeded, and the koperator CRDs are served', async () => {
    await patchSpec({ istioOperator: { kubeVersion: '1.26.0' } });
    // Seed 000 step 7: the user's IstioControlPlane, which Istio's operator (played here) makes Available.
    await eventually(async () => assert.equal(componentStatus(await get(), 'istioOperator'), 'Available'), {
      timeoutMs: 180_000,
    });
    await makeMeshAvailable(admin);
    stopIstio = playIstioOperator(admin);
    const done = await succeeded();
    const components = done.status?.components ?? {};
    for (const key of [
      'csrOperator',
      'istioOperator',
      'zookeeperOperator',
      'kafkaOperator',
      'monitoring',
      'supertubes',
    ])
      assert.equal(components[key]?.status, 'Available', key);
    for (const name of KOPERATOR_CRDS) {
      const crd = (await admin.get(CRDs, { name })) as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      assert.ok(
        crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
        name,
      );
    }
    // Served: the API lists KafkaClusters (none yet) in the namespace koperator watches.
    // (A CRD just Established may answer 429 while its storage initializes.)
    await eventually(async () =>
      assert.deepEqual((await admin.list(KafkaClusters, { namespace: 'kafka' })).items, []),
    );
    assert.ok(await admin.getIfExists(Deployments, { namespace: 'kafka', name: 'kafka-operator-operator' }));
    assert.ok(await admin.getIfExists(Deployments, { namespace: 'istio-system', name: 'istio-operator' }));
  });

  it('monitoring disabled: Removed with its CRDs kept; enabled again: Available', async () => {
    const kpsCrds = async () =>
      (await admin.list(CRDs)).items
        .map((c) => c.metadata?.name ?? '')
        .filter((n) => n.endsWith('.monitoring.coreos.com'));
    const before = await kpsCrds();
    assert.ok(before.length > 0, 'kube-prometheus-stack installed its CRDs');
    await patchSpec({
      monitoring: { prometheusOperator: { enabled: false }, grafanaDashboards: { enabled: false } },
    });
    const removed = await succeeded(240_000);
    assert.equal(componentStatus(removed, 'monitoring'), 'Removed');
    assert.deepEqual(await kpsCrds(), before, 'CRDs are never deleted without --purge');
    const left = (await admin.list(Deployments, { namespace: 'supertubes-system' })).items.filter(
      (d) => d.metadata?.labels?.['supertubes.banzaicloud.io/component'] === 'prometheusOperator',
    );
    assert.deepEqual(
      left.map((d) => d.metadata?.name),
      [],
    );

    await patchSpec({
      monitoring: { prometheusOperator: { enabled: true }, grafanaDashboards: { enabled: true } },
    });
    const back = await succeeded();
    assert.equal(componentStatus(back, 'monitoring'), 'Available');
  });
});
