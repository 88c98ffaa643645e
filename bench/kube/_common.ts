// Shared by the runtime's benchmarks (files starting with _ are not run by bench/run.ts).
import type { Client, ConfigMap } from '../../src/kube/index.ts';

export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Runs fn(i) for i in [0, n) with at most `parallel` in flight. */
export async function forEachParallel(
  n: number,
  parallel: number,
  fn: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** n ConfigMaps of a realistic small size (a few keys, labels), created in parallel. */
export async function seedConfigMaps(
  client: Client,
  namespace: string,
  n: number,
  labels: Record<string, string> = {},
): Promise<void> {
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await forEachParallel(n, 16, (i) =>
    client.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace, labels: { app: 'bench', index: String(i), ...labels } },
      data: { 'config.yaml': `replicas: ${i % 7}\nname: service-${i}\n`, owner: 'team-a', tier: 'backend' },
    }),
  );
}
