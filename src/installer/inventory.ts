// What each component applied, kept in one ConfigMap per component next to the
// manifest, so what is no longer rendered can be pruned, and nothing is
// orphaned if the process dies mid-way: the inventory is widened to
// old ∪ new BEFORE applying and narrowed to new only after pruning.
import { createHash } from 'node:crypto';
import { LABEL_COMPONENT, LABEL_INVENTORY, LABEL_MANIFEST } from '../apis/supertubes.banzaicloud.io/keys.ts';
import type { ConfigMap, KubeObject } from '../kube/index.ts';
import type { ObjRef } from './types.ts';

export { LABEL_COMPONENT, LABEL_INVENTORY, LABEL_MANIFEST };

export interface Inventory {
  component: string;
  objects: ObjRef[];
  /** The revision (chart and values) whose hooks have all run: the same revision runs no hooks again. */
  revision?: string;
  /** Hooks of a revision (or a removal) under way: which events are done, or the failure that stops it. */
  hookRun?: HookRun;
  /**
   * CRDs and PVCs left in place when the component was removed or stopped
   * rendering them: still ours, so a later --purge finds and deletes them.
   */
  retained?: ObjRef[];
}

export interface HookRun {
  /** install@<revision>, upgrade@<revision> or delete@<revision>. */
  id: string;
  /** Events whose hooks have all succeeded. */
  done: string[];
  failed?: string;
}

/** A label value (max 63 chars): long names are cut and made unique with a hash. */
export function labelValue(s: string): string {
  if (s.length <= 63) return s;
  return `${s.slice(0, 52)}-${createHash('sha256').update(s).digest('hex').slice(0, 10)}`;
}

export function inventoryName(manifest: string, component: string): string {
  return `sdm-inventory-${manifest}-${component.toLowerCase()}`.slice(0, 253);
}

export function refOf(obj: KubeObject): ObjRef {
  const ref: ObjRef = {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    name: obj.metadata?.name ?? '',
  };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export function refKey(r: ObjRef): string {
  // The group, not the version: the same object read through another version is the same object.
  const group = r.apiVersion.includes('/') ? r.apiVersion.slice(0, r.apiVersion.indexOf('/')) : '';
  return `${group}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

export function sortRefs(refs: readonly ObjRef[]): ObjRef[] {
  const seen = new Map<string, ObjRef>();
  for (const r of refs) seen.set(refKey(r), r);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

export function union(a: readonly ObjRef[], b: readonly ObjRef[]): ObjRef[] {
  return sortRefs([...a, ...b]);
}

export function sameRefs(a: readonly ObjRef[], b: readonly ObjRef[]): boolean {
  const ka = sortRefs(a).map(refKey);
  const kb = sortRefs(b).map(refKey);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** Never deleted unless the user asks (--purge): deleting them loses data or every custom resource. */
export function isProtected(r: ObjRef): boolean {
  return r.kind === 'CustomResourceDefinition' || r.kind === 'PersistentVolumeClaim';
}

/**
 * What to delete: what was applied before and is not rendered now. Protected
 * objects are kept (and reported) unless purge is set.
 */
export function pruneSet(
  previous: readonly ObjRef[],
  rendered: readonly ObjRef[],
  purge = false,
): { remove: ObjRef[]; keep: ObjRef[] } {
  const now = new Set(rendered.map(refKey));
  const gone = sortRefs(previous).filter((r) => !now.has(refKey(r)));
  return {
    remove: gone.filter((r) => purge || !isProtected(r)),
    keep: gone.filter((r) => !purge && isProtected(r)),
  };
}

/**
 * Deletion order for an uninstall: namespaced workloads first, then
 * cluster-scoped objects, CRDs last, so nothing is left without its definition.
 */
export function removalOrder(refs: readonly ObjRef[]): ObjRef[] {
  const rank = (r: ObjRef) => (r.kind === 'CustomResourceDefinition' ? 2 : r.namespace ? 0 : 1);
  return sortRefs(refs).sort((a, b) => rank(a) - rank(b));
}

export function inventoryConfigMap(manifest: { name: string; namespace: string }, inv: Inventory): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: inventoryName(manifest.name, inv.component),
      namespace: manifest.namespace,
      labels: {
        [LABEL_INVENTORY]: 'true',
        [LABEL_MANIFEST]: labelValue(manifest.name),
        [LABEL_COMPONENT]: labelValue(inv.component),
      },
    },
    data: {
      component: inv.component,
      objects: JSON.stringify(sortRefs(inv.objects)),
      ...(inv.revision ? { revision: inv.revision } : {}),
      ...(inv.hookRun ? { hookRun: JSON.stringify(inv.hookRun) } : {}),
      ...(inv.retained?.length ? { retained: JSON.stringify(sortRefs(inv.retained)) } : {}),
    },
  };
}

export function readInventory(cm: ConfigMap): Inventory | undefined {
  const component = cm.data?.component;
  if (!component) return undefined;
  const inv: Inventory = { component, objects: parsed(cm.data?.objects, []) };
  if (cm.data?.revision) inv.revision = cm.data.revision;
  const run = parsed<HookRun | undefined>(cm.data?.hookRun, undefined);
  if (run && typeof run.id === 'string' && Array.isArray(run.done)) inv.hookRun = run;
  const retained = parsed<ObjRef[]>(cm.data?.retained, []);
  if (retained.length > 0) inv.retained = retained;
  return inv;
}

/** JSON written by us; anything else (edited by hand) reads as the fallback, i.e. as if unknown. */
function parsed<T>(text: string | undefined, fallback: T): T {
  if (text === undefined) return fallback;
  try {
    const v = JSON.parse(text) as T;
    return Array.isArray(fallback) && !Array.isArray(v) ? fallback : v;
  } catch (err) {
    if (err instanceof SyntaxError) return fallback;
    throw err;
  }
}
