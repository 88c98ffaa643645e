// Resident memory of a process whose informer caches N ConfigMaps (default
// 10,000; SDM_BENCH_OBJECTS). Floor, measured in the same run: a process that
// holds the same objects as the plain array a paginated list returns. Each
// measurement runs in its own child process (RSS never shrinks back, so
// measuring in one process would mix them up); an empty process that only
// made one request is the baseline subtracted from both.
import { spawnSync } from 'node:child_process';
import { KubeConfig } from '@kubernetes/client-node';
import { startControlPlane } from '../../src/devcluster/index.ts';
import { byNamespace, Client, ConfigMaps, Informer, silentLogger } from '../../src/kube/index.ts';
import { envInt, seedConfigMaps } from './_common.ts';

const ns = 'bench-memory';
const mode = process.argv[2];

function settledMemory(): { rss: number; heap: number } {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
}

if (mode) {
  // Child: KUBECONFIG_FILE points at the admin kubeconfig.
  const kc = new KubeConfig();
  kc.loadFromFile(process.env.KUBECONFIG_FILE ?? '');
  const client = Client.fromKubeConfig(kc);
  let keep: unknown;
  if (mode === 'baseline') keep = await client.get(ConfigMaps, { namespace: ns, name: 'cm-0' });
  if (mode === 'list') keep = (await client.listAll(ConfigMaps, { namespace: ns })).items;
  if (mode === 'informer') {
    const informer = new Informer(client, {
      kind: ConfigMaps,
      namespace: ns,
      indexers: { namespace: byNamespace },
      logger: silentLogger(),
    });
    informer.start();
    await informer.waitForSync();
    await new Promise((r) => setTimeout(r, 1000)); // the watch is running too
    keep = informer;
  }
  console.log(JSON.stringify({ ...settledMemory(), kept: Boolean(keep) }));
  process.exit(0);
}

const n = envInt('SDM_BENCH_OBJECTS', 10_000);
const cp = await startControlPlane({ nodes: 1 });
try {
  const client = Client.fromKubeConfig(cp.kubeConfig());
  await seedConfigMaps(client, ns, n);
  await client.transport.close();
  const measure = (m: string) => {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--disable-warning=ExperimentalWarning', import.meta.filename, m],
      {
        env: { ...process.env, KUBECONFIG_FILE: cp.kubeconfigPath },
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`${m}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { rss: number; heap: number };
  };
  const base = measure('baseline');
  const list = measure('list');
  const informer = measure('informer');
  const fmt = (x: { rss: number; heap: number }) =>
    `RSS ${x.rss.toFixed(0)} MiB, heap ${x.heap.toFixed(0)} MiB`;
  console.log(`baseline process: ${fmt(base)}`);
  console.log(`floor, ${n} ConfigMaps held as a listed array: ${fmt(list)}`);
  console.log(`informer caching ${n} ConfigMaps (store + index + watch): ${fmt(informer)}`);
  console.log(
    `ratio informer / list, above baseline: RSS ${((informer.rss - base.rss) / (list.rss - base.rss)).toFixed(2)}, heap ${((informer.heap - base.heap) / (list.heap - base.heap)).toFixed(2)}`,
  );
  console.log(
    `per cached object: ${(((informer.heap - base.heap) * 2 ** 20) / n / 1024).toFixed(2)} KiB of heap`,
  );
} finally {
  await cp.stop();
}
