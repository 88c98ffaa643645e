// What a removed component leaves behind on purpose: its CRDs and PVCs
// (deleting a CRD deletes every custom resource of it, a PVC its data). They
// stay in the component's inventory as "retained", still labelled as ours, so
// that a later `--purge` (sdm delete/uninstall --purge, reconcile --purge) finds
// and deletes them; without purge, a pass over the removed component writes
// nothing and reports Removed.
import { type Inventory, isProtected, removalOrder } from '../inventory.ts';
import type { ComponentResult, ObjRef } from '../types.ts';
import type { PassIO } from './pass-io.ts';
import { deleteOwned } from './prune.ts';
import type { Inventories } from './track.ts';

/** The CRDs and PVCs an inventory keeps when its component is removed without purge. Pure. */
export function retainedRefs(inventory: Inventory): ObjRef[] {
  return [...inventory.objects.filter(isProtected), ...(inventory.retained ?? [])];
}

/** The status message of a removed component. Pure. */
export function removedMessage(retained: readonly ObjRef[]): string {
  if (retained.length === 0) return 'disabled';
  return `disabled; kept ${retained.length} CRDs/PVCs (--purge deletes them)`;
}

/** A disabled component whose inventory holds only retained objects: Removed, or with purge they go too. */
export async function retainedStep(
  io: PassIO,
  input: { component: string; inventory: Inventory; inventories: Inventories; purge: boolean },
): Promise<Omit<ComponentResult, 'name'>> {
  const retained = input.inventory.retained ?? [];
  if (!input.purge) return { status: 'Removed', message: removedMessage(retained) };
  let left = 0;
  for (const ref of removalOrder(retained)) if (await deleteOwned(io, ref, input.component)) left++;
  if (left > 0) return { status: 'Removing', message: `deleting ${left} retained objects (--purge)` };
  await input.inventories.drop(input.component);
  return { status: 'Removed', message: 'disabled' };
}
