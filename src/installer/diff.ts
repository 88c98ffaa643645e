// What a manifest would change, per component, without changing anything:
// objects to create, to change (a server-side dry-run apply differs from the
// live object) and to prune (applied before, no longer rendered).
import {
  type ApplicationManifest,
  resolveSpec,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { deepEqual, errorMessage, type KubeObject, needsApply } from '../kube/index.ts';
import { type Engine, FIELD_MANAGER, foldStringData } from './engine.ts';
import { isProtected, pruneSet, refKey, refOf } from './inventory.ts';
import type { ObjRef } from './types.ts';

export interface ComponentDiff {
  component: string;
  create: string[];
  change: string[];
  prune: string[];
  error?: string;
}

const name = (r: ObjRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** The parts of an object a dry run may change on its own; left out of the comparison. */
function comparable(obj: KubeObject): unknown {
  const { metadata, ...rest } = obj as KubeObject & Record<string, unknown>;
  const { managedFields: _m, resourceVersion: _r, generation: _g, ...meta } = metadata ?? {};
  const { status: _s, ...body } = rest;
  return { ...body, metadata: meta };
}

export async function diffManifest(engine: Engine, manifest: ApplicationManifest): Promise<ComponentDiff[]> {
  const spec = resolveSpec(manifest.spec).resolved;
  const ref = { name: manifest.metadata?.name ?? '', namespace: manifest.metadata?.namespace ?? '' };
  const ctx = { spec, manifest: ref };
  const inventories = await engine.inventories(ref).catch(() => new Map());
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
      const desired = await engine.desiredObjects(def, ctx);
      for (const obj of desired) {
        if (obj.kind === 'Secret') foldStringData(obj as never);
        let current: KubeObject | undefined;
        try {
          await engine.placeObject(obj, block.namespace);
          current = await engine.client.getIfExists(
            { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' },
            { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace },
          );
        } catch {
          // Its kind is not installed yet (a CRD of this very chart): it will be created.
          obj.metadata ??= {};
          obj.metadata.namespace ??= block.namespace;
        }
        if (!current) {
          d.create.push(name(refOf(obj)));
          continue;
        }
        if (!needsApply(obj, current, { fieldManager: FIELD_MANAGER })) continue;
        const dry = await engine.client.apply(obj, {
          fieldManager: FIELD_MANAGER,
          dryRun: true,
          force: true,
        });
        if (!deepEqual(comparable(dry), comparable(current))) d.change.push(name(refOf(obj)));
      }
      const rendered = desired.map(refOf);
      const seen = new Set(rendered.map(refKey));
      d.prune = pruneSet(
        previous.filter((r) => !seen.has(refKey(r))),
        rendered,
      ).remove.map(name);
    } catch (err) {
      d.error = errorMessage(err);
    }
    if (d.create.length || d.change.length || d.prune.length || d.error) out.push(d);
  }
  return out;
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
