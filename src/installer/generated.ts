// What a chart generates at random (genCA certificates, randAlphaNum
// passwords) is found by rendering it twice: the leaves that differ. Applying
// a fresh render would rotate them on every new process (and restart what
// mounts them), so once they exist in the cluster they are kept from there —
// as a group: only when every generated object is live are all of them kept,
// else all are applied fresh, so a certificate and the webhook caBundle made
// from it always come from the same render. Pure.
import type { KubeObject } from '../kube/index.ts';

export type Path = (string | number)[];

function leaves(a: unknown, b: unknown, at: Path, out: Path[]): void {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (const [i, x] of a.entries()) leaves(x, b[i], [...at, i], out);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length === kb.length && ka.every((k) => k in b)) {
      for (const k of ka)
        leaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...at, k], out);
      return;
    }
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(at);
}

/** Per object of the first render (by index), the paths where a second render differs. */
export function generatedPaths(first: readonly KubeObject[], second: readonly KubeObject[]): Path[][] {
  if (first.length !== second.length) return first.map(() => []);
  return first.map((o, i) => {
    const out: Path[] = [];
    leaves(o, second[i], [], out);
    return out;
  });
}

function get(v: unknown, path: Path): unknown {
  let at = v;
  for (const p of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[p];
  }
  return at;
}

function set(v: unknown, path: Path, value: unknown): void {
  let at = v as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}

/**
 * Puts the live values of the generated paths into the desired objects, when
 * every object of the group is live with a value at each of its paths.
 * Returns whether the group was kept.
 */
export function keepGenerated(
  group: readonly { desired: KubeObject; paths: readonly Path[]; live: KubeObject | undefined }[],
): boolean {
  if (group.length === 0) return false;
  const complete = group.every((g) => g.live && g.paths.every((p) => get(g.live, p) !== undefined));
  if (!complete) return false;
  for (const g of group) for (const p of g.paths) set(g.desired, p, structuredClone(get(g.live, p)));
  return true;
}

/** The objects with every generated leaf blanked: equal for two renders of the same inputs. Pure. */
export function withoutGenerated(objects: readonly KubeObject[], generated: readonly Path[][]): KubeObject[] {
  return objects.map((o, i) => {
    const copy = structuredClone(o);
    for (const p of generated[i] ?? []) set(copy, p, null);
    return copy;
  });
}
