// The installer part of `sdm demo`: our CRD, the operator in this process
// (holding its Lease like the deployed one would), seed 000's manifest, and
// progress until Succeeded. The demo plays Istio's operator: once the
// istio-operator is up, it creates seed 000's IstioControlPlane and marks it
// Available, which is what lets zookeeper-operator and the rest proceed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { repoRoot } from '../devcluster/tools.ts';
import { registerApplicationManifestController } from '../installer/controller.ts';
import { IstioControlPlanes } from '../installer/engine.ts';
import { DEFAULT_LEASE_NAME, DEFAULT_LEASE_NAMESPACE } from '../installer/lease.ts';
import { Client, type KubeObject, Manager, silentLogger, sleep } from '../kube/index.ts';
import { demoCharts, ISTIO_DEMO_KUBE_VERSION } from './demo-charts.ts';
import { CLI_FIELD_MANAGER, ensureCrd, progressPrinter, statusTable } from './installer-support.ts';

const seeds = join(repoRoot, 'test', 'fixtures', 'seeds');
const seed = <T>(file: string) => parse(readFileSync(join(seeds, file), 'utf8')) as T;

export async function runInstallerDemo(kc: KubeConfig, say: (s: string) => void): Promise<void> {
  const client = Client.fromKubeConfig(kc, { fieldManager: CLI_FIELD_MANAGER });
  const manager = new Manager({
    kubeConfig: kc,
    name: 'sdm-operator',
    handleSignals: false,
    logger: silentLogger(),
    leaderElection: { namespace: DEFAULT_LEASE_NAMESPACE, name: DEFAULT_LEASE_NAME },
  });
  try {
    say('installer:');
    await ensureCrd(client);
    say('  CRD applicationmanifests.supertubes.banzaicloud.io Established');
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: DEFAULT_LEASE_NAMESPACE } });
    const charts = demoCharts(repoRoot);
    for (const note of charts.notes) say(`  ${note}`);
    registerApplicationManifestController(manager, { chartsDir: charts.dir });
    const running = manager.start();
    running.catch(() => undefined);
    while (!manager.isLeader()) await sleep(100);
    say(`  operator running, holding Lease ${DEFAULT_LEASE_NAMESPACE}/${DEFAULT_LEASE_NAME}`);

    const manifest = seed<ApplicationManifest>('000-06-applicationmanifest-sdm-applicationmanifest.yaml');
    // The real istio-operator chart refuses Kubernetes >= 1.27 (see the note above).
    if (charts.real && manifest.spec?.istioOperator)
      manifest.spec.istioOperator.kubeVersion = ISTIO_DEMO_KUBE_VERSION;
    const ref = { namespace: manifest.metadata?.namespace, name: manifest.metadata?.name ?? '' };
    await client.apply({
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      metadata: { ...ref },
      spec: manifest.spec,
    } as KubeObject);
    say(
      `  applied ApplicationManifest ${ref.namespace}/${ref.name} (seed 000 step 6${charts.real ? `, with istioOperator.kubeVersion: ${ISTIO_DEMO_KUBE_VERSION}` : ''})`,
    );

    const started = Date.now();
    const progress = progressPrinter((s) => say(s.trimEnd()));
    let meshMade = false;
    for (;;) {
      const m = (await client.get(ApplicationManifestKind, ref)) as ApplicationManifest;
      if (m.status) progress(m.status);
      if (m.status?.status === 'Succeeded' && m.status.observedGeneration === m.metadata?.generation) {
        say(`  Succeeded in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        say('');
        for (const line of statusTable(m.status).trimEnd().split('\n')) say(`  ${line}`);
        break;
      }
      if (!meshMade && m.status?.components?.istioOperator?.status === 'Available') {
        await playIstioOperator(client);
        meshMade = true;
        say("  (playing Istio's operator: IstioControlPlane istio-system/icp-sample-v115x is Available)");
      }
      if (Date.now() - started > 300_000)
        throw new Error(`not Succeeded after 5 minutes: ${m.status?.message}`);
      await sleep(250);
    }
  } finally {
    await manager.stop();
    await client.transport.close();
  }
}

async function playIstioOperator(client: Client): Promise<void> {
  const icp = seed<KubeObject>('000-08-istiocontrolplane-icp-sample-v115x.yaml');
  const key = { namespace: icp.metadata?.namespace ?? 'istio-system', name: icp.metadata?.name ?? '' };
  if (!(await client.getIfExists(IstioControlPlanes, key))) await client.create(icp);
  await client.patch(IstioControlPlanes, key, { status: { status: 'Available' } }, 'merge', {
    subresource: 'status',
  });
}
