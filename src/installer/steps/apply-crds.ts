// Step "apply CRDs": a chart's CRDs go first, and the pass waits (a while) for
// them to be Established before applying objects of their kinds. A CRD still
// pending is Reconciling with the reason, picked up by the next pass.
import { type Client, type KubeObject, kind, sleep } from '../../kube/index.ts';
import { assessHealth } from '../health.ts';
import type { ComponentResult } from '../types.ts';
import { applyOne } from './apply.ts';
import type { PassIO } from './pass-io.ts';

const CRDs = kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');

export function isCrd(obj: KubeObject): boolean {
  return obj.kind === 'CustomResourceDefinition';
}

/** Why the first of these CRDs is not Established yet, or undefined when all are. Pure. */
export function establishedProblem(crds: readonly (KubeObject | undefined)[]): string | undefined {
  for (const crd of crds) {
    const h = assessHealth(crd as Parameters<typeof assessHealth>[0], { kind: 'CustomResourceDefinition' });
    if (h.status !== 'Current') return h.message;
  }
  return undefined;
}

async function waitEstablished(
  client: Client,
  crds: readonly KubeObject[],
  waitMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = await Promise.all(
      crds.map((c) => client.getIfExists(CRDs, { name: c.metadata?.name ?? '' })),
    );
    const pending = establishedProblem(now);
    if (!pending) {
      // Their kinds are served now: forget what discovery said before.
      for (const crd of crds) {
        const spec = (crd as { spec?: { group?: string; versions?: { name: string }[] } }).spec;
        for (const v of spec?.versions ?? []) client.mapper.invalidate(`${spec?.group}/${v.name}`);
      }
      return undefined;
    }
    if (Date.now() > deadline) return pending;
    await sleep(200);
  }
}

export async function applyCrdsStep(
  io: PassIO,
  crds: readonly KubeObject[],
  waitMs: number,
  component = '',
): Promise<{ ok: true; observed: KubeObject[] } | { ok: false; result: Omit<ComponentResult, 'name'> }> {
  if (crds.length === 0) return { ok: true, observed: [] };
  const observed: KubeObject[] = [];
  const before = io.writes.count;
  // Helm's rule for CRDs: one that exists and is not ours is used as it is, never taken over.
  for (const crd of crds) observed.push(await applyOne(io, crd, 'skip', component));
  io.writes.crds += io.writes.count - before;
  const waiting = await waitEstablished(io.client, crds, waitMs);
  if (waiting) return { ok: false, result: { status: 'Reconciling', message: waiting } };
  return { ok: true, observed };
}
