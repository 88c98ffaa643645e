// Step "apply": server-side apply of each object under our field manager,
// only when the cluster does not already hold it (compare.ts decides, the
// same way `sdm diff` does). Returns the objects as they are now, for the
// assess step.
import { errorMessage, type KubeObject } from '../../kube/index.ts';
import { FIELD_MANAGER } from '../field-manager.ts';
import type { ComponentResult } from '../types.ts';
import { describe, type PassIO } from './pass-io.ts';

/** Applies obj unless the cluster already has it; returns the object as it is now. */
export async function applyOne(io: PassIO, obj: KubeObject): Promise<KubeObject> {
  const current = await io.client.getIfExists(
    { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' },
    { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace },
  );
  if (current && !(await io.compare.differs(obj, current))) return current;
  io.writes.count++;
  io.log.debug({ object: describe(obj) }, current ? 'updating' : 'creating');
  return io.client.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
}

export async function applyStep(
  io: PassIO,
  objects: readonly KubeObject[],
): Promise<{ ok: true; observed: KubeObject[] } | { ok: false; result: Omit<ComponentResult, 'name'> }> {
  const observed: KubeObject[] = [];
  for (const obj of objects) {
    try {
      observed.push(await applyOne(io, obj));
    } catch (err) {
      // The API server's refusal (invalid field, admission) is the component's status.
      return {
        ok: false,
        result: { status: 'Failed', message: `applying ${describe(obj)}: ${errorMessage(err)}` },
      };
    }
  }
  return { ok: true, observed };
}
