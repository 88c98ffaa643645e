// What the informer's default transform (stripForCache: no Update
// managedFields, no last-applied annotation) saves per cached object. N
// ConfigMaps (default 5,000; SDM_BENCH_OBJECTS) as `kubectl apply` leaves
// them (the last-applied annotation, an Update managedFields entry) are
// cached by an informer that keeps whole objects (the floor: what the API
// server sends) and by one with the default transform, each in a child
// process of its own; an empty process that made one request is subtracted.
import { spawnSync } from 'node:child_process';
import { KubeConfig } from '@kubernetes/client-node';
import { startControlPlane } from '../../src/devcluster/index.ts';
import { keepWhole } from '../../src/kube/cache-transform.ts';
import { Client, type ConfigMap, ConfigMaps, Informer, silentLogger } from '../../src/kube/index.ts';
import { envInt, forEachParallel } from '../kube/_common.ts';

const ns = 'bench-transform';
const mode = process.argv[2];

function settledHeapMiB(): number {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

if (mode) {
  const kc = new KubeConfig();
  kc.loadFromFile(process.env.KUBECONFIG_FILE ?? '');
  const client = Client.fromKubeConfig(kc);
  let keep: unknown = await client.get(ConfigMaps, { namespace: ns, name: 'cm-0' });
  if (mode !== 'baseline') {
    const informer = new Informer(client, {
      kind: ConfigMaps,
      namespace: ns,
      logger: silentLogger(),
      transform: mode === 'whole' ? keepWhole : undefined,
    });
    informer.start();
    await informer.waitForSync();
    keep = informer;
  }
  console.log(JSON.stringify({ heap: settledHeapMiB(), kept: Boolean(keep) }));
  process.exit(0);
}

const n = envInt('SDM_BENCH_OBJECTS', 5000);
const cp = await startControlPlane({ nodes: 1 });
try {
  const client = Client.fromKubeConfig(cp.kubeConfig());
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await forEachParallel(n, 16, (i) => {
    const body: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: ns, labels: { app: 'bench', index: String(i) } },
      data: { 'config.yaml': `replicas: ${i % 7}\nname: service-${i}\n`, owner: 'team-a', tier: 'backend' },
    };
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(body)}\n` };
    return client.create<ConfigMap>(
      { ...body, metadata: { ...body.metadata, annotations } },
      { fieldManager: 'kubectl-client-side-apply' },
    );
  });
  const measure = (m: string) => {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--disable-warning=ExperimentalWarning', import.meta.filename, m],
      { env: { ...process.env, KUBECONFIG_FILE: cp.kubeconfigPath }, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`${m}: ${r.stderr}`);
    return (JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { heap: number }).heap;
  };
  const base = measure('baseline');
  const whole = measure('whole') - base;
  const stripped = measure('stripped') - base;
  const kib = (mib: number) => ((mib * 1024) / n).toFixed(2);
  console.log(`${n} ConfigMaps as kubectl apply leaves them, heap above an empty client:`);
  console.log(`  floor, whole objects (keepWhole): ${whole.toFixed(1)} MiB (${kib(whole)} KiB/object)`);
  console.log(
    `  default transform (stripForCache): ${stripped.toFixed(1)} MiB (${kib(stripped)} KiB/object)`,
  );
  console.log(`  ratio stripped/whole: ${(stripped / whole).toFixed(2)}`);
} finally {
  await cp.stop();
}
