// Informer initial sync of N ConfigMaps (default 10,000; SDM_BENCH_OBJECTS),
// against the floor of a plain paginated list of the same objects (same page
// size, same client): what the informer adds on top of fetching (cache,
// indexes, handlers, starting the watch) should be small.
import { startControlPlane } from '../../src/devcluster/index.ts';
import { byNamespace, Client, ConfigMaps, Informer, silentLogger } from '../../src/kube/index.ts';
import { envInt, median, seedConfigMaps } from './_common.ts';

const n = envInt('SDM_BENCH_OBJECTS', 10_000);
const runs = envInt('BENCH_RUNS', 5);
const ns = 'bench-sync';

const cp = await startControlPlane({ nodes: 1 });
try {
  const client = Client.fromKubeConfig(cp.kubeConfig());
  const seedStart = performance.now();
  await seedConfigMaps(client, ns, n);
  console.log(`seeded ${n} ConfigMaps in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const list: number[] = [];
  const sync: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const all = await client.listAll(ConfigMaps, { namespace: ns, pageSize: 500 });
    list.push(performance.now() - t);
    if (all.items.length < n) throw new Error(`listed ${all.items.length}`);

    t = performance.now();
    const informer = new Informer(client, {
      kind: ConfigMaps,
      namespace: ns,
      pageSize: 500,
      indexers: { namespace: byNamespace },
      logger: silentLogger(),
    });
    let adds = 0;
    informer.addHandler({ onAdd: () => adds++ });
    informer.start();
    await informer.waitForSync();
    sync.push(performance.now() - t);
    if (adds < n) throw new Error(`informer delivered ${adds} adds`);
    await informer.stop();
  }
  const l = median(list);
  const s = median(sync);
  console.log(`floor, paginated list of ${n} ConfigMaps (median of ${runs}): ${l.toFixed(0)} ms`);
  console.log(`informer initial sync of ${n} ConfigMaps (median of ${runs}): ${s.toFixed(0)} ms`);
  console.log(`ratio sync / list: ${(s / l).toFixed(2)}`);
  await client.transport.close();
} finally {
  await cp.stop();
}
