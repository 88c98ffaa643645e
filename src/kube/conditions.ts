// Status conditions (metav1.Condition) with kstatus' conventions:
//   Ready        True when the object is fully reconciled, otherwise False with why
//   Reconciling  present (True) only while work is in progress
//   Stalled      present (True) only when progress is blocked and needs a human
// lastTransitionTime changes only when a condition's status changes, so a
// controller that sets the same condition every reconcile writes nothing new.
// All functions are pure: they return a new array and never mutate their input.
// Writing the result (only when it changed) is status.ts's job.
import type { Condition } from './types.ts';

export const Ready = 'Ready';
export const Reconciling = 'Reconciling';
export const Stalled = 'Stalled';

export interface ConditionInput {
  type: string;
  status: Condition['status'];
  reason: string;
  message?: string;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** Sets one condition; keeps lastTransitionTime unless status changed. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  observedGeneration: number | undefined,
  now: Date = new Date(),
): Condition[] {
  const existing = findCondition(conditions, input.type);
  const next: Condition = {
    type: input.type,
    status: input.status,
    observedGeneration,
    lastTransitionTime:
      existing && existing.status === input.status ? existing.lastTransitionTime : rfc3339(now),
    reason: input.reason,
    message: input.message ?? '',
  };
  if (observedGeneration === undefined) delete next.observedGeneration;
  const out = (conditions ?? []).filter((c) => c.type !== input.type);
  // Keep the original position so status diffs stay small.
  const at = (conditions ?? []).findIndex((c) => c.type === input.type);
  out.splice(at < 0 ? out.length : at, 0, next);
  return out;
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** Ready=True; Reconciling and Stalled removed. */
export function markReady(
  conditions: readonly Condition[] | undefined,
  observedGeneration: number | undefined,
  reason = 'Succeeded',
  message = '',
  now?: Date,
): Condition[] {
  const out = setCondition(
    conditions,
    { type: Ready, status: 'True', reason, message },
    observedGeneration,
    now,
  );
  return removeCondition(removeCondition(out, Reconciling), Stalled);
}

/** Reconciling=True and Ready=False with the same reason; Stalled removed. */
export function markReconciling(
  conditions: readonly Condition[] | undefined,
  observedGeneration: number | undefined,
  reason: string,
  message = '',
  now?: Date,
): Condition[] {
  // Ready first, so a fresh list reads Ready, then the abnormal condition.
  let out = setCondition(
    conditions,
    { type: Ready, status: 'False', reason, message },
    observedGeneration,
    now,
  );
  out = setCondition(out, { type: Reconciling, status: 'True', reason, message }, observedGeneration, now);
  return removeCondition(out, Stalled);
}

/** Stalled=True and Ready=False with the same reason; Reconciling removed. */
export function markStalled(
  conditions: readonly Condition[] | undefined,
  observedGeneration: number | undefined,
  reason: string,
  message = '',
  now?: Date,
): Condition[] {
  let out = setCondition(
    conditions,
    { type: Ready, status: 'False', reason, message },
    observedGeneration,
    now,
  );
  out = setCondition(out, { type: Stalled, status: 'True', reason, message }, observedGeneration, now);
  return removeCondition(out, Reconciling);
}

/** Same conditions (order-insensitive), so writing them would change nothing. */
export function conditionsEqual(
  a: readonly Condition[] | undefined,
  b: readonly Condition[] | undefined,
): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  return x.every((c) => {
    const d = findCondition(y, c.type);
    return (
      d !== undefined &&
      d.status === c.status &&
      d.reason === c.reason &&
      d.message === c.message &&
      d.observedGeneration === c.observedGeneration &&
      d.lastTransitionTime === c.lastTransitionTime
    );
  });
}

/** What a reconcile concluded about an object, as kstatus sees it. */
export type Readiness =
  | { state: typeof Ready; reason?: string; message?: string }
  | { state: typeof Reconciling; reason: string; message?: string }
  | { state: typeof Stalled; reason: string; message?: string };

/** The conditions for readiness: markReady, markReconciling or markStalled. */
export function setReadiness(
  conditions: readonly Condition[] | undefined,
  readiness: Readiness,
  observedGeneration: number | undefined,
  now?: Date,
): Condition[] {
  switch (readiness.state) {
    case Ready:
      return markReady(conditions, observedGeneration, readiness.reason, readiness.message, now);
    case Reconciling:
      return markReconciling(conditions, observedGeneration, readiness.reason, readiness.message, now);
    case Stalled:
      return markStalled(conditions, observedGeneration, readiness.reason, readiness.message, now);
  }
}

/** metav1.Time: RFC 3339 to the second. */
export function metaTime(d: Date = new Date()): string {
  return rfc3339(d);
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
