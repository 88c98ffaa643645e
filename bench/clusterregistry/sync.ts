// Cluster registry sync, on two real control planes (a peer and the local cluster), controller in
// this process with the cluster registry's default settings.
// 1. Initial sync of N ConfigMaps (default 1,000; SDM_BENCH_OBJECTS) from the peer. Floor, measured
//    in the same run: creating the same N objects in the local cluster directly, with as many
//    requests in flight as the sync engine has workers (4).
// 2. Source-to-copy latency at R changes/s (default 50; SDM_BENCH_RATE) for D seconds (default 10):
//    from the update call on the peer to the copy's change seen by a watch on the local cluster.
//    Floor: from the same update call to the change seen by a watch on the peer itself.

import { registerClusterRegistry } from '../../src/controllers/clusterregistry/controller.ts';
import { startControlPlane } from '../../src/devcluster/index.ts';
import { Client, type ConfigMap, ConfigMaps, Informer, Manager, silentLogger } from '../../src/kube/index.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { envInt, forEachParallel, median, seedConfigMaps } from '../kube/_common.ts';
import { registerPeer } from './_peer.ts';

const N = envInt('SDM_BENCH_OBJECTS', 1000);
const RATE = envInt('SDM_BENCH_RATE', 50);
const SECONDS = envInt('SDM_BENCH_SECONDS', 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

const [peerCp, localCp] = await Promise.all([
  startControlPlane({ nodes: 1 }),
  startControlPlane({ nodes: 1 }),
]);
try {
  const peer = Client.fromKubeConfig(peerCp.kubeConfig());
  const local = Client.fromKubeConfig(localCp.kubeConfig());
  await seedConfigMaps(peer, 'bench', N);

  // Floor 1: raw creates into the local cluster.
  await local.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'raw' } });
  const source = (await peer.listAll(ConfigMaps, { namespace: 'bench', labelSelector: 'app=bench' })).items;
  let t = performance.now();
  await forEachParallel(source.length, 4, (i) =>
    local.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: source[i]!.metadata!.name!, namespace: 'raw', labels: source[i]!.metadata?.labels },
      data: source[i]!.data,
    }),
  );
  const rawSeconds = (performance.now() - t) / 1000;

  // The peer's reader: a ServiceAccount allowed to read (the built-in view role).
  await peer.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'bench-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'bench-reader', namespace: 'cluster-registry' }],
  } as KubeObject);
  const reader = await peerCp.serviceAccountKubeConfig('cluster-registry', 'bench-reader');
  for (const f of ['clusters', 'clusterfeatures', 'resourcesyncrules']) {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const crd = parse(
      readFileSync(
        new URL(`../../charts/crds/${f}.clusterregistry.k8s.cisco.com.yaml`, import.meta.url),
        'utf8',
      ),
    );
    await local.apply(crd);
  }
  await sleep(2000);
  await local.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  await local.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cluster-registry' } });
  await registerPeer(
    local,
    { local: await localCp.clusterId(), peer: await peerCp.clusterId() },
    reader.exportConfig(),
  );

  // A watch on the local copies, for both measurements.
  const copies = new Informer<ConfigMap>(local, {
    kind: ConfigMaps,
    namespace: 'bench',
    labelSelector: 'app=bench',
  });
  const seenAt = new Map<string, number>();
  const onCopy = (o: ConfigMap) => {
    const v = o.data?.version;
    if (v && !seenAt.has(v)) seenAt.set(v, performance.now());
  };
  copies.addHandler({ onAdd: onCopy, onUpdate: (_o, n) => onCopy(n) });
  copies.start();

  const manager = new Manager({
    kubeConfig: localCp.kubeConfig(),
    handleSignals: false,
    logger: silentLogger(),
  });
  await registerClusterRegistry(manager, {
    namespace: 'cluster-registry',
    probeIntervalMs: 1000,
    coreSync: false,
  });
  void manager.start();
  await sleep(1500);
  t = performance.now();
  await local.apply({
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ResourceSyncRule',
    metadata: { name: 'configmaps' },
    spec: {
      groupVersionKind: { version: 'v1', kind: 'ConfigMap' },
      rules: [{ match: [{ namespaces: ['bench'], labels: [{ matchLabels: { app: 'bench' } }] }] }],
    },
  } as KubeObject);
  while (copies.list().length < N) await sleep(50);
  const syncSeconds = (performance.now() - t) / 1000;

  // Latency at RATE changes/s; the peer's own watch is the floor.
  const peerWatch = new Informer<ConfigMap>(peer, { kind: ConfigMaps, namespace: 'bench' });
  const peerSeenAt = new Map<string, number>();
  peerWatch.addHandler({
    onUpdate: (_o, n) => {
      const v = n.data?.version;
      if (v && !peerSeenAt.has(v)) peerSeenAt.set(v, performance.now());
    },
  });
  peerWatch.start();
  await peerWatch.waitForSync();
  const sentAt = new Map<string, number>();
  const total = RATE * SECONDS;
  const start = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const version = `v${i}`;
    sentAt.set(version, performance.now());
    inflight.push(
      peer.patch(ConfigMaps, { namespace: 'bench', name: `cm-${i % N}` }, { data: { version } }, 'merge'),
    );
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 60_000;
  while ((seenAt.size < total || peerSeenAt.size < total) && performance.now() < deadline) await sleep(100);
  const lat = [...sentAt].filter(([v]) => seenAt.has(v)).map(([v, s]) => seenAt.get(v)! - s);
  const floor = [...sentAt].filter(([v]) => peerSeenAt.has(v)).map(([v, s]) => peerSeenAt.get(v)! - s);
  await manager.stop();
  await copies.stop();
  await peerWatch.stop();

  const f = (x: number) => x.toFixed(1);
  console.log(`initial sync of ${N} objects: ${f(syncSeconds)} s; raw create floor: ${f(rawSeconds)} s`);
  console.log(
    `  ratio sync/raw: ${(syncSeconds / rawSeconds).toFixed(2)} (${f(N / syncSeconds)} vs ${f(N / rawSeconds)} objects/s)`,
  );
  console.log(`latency at ${RATE} changes/s over ${SECONDS} s (${lat.length}/${total} seen):`);
  console.log(`  copy   p50 ${f(pct(lat, 50))} ms, p99 ${f(pct(lat, 99))} ms`);
  console.log(`  floor  p50 ${f(pct(floor, 50))} ms, p99 ${f(pct(floor, 99))} ms (watch on the peer itself)`);
  console.log(
    `  ratio p50 ${(pct(lat, 50) / pct(floor, 50)).toFixed(2)}, p99 ${(pct(lat, 99) / pct(floor, 99)).toFixed(2)}; median ${f(median(lat))} ms`,
  );
} finally {
  await Promise.all([peerCp.stop(), localCp.stop()]);
}
