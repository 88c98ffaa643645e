// Step "track": what each component applied, kept in its inventory ConfigMap
// (inventory.ts). Widened to old ∪ new BEFORE anything is applied, so a crash
// in between leaves nothing untracked; narrowed to what is rendered now only
// after pruning. Writes only when the list changes.
import { ConfigMaps, jsonEqual } from '../../kube/index.ts';
import { FIELD_MANAGER } from '../field-manager.ts';
import {
  type Inventory,
  inventoryConfigMap,
  LABEL_INVENTORY,
  LABEL_MANIFEST,
  labelValue,
  readInventory,
  sameRefs,
  sortRefs,
  union,
} from '../inventory.ts';
import type { ObjRef } from '../types.ts';
import type { PassIO } from './pass-io.ts';

export type ManifestRef = { name: string; namespace: string };

export type InventoryRecord = Omit<Inventory, 'component'>;

/** The inventory to write, or undefined when the stored one already says so. Pure. */
export function inventoryUpdate(
  current: Inventory | undefined,
  next: InventoryRecord,
): InventoryRecord | undefined {
  const refs = sortRefs(next.objects);
  const same =
    current &&
    sameRefs(current.objects, refs) &&
    current.revision === next.revision &&
    jsonEqual(current.hookRun, next.hookRun) &&
    sameRefs(current.retained ?? [], next.retained ?? []);
  return same ? undefined : { ...next, objects: refs };
}

export async function readInventories(
  io: Pick<PassIO, 'client'>,
  manifest: ManifestRef,
): Promise<Map<string, Inventory>> {
  const list = await io.client.list(ConfigMaps, {
    namespace: manifest.namespace,
    labelSelector: `${LABEL_INVENTORY}=true,${LABEL_MANIFEST}=${labelValue(manifest.name)}`,
  });
  const out = new Map<string, Inventory>();
  for (const cm of list.items) {
    const inv = readInventory(cm);
    if (inv) out.set(inv.component, inv);
  }
  return out;
}

function pick(inv: Inventory | undefined): Partial<InventoryRecord> {
  return inv ? { revision: inv.revision, hookRun: inv.hookRun, retained: inv.retained } : {};
}

/** The inventories of one manifest during a pass. */
export class Inventories {
  private readonly io: PassIO;
  private readonly manifest: ManifestRef;
  private readonly byComponent: Map<string, Inventory>;

  constructor(io: PassIO, manifest: ManifestRef, loaded: Map<string, Inventory>) {
    this.io = io;
    this.manifest = manifest;
    this.byComponent = loaded;
  }

  get(component: string): Inventory | undefined {
    return this.byComponent.get(component);
  }

  /** Whether the component has objects installed (CRDs and PVCs merely retained do not count). */
  has(component: string): boolean {
    return (this.byComponent.get(component)?.objects.length ?? 0) > 0;
  }

  /** Adds refs to what the component is known to have applied. */
  widen(component: string, refs: readonly ObjRef[]): Promise<void> {
    const current = this.get(component);
    return this.update(component, { objects: union(current?.objects ?? [], refs) });
  }

  /** Narrows the objects to what is rendered now. */
  save(component: string, objects: readonly ObjRef[]): Promise<void> {
    return this.update(component, { objects: [...objects] });
  }

  /** Changes part of the component's inventory; writes only when that changes it. */
  async update(component: string, patch: Partial<InventoryRecord>): Promise<void> {
    const current = this.get(component);
    const next: InventoryRecord = { objects: current?.objects ?? [], ...pick(current), ...patch };
    for (const k of ['revision', 'hookRun'] as const) if (next[k] === undefined) delete next[k];
    if (!next.retained?.length) delete next.retained;
    const changed = inventoryUpdate(current, next);
    if (!changed) return;
    this.io.writes.count++;
    const inv = { component, ...changed };
    await this.io.client.apply(inventoryConfigMap(this.manifest, inv), { fieldManager: FIELD_MANAGER });
    this.byComponent.set(component, inv);
  }

  /** Deletes the component's inventory once everything in it is gone. */
  async drop(component: string): Promise<void> {
    const inventory = this.get(component);
    if (!inventory) return;
    this.io.writes.count++;
    await this.io.client.delete(ConfigMaps, {
      namespace: this.manifest.namespace,
      name: inventoryConfigMap(this.manifest, inventory).metadata!.name!,
    });
    this.byComponent.delete(component);
  }
}
