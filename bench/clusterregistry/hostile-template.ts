// Issue 13 item 7: one rule with an expensive template must slow only itself. Two real control planes
// (a peer and the local cluster), the cluster registry in this process.
// Floor (same run): a benign rule's initial sync of N ConfigMaps (default 200; SDM_BENCH_OBJECTS) with
// nothing else going on. Measured: the same sync of another N while a heavy rule renders a template
// close to the step limit for 20 objects that change every 200 ms. The goal is a ratio within 2x.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { registerClusterRegistry } from '../../src/controllers/clusterregistry/controller.ts';
import { startControlPlane } from '../../src/devcluster/index.ts';
import { Client, ConfigMaps, Informer, Manager, silentLogger } from '../../src/kube/index.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { envInt, seedConfigMaps } from '../kube/_common.ts';
import { registerPeer } from './_peer.ts';

const N = envInt('SDM_BENCH_OBJECTS', 200);
const HEAVY = '{{ range $i := until 3000 }}{{ $i | printf "%05d" | sha256sum | trunc 1 }}{{ end }}';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for cond; a sync that never completes is an error, not a hang. */
async function until(cond: () => boolean, what: string, ms = 300_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`${what}: not done within ${ms / 1000} s`);
    await sleep(20);
  }
}

function rule(name: string, namespace: string, overrides: unknown[] = []): KubeObject {
  return {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ResourceSyncRule',
    metadata: { name },
    spec: {
      groupVersionKind: { version: 'v1', kind: 'ConfigMap' },
      rules: [{ match: [{ namespaces: [namespace] }], mutations: { overrides } }],
    },
  } as KubeObject;
}

const [peerCp, localCp] = await Promise.all([
  startControlPlane({ nodes: 1 }),
  startControlPlane({ nodes: 1 }),
]);
try {
  const peer = Client.fromKubeConfig(peerCp.kubeConfig());
  const local = Client.fromKubeConfig(localCp.kubeConfig());
  for (const ns of ['floor', 'measured']) await seedConfigMaps(peer, ns, N);
  await seedConfigMaps(peer, 'heavy', 20);
  await peer.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'bench-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'bench-reader', namespace: 'cluster-registry' }],
  } as KubeObject);
  const reader = await peerCp.serviceAccountKubeConfig('cluster-registry', 'bench-reader');
  for (const f of ['clusters', 'clusterfeatures', 'resourcesyncrules']) {
    const url = new URL(`../../charts/crds/${f}.clusterregistry.k8s.cisco.com.yaml`, import.meta.url);
    await local.apply(parse(readFileSync(url, 'utf8')));
  }
  await sleep(2000);
  for (const ns of ['floor', 'measured', 'heavy', 'cluster-registry']) {
    await local.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  await registerPeer(
    local,
    { local: await localCp.clusterId(), peer: await peerCp.clusterId() },
    reader.exportConfig(),
  );
  const copies = new Informer(local, { kind: ConfigMaps, labelSelector: 'app=bench' });
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
  await sleep(2000);
  const count = (ns: string) => copies.list().filter((o) => o.metadata?.namespace === ns).length;
  const timeSync = async (name: string, ns: string): Promise<number> => {
    const t = performance.now();
    await local.apply(rule(name, ns));
    await until(() => count(ns) >= N, `sync of ${ns}`);
    return (performance.now() - t) / 1000;
  };

  const floorSeconds = await timeSync('floor', 'floor');

  await local.apply(rule('heavy', 'heavy', [{ type: 'replace', path: '/data/rendered?', value: HEAVY }]));
  let churning = true;
  let round = 0;
  const churn = (async () => {
    while (churning) {
      round++;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          peer.patch(
            ConfigMaps,
            { namespace: 'heavy', name: `cm-${i}` },
            { data: { round: String(round) } },
            'merge',
          ),
        ),
      );
      await sleep(200);
    }
  })();
  await until(() => count('heavy') >= 20, 'sync of the heavy rule');
  const measuredSeconds = await timeSync('measured', 'measured');
  churning = false;
  await churn;
  await manager.stop();
  await copies.stop();

  const ratio = measuredSeconds / floorSeconds;
  console.log(`benign rule, initial sync of ${N} objects:`);
  console.log(`  alone (floor): ${floorSeconds.toFixed(2)} s`);
  console.log(`  beside a heavy rule (20 objects re-rendered every 200 ms): ${measuredSeconds.toFixed(2)} s`);
  console.log(
    `  ratio ${ratio.toFixed(2)} (goal: within 2x) ${ratio <= 2 ? 'OK' : 'OVER'}; heavy rounds: ${round}`,
  );
} finally {
  await Promise.all([peerCp.stop(), localCp.stop()]);
}
