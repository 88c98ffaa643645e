// Which hooks a pass runs for a component: none when its revision (chart and
// values) is the one whose hooks already ran; else the install or upgrade
// events, resuming a run under way (its done events are not run again) or
// stopping at the failure that ended it, as a failed Helm release stays
// failed until the next upgrade. Pure.
import type { HookRun, Inventory } from '../inventory.ts';

export interface PlannedRun extends HookRun {
  kind: 'install' | 'upgrade' | 'delete';
}

export function plannedRun(before: Inventory | undefined, revision: string): PlannedRun | undefined {
  if (before?.revision === revision) return undefined;
  const run = before?.hookRun;
  if (run?.id.endsWith(`@${revision}`) && !run.id.startsWith('delete@')) {
    return { ...run, done: [...run.done], kind: run.id.startsWith('install@') ? 'install' : 'upgrade' };
  }
  // No inventory: nothing of this component was ever applied.
  const kind = before === undefined ? 'install' : 'upgrade';
  return { id: `${kind}@${revision}`, kind, done: [] };
}

/** The removal's run: pre-delete and post-delete, resumed across passes like any other. */
export function deleteRun(before: Inventory): PlannedRun {
  const run = before.hookRun;
  if (run?.id.startsWith('delete@')) return { ...run, done: [...run.done], kind: 'delete' };
  return { id: `delete@${before.revision ?? ''}`, kind: 'delete', done: [] };
}

/** What the inventory keeps of a run. */
export function storedRun(run: PlannedRun): HookRun {
  return { id: run.id, done: run.done, ...(run.failed ? { failed: run.failed } : {}) };
}
