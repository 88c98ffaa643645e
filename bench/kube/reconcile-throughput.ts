// Reconcile throughput of the example ConfigMap mirror (tests' fixture) for N
// sources (default 1,000; SDM_BENCH_RECONCILES), against the floor of the
// same N writes done as raw server-side applies with the same parallelism:
// the runtime's cost (watch, queue, cache reads, no-op detection) on top of
// the writes themselves.
import { startControlPlane } from '../../src/devcluster/index.ts';
import { Client, type ConfigMap, ConfigMaps, Manager, silentLogger } from '../../src/kube/index.ts';
import { addMirrorController, mirrorOfLabel } from '../../test/integration/kube/fixtures/mirror.ts';
import { envInt, forEachParallel, seedConfigMaps } from './_common.ts';

const n = envInt('SDM_BENCH_RECONCILES', 1000);
const concurrency = envInt('BENCH_CONCURRENCY', 4);
const ns = 'bench-reconcile';

const cp = await startControlPlane({ nodes: 1 });
try {
  const client = Client.fromKubeConfig(cp.kubeConfig());
  await seedConfigMaps(client, ns, n, { mirror: 'true' });
  const sources = (await client.listAll(ConfigMaps, { namespace: ns, labelSelector: 'mirror=true' })).items;

  // Floor: the same writes the controller will make, as raw applies.
  let t = performance.now();
  await forEachParallel(sources.length, concurrency, (i) => {
    const s = sources[i] as ConfigMap;
    return client.apply<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `${s.metadata?.name}-raw`,
        namespace: ns,
        labels: { 'bench/raw': 'true' },
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: s.metadata?.name ?? '',
            uid: s.metadata?.uid ?? '',
            controller: true,
          },
        ],
      },
      data: s.data,
    });
  });
  const raw = performance.now() - t;

  // The controller, from start to the last mirror in its cache.
  const mgr = new Manager({
    kubeConfig: cp.kubeConfig(),
    namespace: ns,
    logger: silentLogger(),
    handleSignals: false,
  });
  let reconciles = 0;
  addMirrorController(mgr, { concurrency, onReconcile: () => reconciles++ });
  const mirrors = mgr.informer(ConfigMaps, { labelSelector: mirrorOfLabel });
  t = performance.now();
  const running = mgr.start();
  while (mirrors.list().length < n) await new Promise((r) => setTimeout(r, 20));
  const ctrl = performance.now() - t;
  const writes = await mgr.metrics.writeRequests();
  await mgr.stop();
  await running;

  console.log(
    `floor, ${n} raw server-side applies (${concurrency} in flight): ${(n / (raw / 1000)).toFixed(0)} writes/s`,
  );
  console.log(
    `mirror controller, ${n} sources (concurrency ${concurrency}): ${(n / (ctrl / 1000)).toFixed(0)} mirrors/s` +
      ` (${reconciles} reconciles, ${writes} write requests incl. events)`,
  );
  console.log(`ratio controller / raw apply rate: ${(raw / ctrl).toFixed(2)}`);
  await client.transport.close();
} finally {
  await cp.stop();
}
