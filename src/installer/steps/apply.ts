// Step "apply": server-side apply of each object under our field manager,
// only when the cluster does not already hold it (compare.ts decides, the
// same way `sdm diff` does). Returns the objects as they are now, for the
// assess step.
import { errorMessage, type KubeObject } from '../../kube/index.ts';
import { FIELD_MANAGER } from '../field-manager.ts';
import { changedNumber, hasWideInteger, NumberChangedError } from '../numbers.ts';
import type { ComponentResult } from '../types.ts';
import { NotOursError, ownershipProblem } from './ownership.ts';
import { describe, type PassIO } from './pass-io.ts';

/**
 * Applies obj unless the cluster already has it; returns the object as it is now.
 * An existing object that is not ours is never taken over (ownership.ts):
 * NotOursError, or with foreign 'skip' (Helm's rule for CRDs) left as it is.
 */
export async function applyOne(
  io: PassIO,
  obj: KubeObject,
  foreign: 'fail' | 'skip' = 'fail',
  component = '',
): Promise<KubeObject> {
  const current = await io.client.getIfExists(
    { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' },
    { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace },
  );
  const notOurs = current && ownershipProblem(obj, current);
  if (current && notOurs) {
    if (foreign === 'skip') return current;
    throw new NotOursError(notOurs);
  }
  // A number the server would store differently (int32 truncation) is refused before it is written,
  // and before the comparison: 4294967299 truncates to 3, which a live 3 would take as "no change".
  if (hasWideInteger(obj)) {
    const dry = await io.client.apply(obj, { fieldManager: FIELD_MANAGER, force: true, dryRun: true });
    const changed = changedNumber(obj, dry);
    if (changed) throw new NumberChangedError(`${describe(obj)}: ${changed}`);
  }
  if (current && !(await io.compare.differs(obj, current))) return current;
  io.writes.count++;
  io.log.debug({ object: describe(obj) }, current ? 'updating' : 'creating');
  // Only the real write reports warnings: the dry runs above would repeat them on every pass.
  const applied = await io.client.apply(obj, {
    fieldManager: FIELD_MANAGER,
    force: true,
    onWarning: io.warnings?.for(component, obj),
  });
  const changed = changedNumber(obj, applied);
  if (changed) throw new NumberChangedError(`${describe(obj)}: ${changed}`);
  return applied;
}

export async function applyStep(
  io: PassIO,
  objects: readonly KubeObject[],
  component = '',
): Promise<{ ok: true; observed: KubeObject[] } | { ok: false; result: Omit<ComponentResult, 'name'> }> {
  const observed: KubeObject[] = [];
  for (const obj of objects) {
    try {
      observed.push(await applyOne(io, obj, 'fail', component));
    } catch (err) {
      // The API server's refusal (invalid field, admission) is the component's status.
      if (err instanceof NotOursError || err instanceof NumberChangedError)
        return { ok: false, result: { status: 'Failed', message: err.message } };
      return {
        ok: false,
        result: { status: 'Failed', message: `applying ${describe(obj)}: ${errorMessage(err)}` },
      };
    }
  }
  return { ok: true, observed };
}
