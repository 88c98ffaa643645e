// Memory and start-up of the operator process (`sdm operator`), per
// controller set (default `--controllers=clusterregistry`, then all), on real
// control planes, measured from the outside through /proc:
//   start-up: CPU seconds (user+system) and wall time until /readyz answers 200
//   idle:     RSS 5 s after ready (no objects to sync)
//   loaded:   RSS after a cluster registry sync of N ConfigMaps from a peer
//             (default 1,000; SDM_BENCH_OBJECTS) and S seconds of R changes/s
//             on the peer (default 30 s at 50/s; SDM_BENCH_SECONDS, SDM_BENCH_RATE)
//   Events:   Event objects the sync left in the local cluster (and the sum of their counts)
// Floors, measured in the same run as processes of their own: bare `node`,
// and `node` that has loaded @kubernetes/client-node (what every Node.js
// Kubernetes client starts from). The upstream Go controller's figures (issue
// 12: 38 MiB idle, 66 MiB loaded, 0.1 CPU-s to start) are printed for
// reference only: they were measured elsewhere.
// SDM_BENCH_HEAPSNAPSHOT=1 also writes a heap snapshot of the loaded
// operator and prints its largest parts; SDM_BENCH_NODE_ARGS passes node
// flags to the operator (to try V8 memory settings). SDM_BENCH_ENTRY picks the
// entry, or several, comma-separated, each run on every set in the same run:
// operator-main (src/cli/operator-main.ts, what bin/sdm runs for
// `sdm operator`), main (src/cli/main.ts, every command's modules loaded) or
// bundle (tools/bundle.ts builds the bundle first; dist/.../sdm.js, what the
// image runs) or image (the bundle run as the Dockerfile runs it: the node
// flags of its ENTRYPOINT and its ENV MALLOC_ARENA_MAX, read from the
// Dockerfile). Default operator-main,image: source against the image.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { type ControlPlane, startControlPlane } from '../../src/devcluster/index.ts';
import { Client, ConfigMaps, type KubeObject } from '../../src/kube/index.ts';
import { bundle } from '../../tools/bundle.ts';
import { registerPeer } from '../clusterregistry/_peer.ts';
import { envInt, seedConfigMaps } from '../kube/_common.ts';
import { heapSummary } from './_heap.ts';
import { cpuSeconds, rssMiB } from './_proc.ts';

const N = envInt('SDM_BENCH_OBJECTS', 1000);
const RATE = envInt('SDM_BENCH_RATE', 50);
const SECONDS = envInt('SDM_BENCH_SECONDS', 30);
const SETS = (process.env.SDM_BENCH_SETS ?? 'clusterregistry,all').split(',').filter(Boolean);
const SNAPSHOT = Boolean(process.env.SDM_BENCH_HEAPSNAPSHOT);
/** Extra node flags for the operator, to try V8 settings (e.g. --max-semi-space-size=1). */
const NODE_ARGS = (process.env.SDM_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ENTRIES = (process.env.SDM_BENCH_ENTRY ?? 'operator-main,image').split(',').filter(Boolean);
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sdm-bench-memory-'));
/** The bundle of this run (under dist/, where node_modules and sdm's package.json are found above it). */
let bundled: string | undefined;

/** The image's node flags and environment, as its Dockerfile's ENTRYPOINT and ENV say. */
function imageSettings(): { nodeArgs: string[]; env: Record<string, string> } {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const entrypoint = [...text.matchAll(/^ENTRYPOINT (\[.*\])$/gm)].at(-1)?.[1];
  if (!entrypoint) throw new Error('Dockerfile has no ENTRYPOINT in exec form');
  const argv = JSON.parse(entrypoint) as string[];
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/^ENV MALLOC_ARENA_MAX=(\S+)$/gm)) env.MALLOC_ARENA_MAX = m[1]!;
  // ["node", ...flags, "/app/dist/sdm.js"]: the flags sit between the two.
  return { nodeArgs: argv.slice(1, -1), env };
}

/** Node flags and environment for an entry beyond the bench's own. */
function entrySettings(entry: string): { nodeArgs: string[]; env: Record<string, string> } {
  return entry === 'image' ? imageSettings() : { nodeArgs: [], env: {} };
}

/** The file `node` runs for an entry name. */
async function entryFile(entry: string): Promise<string> {
  if (entry !== 'bundle' && entry !== 'image') return join(root, `src/cli/${entry}.ts`);
  if (!bundled) {
    mkdirSync(join(root, 'dist'), { recursive: true });
    bundled = (await bundle(mkdtempSync(join(root, 'dist', '.bench-')))).outdir;
  }
  return join(bundled, 'sdm.js');
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f1 = (x: number) => x.toFixed(1);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
}

/** A floor process: node evaluating `code`, which prints "ready" when it has loaded what it loads. */
async function floor(name: string, code: string): Promise<{ name: string; cpu: number; rss: number }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (c) => reject(new Error(`${name} exited with ${c}`)));
  });
  const cpu = cpuSeconds(child.pid!);
  await sleep(5000);
  const { rss } = rssMiB(child.pid!);
  child.kill('SIGTERM');
  await exited(child);
  return { name, cpu, rss };
}

async function crds(client: Client): Promise<void> {
  const dir = join(root, 'charts/crds');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')))
    await client.apply(parse(readFileSync(join(dir, file), 'utf8')) as KubeObject);
  await sleep(2000); // discovery serves the new groups
}

/** The local cluster as the cluster registry wants it: CRDs, our Cluster, the peer's Cluster + kubeconfig. */
async function prepareLocal(
  local: ControlPlane,
  peer: ControlPlane,
  readerKubeconfig: string,
): Promise<Client> {
  const client = Client.fromKubeConfig(local.kubeConfig());
  await crds(client);
  for (const ns of [
    'bench',
    'cluster-registry',
    'csr-operator-system',
    'supertubes-control-plane',
    'bench-landscape',
  ])
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await registerPeer(
    client,
    { local: await local.clusterId(), peer: await peer.clusterId() },
    readerKubeconfig,
  );
  return client;
}

interface OperatorRun {
  set: string;
  entry: string;
  startCpu: number;
  startWall: number;
  idle: number;
  syncSeconds: number;
  loaded: number;
  peak: number;
  events: number;
  eventCount: number;
  heap?: ReturnType<typeof heapSummary>;
}

async function runOperator(
  set: string,
  entry: string,
  peer: ControlPlane,
  peerClient: Client,
  reader: string,
): Promise<OperatorRun> {
  const local = await startControlPlane({ nodes: 1 });
  let child: ChildProcess | undefined;
  try {
    const client = await prepareLocal(local, peer, reader);
    const port = await freePort();
    const args = [
      '--disable-warning=ExperimentalWarning',
      ...(SNAPSHOT ? ['--heapsnapshot-signal=SIGUSR2'] : []),
      ...NODE_ARGS,
      ...entrySettings(entry).nodeArgs,
      await entryFile(entry),
      'operator',
      // All controllers: the streaming application controller needs its landscape namespace.
      ...(set === 'all' ? ['--set=streamingapp.landscape=bench-landscape'] : [`--controllers=${set}`]),
      '--no-leader-election',
      `--health-port=${port}`,
      `--kubeconfig=${local.kubeconfigPath}`,
    ];
    const dir = mkdtempSync(join(work, `${set}-${entry}-`));
    const started = performance.now();
    const log = openSync(join(dir, 'operator.log'), 'w');
    child = spawn(process.execPath, args, {
      cwd: dir,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        ...entrySettings(entry).env,
        CLUSTER_REGISTRY_PROBE_INTERVAL_MS: '1000',
        LOG_LEVEL: 'warn',
      },
    });
    const pid = child.pid!;
    let ready = false;
    while (!ready) {
      if (child.exitCode !== null) {
        const tail = readFileSync(join(dir, 'operator.log'), 'utf8').split('\n').slice(-15).join('\n');
        throw new Error(`sdm operator (${set}) exited with ${child.exitCode}:\n${tail}`);
      }
      if (performance.now() - started > 180_000) throw new Error(`sdm operator (${set}) not ready in 180 s`);
      ready = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (!ready) await sleep(50);
    }
    const startWall = (performance.now() - started) / 1000;
    const startCpu = cpuSeconds(pid);
    await sleep(5000);
    const idle = rssMiB(pid).rss;

    const t = performance.now();
    await client.apply({
      apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
      kind: 'ResourceSyncRule',
      metadata: { name: 'configmaps' },
      spec: {
        groupVersionKind: { version: 'v1', kind: 'ConfigMap' },
        rules: [{ match: [{ namespaces: ['bench'], labels: [{ matchLabels: { app: 'bench' } }] }] }],
      },
    } as KubeObject);
    for (;;) {
      const n = (await client.listAll(ConfigMaps, { namespace: 'bench', labelSelector: 'app=bench' })).items
        .length;
      if (n >= N) break;
      if (performance.now() - t > 300_000) throw new Error(`sync (${set}): ${n}/${N} copies after 300 s`);
      await sleep(500);
    }
    const syncSeconds = (performance.now() - t) / 1000;

    const changeStart = performance.now();
    for (let i = 0; i < RATE * SECONDS; i++) {
      const wait = changeStart + (i * 1000) / RATE - performance.now();
      if (wait > 0) await sleep(wait);
      void peerClient
        .patch(
          ConfigMaps,
          { namespace: 'bench', name: `cm-${i % N}` },
          { data: { version: `${set}-${i}` } },
          'merge',
        )
        .catch(() => undefined);
    }
    await sleep(5000);
    const { rss: loaded, peak } = rssMiB(pid);

    const events = (await client.listAll({ apiVersion: 'v1', kind: 'Event' } as never, {})).items.filter(
      (e) => (e as { source?: { component?: string } }).source?.component === 'cluster-registry-controller',
    ) as (KubeObject & { count?: number })[];

    let heap: OperatorRun['heap'];
    if (SNAPSHOT) {
      child.kill('SIGUSR2');
      let file: string | undefined;
      for (let i = 0; i < 600 && !file; i++) {
        await sleep(500);
        file = readdirSync(dir).find((n) => n.endsWith('.heapsnapshot'));
      }
      // Parsed once it is complete (V8 writes it in pieces, pausing while it walks the heap).
      for (let i = 0; file && !heap && i < 60; i++) {
        await sleep(2000);
        try {
          heap = heapSummary(join(dir, file));
        } catch {}
      }
    }
    return {
      set,
      entry,
      startCpu,
      startWall,
      idle,
      syncSeconds,
      loaded,
      peak,
      events: events.length,
      eventCount: events.reduce((s, e) => s + (e.count ?? 1), 0),
      heap,
    };
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited(child), sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await local.stop();
  }
}

const bare = await floor('node (bare)', `console.log('ready'); setInterval(() => {}, 1000);`);
const clientNode = await floor(
  'node + @kubernetes/client-node',
  `await import('@kubernetes/client-node'); console.log('ready'); setInterval(() => {}, 1000);`,
);

const peer = await startControlPlane({ nodes: 1 });
const runs: OperatorRun[] = [];
try {
  const peerClient = Client.fromKubeConfig(peer.kubeConfig());
  await seedConfigMaps(peerClient, 'bench', N);
  await peerClient.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'bench-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'bench-reader', namespace: 'cluster-registry' }],
  } as KubeObject);
  const reader = (await peer.serviceAccountKubeConfig('cluster-registry', 'bench-reader')).exportConfig();
  for (const set of SETS)
    for (const entry of ENTRIES) runs.push(await runOperator(set, entry, peer, peerClient, reader));
} finally {
  await peer.stop();
  if (bundled) rmSync(bundled, { recursive: true, force: true });
}

console.log('floors (same run):');
for (const fl of [bare, clientNode])
  console.log(`  ${fl.name.padEnd(32)} start ${fl.cpu.toFixed(2)} CPU-s, RSS ${f1(fl.rss)} MiB`);
for (const r of runs) {
  const name = r.set === 'all' ? 'all controllers' : `--controllers=${r.set}`;
  const from =
    r.entry === 'image'
      ? `as the image runs it: node ${imageSettings().nodeArgs.join(' ')}${Object.entries(imageSettings().env)
          .map(([k, v]) => `, ${k}=${v}`)
          .join('')}`
      : r.entry === 'bundle'
        ? 'bundled: tools/bundle.ts'
        : relative(root, await entryFile(r.entry));
  console.log(`sdm operator ${name} (${from})${NODE_ARGS.length ? ` (node ${NODE_ARGS.join(' ')})` : ''}:`);
  console.log(
    `  start-up: ${r.startCpu.toFixed(2)} CPU-s (${f1(r.startWall)} s wall) to ready; ratio vs node+client-node floor ${(r.startCpu / clientNode.cpu).toFixed(2)}`,
  );
  console.log(
    `  RSS idle ${f1(r.idle)} MiB (ratio vs floor ${(r.idle / clientNode.rss).toFixed(2)}, vs bare node ${(r.idle / bare.rss).toFixed(2)})`,
  );
  console.log(
    `  RSS after syncing ${N} objects (${f1(r.syncSeconds)} s) and ${SECONDS} s of ${RATE} changes/s: ${f1(r.loaded)} MiB, peak ${f1(r.peak)} MiB (ratio vs floor ${(r.loaded / clientNode.rss).toFixed(2)})`,
  );
  console.log(`  Events left by the sync: ${r.events} objects (counts sum to ${r.eventCount})`);
  console.log(
    `  vs the upstream Go controller (issue 12, measured elsewhere: 38 / 66 MiB, 0.1 CPU-s): idle ${(r.idle / 38).toFixed(2)}x, loaded ${(r.loaded / 66).toFixed(2)}x`,
  );
  if (r.heap) {
    console.log(
      `  heap snapshot (loaded): ${f1(r.heap.total / 2 ** 20)} MiB in objects; largest by self size:`,
    );
    for (const [k, size, n] of r.heap.rows)
      console.log(`    ${f1(size / 2 ** 20).padStart(6)} MiB ${String(n).padStart(8)}  ${k}`);
  }
}

if (ENTRIES.length > 1) {
  // Source and bundle (or any entries) side by side, per controller set.
  console.log('entries side by side (same run):');
  console.log(
    `  ${'set'.padEnd(18)} ${'entry'.padEnd(14)} ${'start CPU-s'.padStart(11)} ${'idle MiB'.padStart(9)} ${'loaded MiB'.padStart(11)} ${'peak MiB'.padStart(9)}`,
  );
  for (const r of runs)
    console.log(
      `  ${r.set.padEnd(18)} ${r.entry.padEnd(14)} ${r.startCpu.toFixed(2).padStart(11)} ${f1(r.idle).padStart(9)} ${f1(r.loaded).padStart(11)} ${f1(r.peak).padStart(9)}`,
    );
  for (const set of SETS) {
    const [first, ...rest] = runs.filter((r) => r.set === set);
    for (const r of rest)
      console.log(
        `  ${set}: ${r.entry} / ${first!.entry}: start CPU ${(r.startCpu / first!.startCpu).toFixed(2)}, idle ${(r.idle / first!.idle).toFixed(2)}, loaded ${(r.loaded / first!.loaded).toFixed(2)}`,
      );
  }
}
