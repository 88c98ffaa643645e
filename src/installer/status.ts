// From per-component results to the ApplicationManifest's status. Pure.
import type {
  ApplicationManifestStatus,
  ComponentStatus,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import type { Condition } from '../kube/index.ts';
import { conditions } from '../kube/index.ts';
import type { ComponentResult, ComponentState } from './types.ts';

// Which state wins when several components report under one status key.
const SEVERITY: Record<ComponentState, number> = {
  Failed: 4,
  Reconciling: 3,
  Removing: 2,
  Available: 1,
  Removed: 0,
};

/** Folds results sharing a status key (the monitoring parts) into one entry: the worst state speaks. */
export function componentStatuses(
  results: readonly (ComponentResult & { statusKey: string })[],
): Record<string, ComponentStatus> {
  const grouped = new Map<string, (ComponentResult & { statusKey: string })[]>();
  for (const r of results) grouped.set(r.statusKey, [...(grouped.get(r.statusKey) ?? []), r]);
  const out: Record<string, ComponentStatus> = {};
  for (const key of [...grouped.keys()].sort()) {
    const group = grouped.get(key)!;
    const worst = group.reduce((a, b) => (SEVERITY[b.status] > SEVERITY[a.status] ? b : a));
    const entry: ComponentStatus = { status: worst.status };
    const messages = group
      .filter((r) => r.message && r.status === worst.status)
      .map((r) => (group.length > 1 ? `${r.name}: ${r.message}` : r.message));
    if (messages.length > 0) entry.message = messages.join('; ');
    for (const r of group) {
      if (r.meshStatus !== undefined) entry.meshStatus = r.meshStatus;
      if (r.meshStatusMessage !== undefined) entry.meshStatusMessage = r.meshStatusMessage;
      if (r.clusterStatus !== undefined) entry.clusterStatus = r.clusterStatus;
      if (r.clusterStatusMessage !== undefined) entry.clusterStatusMessage = r.clusterStatusMessage;
    }
    out[key] = entry;
  }
  return out;
}

export type ManifestState = 'Reconciling' | 'Succeeded' | 'Failed';

/** Failed if any component failed, Reconciling while any is on its way, else Succeeded. */
export function manifestState(components: Record<string, ComponentStatus>): {
  state: ManifestState;
  message: string;
} {
  const entries = Object.entries(components);
  const failed = entries.filter(([, c]) => c.status === 'Failed');
  if (failed.length > 0) {
    return {
      state: 'Failed',
      message: failed.map(([k, c]) => `${k}: ${c.message ?? 'failed'}`).join('; '),
    };
  }
  const busy = entries.filter(([, c]) => c.status === 'Reconciling' || c.status === 'Removing');
  if (busy.length > 0) {
    return {
      state: 'Reconciling',
      message: busy.map(([k, c]) => `${k}: ${c.message ?? c.status}`).join('; '),
    };
  }
  return { state: 'Succeeded', message: 'every enabled component is Available' };
}

/** The whole status; conditions keep their lastTransitionTime unless their status changes. */
export function manifestStatus(
  results: readonly (ComponentResult & { statusKey: string })[],
  generation: number | undefined,
  previous: ApplicationManifestStatus | undefined,
  now = new Date(),
): ApplicationManifestStatus {
  const components = componentStatuses(results);
  const { state, message } = manifestState(components);
  return withState(previous, { state, message, components }, generation, now);
}

/** A status for a manifest the engine refuses to act on (e.g. a second one). */
export function refusedStatus(
  previous: ApplicationManifestStatus | undefined,
  message: string,
  generation: number | undefined,
  now = new Date(),
): ApplicationManifestStatus {
  return withState(previous, { state: 'Failed', message, components: {} }, generation, now);
}

function withState(
  previous: ApplicationManifestStatus | undefined,
  s: { state: ManifestState; message: string; components: Record<string, ComponentStatus> },
  generation: number | undefined,
  now: Date,
): ApplicationManifestStatus {
  const readiness: conditions.Readiness =
    s.state === 'Succeeded'
      ? { state: 'Ready', reason: s.state, message: s.message }
      : s.state === 'Failed'
        ? { state: 'Stalled', reason: s.state, message: s.message }
        : { state: 'Reconciling', reason: s.state, message: s.message };
  const conds = conditions.setReadiness(
    previous?.conditions as Condition[] | undefined,
    readiness,
    generation,
    now,
  );
  const out: ApplicationManifestStatus = {
    status: s.state,
    message: s.message,
    components: s.components,
    conditions: conds,
  };
  if (generation !== undefined) out.observedGeneration = generation;
  return out;
}
