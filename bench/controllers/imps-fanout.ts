// Fan-out of one ImagePullSecret to N namespaces (default 1,000) against the
// floor: the same N Secrets created directly with the same client and write
// concurrency. The ratio says what watching, planning and status cost on top
// of the writes themselves.
import { BanzaiImagePullSecretKind } from '../../src/apis/index.ts';
import { imagePullSecretsEntry } from '../../src/controllers/imagepullsecrets/index.ts';
import { startControlPlane } from '../../src/devcluster/index.ts';
import { Client, Manager, registerController, Secrets, silentLogger } from '../../src/kube/index.ts';
import { installCrd } from '../../test/integration/imagepullsecrets/support.ts';

const N = Number(process.env.BENCH_NAMESPACES ?? 1000);
const CONCURRENCY = 16;

async function inParallel(count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

const cp = await startControlPlane();
try {
  const admin = Client.fromKubeConfig(cp.kubeConfig());
  await installCrd(admin, 'imagepullsecrets.images.banzaicloud.io.yaml', BanzaiImagePullSecretKind);
  await inParallel(N, (i) =>
    admin.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `ns-${i}`, labels: { fanout: 'yes' } },
    }),
  );
  const config = Buffer.from('{"auths":{"r.example.com":{"auth":"dTpw"}}}').toString('base64');

  // Floor: N Secrets of the same size, created directly.
  let t = performance.now();
  await inParallel(N, (i) =>
    admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'raw', namespace: `ns-${i}` },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': config },
    }),
  );
  const rawMs = performance.now() - t;

  await admin.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'source', namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': config },
  });
  const manager = new Manager({ kubeConfig: cp.kubeConfig(), logger: silentLogger(), handleSignals: false });
  await registerController(imagePullSecretsEntry, manager, {});
  void manager.start();
  // Let the informers sync on N namespaces before the clock starts.
  await new Promise((r) => setTimeout(r, 3000));

  t = performance.now();
  await admin.create({
    apiVersion: 'images.banzaicloud.io/v1alpha1',
    kind: 'ImagePullSecret',
    metadata: { name: 'fanout' },
    spec: {
      registry: { credentials: [{ name: 'source', namespace: 'default' }] },
      target: { namespaces: { labels: [{ matchLabels: { fanout: 'yes' } }] }, secret: { name: 'pull' } },
    },
  });
  for (;;) {
    const imps = await admin.get(BanzaiImagePullSecretKind, { name: 'fanout' });
    if ((imps.status?.managedNamespaces?.length ?? 0) >= N) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const fanoutMs = performance.now() - t;
  const written = (await admin.list(Secrets, { fieldSelector: 'metadata.name=pull' })).items.length;

  // A namespace created later, with N already served: from its creation to its
  // pull Secret, against one create round trip (the floor for any write).
  const latencies: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < 20; i++) {
    const name = `late-${i}`;
    let t0 = performance.now();
    await admin.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { fanout: 'yes' } },
    });
    while (!(await admin.getIfExists(Secrets, { namespace: name, name: 'pull' }))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - t0);
    t0 = performance.now();
    await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'floor', namespace: name } });
    floors.push(performance.now() - t0);
  }
  await manager.stop();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

  console.log(
    `raw create of ${N} Secrets (concurrency ${CONCURRENCY}): ${(rawMs / 1000).toFixed(2)} s, ${(N / (rawMs / 1000)).toFixed(0)}/s`,
  );
  console.log(
    `controller fan-out to ${N} namespaces (${written} Secrets, status Ready): ${(fanoutMs / 1000).toFixed(2)} s, ${(N / (fanoutMs / 1000)).toFixed(0)}/s`,
  );
  console.log(`ratio fan-out time / raw create time: ${(fanoutMs / rawMs).toFixed(2)}`);
  console.log(
    `new namespace to pull Secret with ${N} served (median of 20): ${median(latencies).toFixed(0)} ms; one create round trip ${median(floors).toFixed(0)} ms; ratio ${(median(latencies) / median(floors)).toFixed(1)}`,
  );
} finally {
  await cp.stop();
}
