// Step "assess": a component is Available when every object it applied is
// ready the way kstatus judges it; the first one that is not says why. Pure.
import type { KubeObject } from '../../kube/index.ts';
import { assessHealth } from '../health.ts';
import type { ComponentResult } from '../types.ts';

export function assessStep(observed: readonly KubeObject[]): Omit<ComponentResult, 'name'> {
  for (const obj of observed) {
    const h = assessHealth(obj as Parameters<typeof assessHealth>[0]);
    if (h.status === 'Failed') return { status: 'Failed', message: h.message };
    if (h.status !== 'Current') return { status: 'Reconciling', message: h.message };
  }
  return { status: 'Available', message: '' };
}
