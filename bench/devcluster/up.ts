// How long a local control plane takes to become usable, and how much memory
// it holds. The floor, measured in the same run, is etcd + kube-apiserver
// alone reaching /readyz: no control plane can be ready sooner. The ratio says
// what the rest (controller-manager, scheduler, kwok, nodes Ready, default
// ServiceAccount) costs on top.
import { readFileSync } from 'node:fs';
import { startControlPlane } from '../../src/devcluster/index.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const full: number[] = [];
const floor: number[] = [];
let memory = '';
for (let i = 0; i < runs; i++) {
  let apiserverReadyAt = 0;
  const started = performance.now();
  const cp = await startControlPlane({
    progress: (m) => {
      if (m.startsWith('starting kube-controller-manager')) apiserverReadyAt = performance.now();
    },
  });
  full.push(performance.now() - started);
  floor.push(apiserverReadyAt - started);
  if (i === 0) {
    await new Promise((r) => setTimeout(r, 5000)); // let caches fill before reading memory
    const parts = Object.entries(cp.state.components).map(([name, c]) => [name, rssMiB(c.pid)] as const);
    const total = parts.reduce((sum, [, mib]) => sum + mib, 0);
    memory = `resident memory of one idle control plane: ${total.toFixed(0)} MiB (${parts
      .map(([n, m]) => `${n} ${m.toFixed(0)}`)
      .join(', ')})`;
  }
  await cp.stop();
}
const f = median(full);
const fl = median(floor);
console.log(`dev-cluster up to usable (median of ${runs}): ${(f / 1000).toFixed(2)} s`);
console.log(`floor, etcd + kube-apiserver /readyz (median of ${runs}): ${(fl / 1000).toFixed(2)} s`);
console.log(`ratio up / floor: ${(f / fl).toFixed(2)}`);
console.log(memory);
