// The status a signing decision gives a CertificateSigningRequest: the
// certificate, or a Failed condition saying why. Pure; the controller writes
// it with a conflict-checked read-modify-write so that two replicas never
// both act on one request.
import { conditions } from '../../kube/index.ts';
import type { CsrCondition, KubeCsr } from './request.ts';
import type { CsrDecision } from './sign.ts';

type CsrStatus = NonNullable<KubeCsr['status']>;

/** The new status, or undefined when there is nothing to write (already decided, or nothing to do). */
export function csrStatusFor(
  current: CsrStatus | undefined,
  decision: CsrDecision,
  now: Date,
): CsrStatus | undefined {
  if (decision.action === 'skip') return undefined;
  // Someone (another replica) may have acted in between: never write twice.
  if (current?.certificate) return undefined;
  if (current?.conditions?.some((c) => c.type === 'Failed' || c.type === 'Denied')) return undefined;
  const status: CsrStatus = { ...(current ?? {}) };
  if (decision.action === 'sign') {
    status.certificate = Buffer.from(decision.certificatePem).toString('base64');
    return status;
  }
  const at = conditions.metaTime(now);
  const failed: CsrCondition = {
    type: 'Failed',
    status: 'True',
    reason: decision.reason,
    message: decision.message,
    lastUpdateTime: at,
    lastTransitionTime: at,
  };
  status.conditions = [...(status.conditions ?? []), failed];
  return status;
}
