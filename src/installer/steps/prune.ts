// Step "prune": what a component applied before and renders no more is
// deleted — only if it still carries the component's label (someone may have
// taken it over), never CRDs or PVCs unless purge. The same deletion removes a
// disabled component, in reverse dependency order (removal.ts).
import { isNotFound, type KubeObject, NoKindMatchError } from '../../kube/index.ts';
import { LABEL_COMPONENT, labelValue, pruneSet, removalOrder } from '../inventory.ts';
import type { ObjRef } from '../types.ts';
import type { PassIO } from './pass-io.ts';

/** Is current still the component's to delete? Pure. */
export function ownedBy(current: KubeObject | undefined, component: string): boolean {
  return current?.metadata?.labels?.[LABEL_COMPONENT] === labelValue(component);
}

/** Deletes an object if it is still labelled as this component's; returns whether it is (still) there. */
export async function deleteOwned(io: PassIO, ref: ObjRef, component: string): Promise<boolean> {
  let current: KubeObject | undefined;
  try {
    current = await io.client.getIfExists(ref, ref);
  } catch (err) {
    // The kind is gone (its CRD was deleted): so is the object.
    if (isNotFound(err) || err instanceof NoKindMatchError) return false;
    throw err;
  }
  if (!current || !ownedBy(current, component)) return false;
  if (current.metadata?.deletionTimestamp) return true;
  io.writes.count++;
  await io.client.delete(ref, ref, { propagationPolicy: 'Background' });
  return true;
}

export async function pruneStep(
  io: PassIO,
  component: string,
  previous: readonly ObjRef[],
  rendered: readonly ObjRef[],
  purge: boolean,
): Promise<ObjRef[]> {
  const { remove, keep } = pruneSet(previous, rendered, purge);
  for (const ref of removalOrder(remove)) await deleteOwned(io, ref, component);
  // Kept CRDs and PVCs: the caller records them as retained, so --purge can find them later.
  return keep;
}
