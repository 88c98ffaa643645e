// Where an operator's fixed memory and start-up CPU go: what loading each
// heavy dependency (and our own entry points) costs a fresh process, in RSS
// and CPU seconds above the floor measured in the same run, a bare `node`.
// Each figure is the median of 3 processes. The last rows load everything
// `sdm operator` loads, without and with Node's compile cache (which also
// keeps the type-stripped TypeScript).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../kube/_common.ts';

const root = new URL('../../', import.meta.url).pathname;
const cache = mkdtempSync(join(tmpdir(), 'sdm-compile-cache-'));

// Runs in the child: imports the given specifiers, then reports its own memory and CPU.
const probe = `
for (const s of process.argv.slice(1)) await import(s.startsWith('./') ? new URL(s, 'file://${root}').href : s);
for (let i = 0; i < 3; i++) globalThis.gc();
const c = process.cpuUsage();
console.log(JSON.stringify({ rss: process.memoryUsage().rss / 2 ** 20, cpu: (c.user + c.system) / 1e6 }));
`;

function measure(specs: string[], env: Record<string, string> = {}): { rss: number; cpu: number } {
  const runs = [0, 1, 2].map(() => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', probe, ...specs], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    if (r.status !== 0) throw new Error(`${specs.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { rss: number; cpu: number };
  });
  return { rss: median(runs.map((r) => r.rss)), cpu: median(runs.map((r) => r.cpu)) };
}

const cliCommands =
  'operator app delete demo dev-cluster diff install istio kafka reconcile status uninstall';
const rows: [string, string[], Record<string, string>?][] = [
  ['@kubernetes/client-node (KubeConfig pulls in every API model)', ['@kubernetes/client-node']],
  ['@platformatic/kafka', ['@platformatic/kafka']],
  ['@aws-sdk/client-ecr + client-sts', ['@aws-sdk/client-ecr', '@aws-sdk/client-sts']],
  ['undici', ['undici']],
  ['@sinclair/typebox', ['@sinclair/typebox']],
  ['prom-client + pino', ['prom-client', 'pino']],
  ['yaml', ['yaml']],
  ['re2js', ['re2js']],
  ['reflect-metadata + @peculiar/x509 (CSR signer; on first use)', ['reflect-metadata', '@peculiar/x509']],
  ['src/kube/logger.ts (pino + the TypeScript type stripper)', ['./src/kube/logger.ts']],
  ['src/kube/index.ts (the runtime)', ['./src/kube/index.ts']],
  ['src/kube/kubeconfig.ts (our loader: yaml, no client-node)', ['./src/kube/kubeconfig.ts']],
  ['src/cli/operator.ts (every controller, as `sdm operator`)', ['./src/cli/operator.ts']],
  // What src/cli/main.ts loads besides: every other command (operator-main.ts skips them).
  [
    'every src/cli command module (as main.ts loads them)',
    cliCommands.split(' ').map((c) => `./src/cli/${c}.ts`),
  ],
];

const floor = measure([]);
console.log(`floor: bare node, RSS ${floor.rss.toFixed(1)} MiB, ${floor.cpu.toFixed(2)} CPU-s`);
console.log('above the floor (median of 3 processes):');
const line = (name: string, m: { rss: number; cpu: number }) =>
  console.log(
    `  ${name.padEnd(62)} RSS +${(m.rss - floor.rss).toFixed(1).padStart(5)} MiB  CPU +${(m.cpu - floor.cpu).toFixed(2)} s`,
  );
for (const [name, specs] of rows) line(name, measure(specs));
measure(['./src/cli/operator.ts'], { NODE_COMPILE_CACHE: cache }); // fills the cache
const cached = measure(['./src/cli/operator.ts'], { NODE_COMPILE_CACHE: cache });
line('src/cli/operator.ts with a warm NODE_COMPILE_CACHE', cached);
const cold = measure(['./src/cli/operator.ts']);
console.log(
  `  ratio warm cache / none for src/cli/operator.ts: CPU ${((cached.cpu - floor.cpu) / (cold.cpu - floor.cpu)).toFixed(2)}, RSS ${((cached.rss - floor.rss) / (cold.rss - floor.rss)).toFixed(2)}`,
);
