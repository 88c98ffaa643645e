// What a manifest would change, per component, without changing anything:
// objects to create, to change (a server-side dry-run apply differs from the
// live object) and to prune (applied before, no longer rendered).
import {
  type ApplicationManifest,
  resolveSpec,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { errorMessage, isNotFound, type KubeObject, NoKindMatchError } from '../kube/index.ts';
import type { Engine } from './engine.ts';
import { isProtected, pruneSet, refKey, refOf } from './inventory.ts';
import { isCrd } from './steps/apply-crds.ts';
import { keepGeneratedStep } from './steps/keep-generated.ts';
import { ownershipProblem } from './steps/ownership.ts';
import { placeStep } from './steps/place.ts';
import type { ObjRef } from './types.ts';

export interface ComponentDiff {
  component: string;
  create: string[];
  change: string[];
  prune: string[];
  error?: string;
}

const name = (r: ObjRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** The live object, or undefined when it (or its kind: a CRD of this very chart) is not there yet. */
async function live(engine: Engine, obj: KubeObject): Promise<KubeObject | undefined> {
  try {
    return await engine.client.getIfExists(
      { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' },
      { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace },
    );
  } catch (err) {
    if (err instanceof NoKindMatchError) return undefined;
    throw err;
  }
}

export async function diffManifest(engine: Engine, manifest: ApplicationManifest): Promise<ComponentDiff[]> {
  const spec = resolveSpec(manifest.spec).resolved;
  const ref = { name: manifest.metadata?.name ?? '', namespace: manifest.metadata?.namespace ?? '' };
  const ctx = { spec, manifest: ref };
  const inventories = await inventoriesOrNone(engine, ref);
  const out: ComponentDiff[] = [];
  for (const def of engine.catalog) {
    const block = def.block(spec);
    const previous: ObjRef[] = inventories.get(def.name)?.objects ?? [];
    const d: ComponentDiff = { component: def.name, create: [], change: [], prune: [] };
    if (!block.enabled) {
      d.prune = previous.filter((r) => !isProtected(r)).map(name);
      if (d.prune.length) out.push(d);
      continue;
    }
    try {
      const output = await engine.render(def, ctx);
      const desired = output.objects;
      const placed = await placeStep(engine.client, desired, block.namespace);
      if (!placed.ok) throw new Error(placed.result.message);
      // What the chart generates at random is kept from the cluster, as a pass keeps it.
      await keepGeneratedStep({ client: engine.client }, output.generated);
      for (const obj of desired) {
        const current = await live(engine, obj);
        if (!current) {
          d.create.push(name(refOf(obj)));
          continue;
        }
        // The pass's ownership rule: a CRD that is not ours is used as it is, anything else stops the component.
        const notOurs = ownershipProblem(obj, current);
        if (notOurs) {
          if (!isCrd(obj)) d.error ??= notOurs;
          continue;
        }
        // The engine's own comparison: what diff reports is what a pass would write.
        if (await engine.compare.differs(obj, current)) d.change.push(name(refOf(obj)));
      }
      const rendered = desired.map(refOf);
      const seen = new Set(rendered.map(refKey));
      d.prune = pruneSet(
        previous.filter((r) => !seen.has(refKey(r))),
        rendered,
      ).remove.map(name);
    } catch (err) {
      // Per component, like a pass: one component's error does not hide the others' diff.
      d.error = errorMessage(err);
    }
    if (d.create.length || d.change.length || d.prune.length || d.error) out.push(d);
  }
  return out;
}

/** No inventories yet (our CRD's namespace or the manifest not created): nothing to prune. */
async function inventoriesOrNone(engine: Engine, ref: { name: string; namespace: string }) {
  try {
    return await engine.inventories(ref);
  } catch (err) {
    if (isNotFound(err)) return new Map<string, { objects: ObjRef[] }>();
    throw err;
  }
}

export function formatDiff(diffs: readonly ComponentDiff[]): string {
  if (diffs.length === 0) return 'no changes\n';
  const lines: string[] = [];
  for (const d of diffs) {
    lines.push(`${d.component}:`);
    if (d.error) lines.push(`  ! ${d.error}`);
    for (const c of d.create) lines.push(`  + ${c}`);
    for (const c of d.change) lines.push(`  ~ ${c}`);
    for (const c of d.prune) lines.push(`  - ${c}`);
  }
  return `${lines.join('\n')}\n`;
}
