// A disabled component is removed: after every component depending on it that
// is going away too (reverse dependency order), its objects are deleted
// (CRDs and PVCs kept unless purge) between its chart's pre-delete and
// post-delete hooks, then its inventory. Reported Removing
// while objects are on their way out, then Removed.
import { removalGate } from '../graph.ts';
import { type Inventory, isProtected, removalOrder } from '../inventory.ts';
import type { ComponentDef, ComponentResult } from '../types.ts';
import type { PassIO } from './pass-io.ts';
import { deleteOwned } from './prune.ts';
import { removedMessage, retainedRefs } from './retained.ts';
import type { Inventories } from './track.ts';

export async function removeStep(
  io: PassIO,
  input: {
    def: ComponentDef;
    catalog: readonly ComponentDef[];
    inventory: Inventory;
    inventories: Inventories;
    enabled: (name: string) => boolean;
    purge: boolean;
    /** Runs the chart's pre-delete / post-delete hooks; a result stops the removal there for now. */
    hooks?:
      | ((event: 'pre-delete' | 'post-delete') => Promise<Omit<ComponentResult, 'name'> | undefined>)
      | undefined;
  },
): Promise<Omit<ComponentResult, 'name'>> {
  const { def, inventory, inventories } = input;
  const g = removalGate(input.catalog, def.name, (n) => inventories.has(n), input.enabled);
  if (!g.go)
    return { status: 'Removing', message: `waiting for ${g.waitingFor.join(', ')} to be removed first` };
  const pre = await input.hooks?.('pre-delete');
  if (pre) return pre;
  const targets = [...inventory.objects, ...(inventory.retained ?? [])].filter(
    (r) => input.purge || !isProtected(r),
  );
  let left = 0;
  for (const ref of removalOrder(targets)) if (await deleteOwned(io, ref, def.name)) left++;
  if (left > 0) return { status: 'Removing', message: `deleting ${left} objects` };
  const post = await input.hooks?.('post-delete');
  if (post) return post;
  // CRDs and PVCs kept stay in the inventory as retained, so a later --purge finds them (retained.ts).
  const kept = input.purge ? [] : retainedRefs(inventory);
  if (kept.length > 0) {
    await inventories.update(def.name, {
      objects: [],
      retained: kept,
      revision: undefined,
      hookRun: undefined,
    });
    io.log.info(
      { component: def.name, kept: kept.length },
      'removed; CRDs and PVCs kept (--purge deletes them)',
    );
  } else await inventories.drop(def.name);
  // The same message later passes report, so the status settles at once.
  return { status: 'Removed', message: removedMessage(kept) };
}
