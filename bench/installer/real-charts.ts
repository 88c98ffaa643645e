// The installer on the real upstream charts (the chart mirror: SDM_CHARTS_DIR,
// else ../shared/charts; a stand-in only where the mirror's chart cannot
// render, as the demo does), against its floor, on fresh local control planes:
//   floor: the same objects the installer renders for seed 000 (istioOperator
//          rendered for 1.26, the mesh made Available), applied in one
//          server-side-apply pass (CRDs first, waited Established), until
//          every Deployment is Available (KWOK).
//   sdm:   seed 000's manifest with istioOperator.kubeVersion applied to the
//          operator's controller, until Succeeded.
//   no-op: engine passes over the converged manifest: time and writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateCrds } from '../../src/apis/index.ts';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  resolveSpec,
} from '../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { demoCharts, ISTIO_DEMO_KUBE_VERSION } from '../../src/cli/demo-charts.ts';
import { type ControlPlane, startControlPlane } from '../../src/devcluster/index.ts';
import { registerApplicationManifestController } from '../../src/installer/controller.ts';
import { Engine, IstioControlPlanes } from '../../src/installer/engine.ts';
import { assessHealth } from '../../src/installer/health.ts';
import { placeStep } from '../../src/installer/steps/place.ts';
import { Client, type KubeObject, kind, Manager, silentLogger, sleep } from '../../src/kube/index.ts';
import { packageRoot } from '../../src/package-root.ts';

const charts = demoCharts(packageRoot, process.env, join(packageRoot, '.sdm', 'bench-charts'));
const CRDs = kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
const Deployments = kind('apps/v1', 'Deployment');
const say = (s: string) => process.stdout.write(`${s}\n`);
const ref = { namespace: 'supertubes-control-plane', name: 'sdm-applicationmanifest' };

function seed<T>(file: string): T {
  return parse(readFileSync(join(packageRoot, 'test/fixtures/seeds', file), 'utf8')) as T;
}

function manifest(): ApplicationManifest {
  const m = seed<ApplicationManifest>('000-06-applicationmanifest-sdm-applicationmanifest.yaml');
  m.spec!.istioOperator!.kubeVersion = ISTIO_DEMO_KUBE_VERSION;
  return m;
}

async function established(client: Client, names: string[]): Promise<void> {
  for (;;) {
    const all = await Promise.all(names.map((name) => client.get(CRDs, { name })));
    if (all.every((c) => assessHealth(c as never).status === 'Current')) return;
    await sleep(50);
  }
}

async function ourCrds(client: Client): Promise<void> {
  for (const crd of generateCrds()) await client.apply(crd as unknown as KubeObject);
  await established(
    client,
    generateCrds().map((c) => c.metadata.name),
  );
}

/** Plays Istio's operator: seed 000's IstioControlPlane (step 7), made Available once its CRD exists. */
function playIstio(client: Client): () => Promise<void> {
  let on = true;
  const icp = seed<KubeObject>('000-08-istiocontrolplane-icp-sample-v115x.yaml');
  const key = { namespace: icp.metadata?.namespace ?? 'istio-system', name: icp.metadata?.name ?? '' };
  const loop = (async () => {
    while (on) {
      try {
        const now = await client.getIfExists(IstioControlPlanes, key);
        if (!now) await client.create(structuredClone(icp));
        else if ((now as { status?: { status?: string } }).status?.status !== 'Available')
          await client.patch(IstioControlPlanes, key, { status: { status: 'Available' } }, 'merge', {
            subresource: 'status',
          });
      } catch {
        // the CRD or the namespace is not there yet
      }
      await sleep(100);
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

async function floor(cp: ControlPlane): Promise<{ ms: number; objects: number }> {
  const client = Client.fromKubeConfig(cp.kubeConfig());
  await ourCrds(client);
  // Render exactly what the installer would, outside the clock.
  const engine = new Engine({ client, chartsDir: charts.dir });
  const spec = resolveSpec(manifest().spec).resolved;
  const ctx = { spec, manifest: ref };
  const objects: { obj: KubeObject; ns: string }[] = [];
  for (const def of engine.catalog) {
    const block = def.block(spec);
    if (!block.enabled) continue;
    for (const obj of await engine.desiredObjects(def, ctx)) objects.push({ obj, ns: block.namespace });
  }
  const crds = objects.filter((o) => o.obj.kind === 'CustomResourceDefinition');
  const rest = objects.filter((o) => o.obj.kind !== 'CustomResourceDefinition');
  const namespaces = [...new Set(objects.map((o) => o.ns))];
  const stop = playIstio(client);
  const t0 = performance.now();
  await Promise.all(
    namespaces.map((name) => client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  );
  await Promise.all(crds.map((o) => client.apply(o.obj)));
  await established(
    client,
    crds.map((o) => o.obj.metadata?.name ?? ''),
  );
  client.mapper.invalidate();
  await Promise.all(
    rest.map(async (o) => {
      const placed = await placeStep(client, [o.obj], o.ns);
      if (!placed.ok) throw new Error(placed.result.message);
      await client.apply(o.obj, { force: true });
    }),
  );
  const deployments = rest.filter((o) => o.obj.kind === 'Deployment');
  for (;;) {
    const all = await Promise.all(
      deployments.map((o) =>
        client.get(Deployments, { namespace: o.obj.metadata?.namespace, name: o.obj.metadata?.name ?? '' }),
      ),
    );
    if (all.every((d) => assessHealth(d as never).status === 'Current')) break;
    await sleep(50);
  }
  const ms = performance.now() - t0;
  await stop();
  await client.transport.close();
  return { ms, objects: objects.length };
}

async function installer(cp: ControlPlane) {
  const client = Client.fromKubeConfig(cp.kubeConfig());
  await ourCrds(client);
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.namespace } });
  const manager = new Manager({ kubeConfig: cp.kubeConfig(), handleSignals: false, logger: silentLogger() });
  registerApplicationManifestController(manager, { chartsDir: charts.dir });
  void manager.start();
  const stop = playIstio(client);
  const m = manifest();
  const t0 = performance.now();
  await client.apply({ apiVersion: m.apiVersion, kind: m.kind, metadata: ref, spec: m.spec } as KubeObject);
  const deadline = Date.now() + 900_000;
  for (;;) {
    const now = (await client.get(ApplicationManifestKind, ref)) as ApplicationManifest;
    if (now.status?.status === 'Succeeded' && now.status.observedGeneration === now.metadata?.generation)
      break;
    if (Date.now() > deadline)
      throw new Error(`not Succeeded after 15 minutes: ${JSON.stringify(now.status?.components)}`);
    await sleep(50);
  }
  const ms = performance.now() - t0;
  await stop();
  await manager.stop();

  // No-op passes: the engine alone, on the converged manifest.
  const noopEngine = new Engine({ client, chartsDir: charts.dir });
  const writesBefore = await client.metrics.writeRequests();
  const times: number[] = [];
  let writes = 0;
  for (let i = 0; i < 6; i++) {
    const current = (await client.get(ApplicationManifestKind, ref)) as ApplicationManifest;
    const t = performance.now();
    const pass = await noopEngine.reconcile(current);
    const wrote = await noopEngine.writeStatus(current, pass.status);
    // The first pass of a new engine renders (cold cache); the rest are the no-op case.
    if (i > 0) times.push(performance.now() - t);
    if (i > 0) writes += pass.writes + (wrote ? 1 : 0);
  }
  const clientWrites = (await client.metrics.writeRequests()) - writesBefore;
  await client.transport.close();
  times.sort((a, b) => a - b);
  return {
    ms,
    noopMs: times[Math.floor(times.length / 2)] ?? Number.NaN,
    writes,
    clientWrites,
    renders: noopEngine.renderer.renders,
  };
}

for (const note of charts.notes) say(note);
const a = await startControlPlane({ nodes: 2 });
let f: Awaited<ReturnType<typeof floor>>;
try {
  f = await floor(a);
} finally {
  await a.stop();
}
const b = await startControlPlane({ nodes: 2 });
try {
  const s = await installer(b);
  say(
    `floor (one SSA pass of the same ${f.objects} objects + KWOK readiness): ${(f.ms / 1000).toFixed(2)} s`,
  );
  say(`sdm install, seed 000 (real charts) apply -> Succeeded:      ${(s.ms / 1000).toFixed(2)} s`);
  say(`ratio install/floor:                                         ${(s.ms / f.ms).toFixed(2)}x`);
  say(`no-op reconcile pass (median of 5, warm render cache):       ${s.noopMs.toFixed(0)} ms`);
  say(
    `no-op writes (5 passes): ${s.writes} (client write requests incl. cold first pass: ${s.clientWrites}); helm runs: ${s.renders}`,
  );
  say(`ratio no-op pass/floor:                                      ${(s.noopMs / f.ms).toFixed(3)}x`);
} finally {
  await b.stop();
}
