// The ImagePullSecret status a reconcile concludes, and whether it is worth a
// write: pure functions; the controller writes through the runtime's
// writeStatusIfChanged.
import type { ImagePullSecret } from '../../apis/images.banzaicloud.io/v1alpha1/imagepullsecret.ts';
import { type Condition, conditions, jsonEqual } from '../../kube/index.ts';
import type { StatusSummary } from './desired.ts';

export type ImagePullSecretStatus = NonNullable<ImagePullSecret['status']>;

/** The whole status: state, per-source results, the Ready condition (observedGeneration stamped). */
export function desiredStatus(
  old: ImagePullSecretStatus | undefined,
  summary: StatusSummary & { conditionReason: string },
  managedNamespaces: string[],
  generation: number | undefined,
  now: Date,
): ImagePullSecretStatus {
  const ready = summary.status === 'Ready';
  return {
    status: summary.status,
    reason: summary.reason,
    managedNamespaces,
    sourceSecretStatus: summary.sourceSecretStatus,
    validitySeconds: summary.validitySeconds,
    observedGeneration: generation,
    conditions: conditions.setCondition(
      old?.conditions as Condition[] | undefined,
      {
        type: conditions.Ready,
        status: ready ? 'True' : 'False',
        reason: summary.conditionReason,
        message: ready ? `${managedNamespaces.length} namespace(s) served` : summary.reason,
      },
      generation,
      now,
    ),
    lastSuccessfulReconciliation: ready ? conditions.metaTime(now) : old?.lastSuccessfulReconciliation,
  };
}

/**
 * Nothing worth a write: lastSuccessfulReconciliation alone is not, and
 * validitySeconds counts down by itself, so only a jump up (a new token) is.
 */
export function statusUnchanged(
  old: ImagePullSecretStatus | undefined,
  next: ImagePullSecretStatus,
): boolean {
  const prev = old ?? {};
  const sameValidity =
    next.validitySeconds === undefined
      ? prev.validitySeconds === undefined
      : prev.validitySeconds !== undefined && next.validitySeconds <= prev.validitySeconds;
  return (
    prev.status === next.status &&
    (prev.reason ?? '') === (next.reason ?? '') &&
    jsonEqual(prev.managedNamespaces ?? [], next.managedNamespaces ?? []) &&
    jsonEqual(prev.sourceSecretStatus ?? {}, next.sourceSecretStatus ?? {}) &&
    jsonEqual(prev.conditions ?? [], next.conditions ?? []) &&
    prev.observedGeneration === next.observedGeneration &&
    sameValidity
  );
}
