// Helm hooks as Helm defines them (helm's pkg/release/v1/hook.go and
// util/manifest_sorter.go): an object annotated `helm.sh/hook` is not part of
// the release but run at the events it names, ordered by
// `helm.sh/hook-weight` (an integer, 0 when absent or not a number) then by
// name, and deleted by its `helm.sh/hook-delete-policy` (before-hook-creation
// when none is given). An object naming an event Helm does not know is
// skipped altogether, like Helm does. Pure.
import type { KubeObject } from '../../kube/index.ts';

export const HOOK = 'helm.sh/hook';
export const HOOK_WEIGHT = 'helm.sh/hook-weight';
export const HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';

export type HookEvent =
  | 'pre-install'
  | 'post-install'
  | 'pre-delete'
  | 'post-delete'
  | 'pre-upgrade'
  | 'post-upgrade'
  | 'pre-rollback'
  | 'post-rollback'
  | 'test';

export type DeletePolicy = 'before-hook-creation' | 'hook-succeeded' | 'hook-failed';

const EVENTS: Record<string, HookEvent> = {
  'pre-install': 'pre-install',
  'post-install': 'post-install',
  'pre-delete': 'pre-delete',
  'post-delete': 'post-delete',
  'pre-upgrade': 'pre-upgrade',
  'post-upgrade': 'post-upgrade',
  'pre-rollback': 'pre-rollback',
  'post-rollback': 'post-rollback',
  test: 'test',
  // Helm 2's name for tests, still accepted by Helm 3.
  'test-success': 'test',
};

export interface Hook {
  object: KubeObject;
  events: HookEvent[];
  weight: number;
  deletePolicies: DeletePolicy[];
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

/** The hook an object declares, null when it names an unknown event (skipped), undefined when it is no hook. */
export function hookOf(obj: KubeObject): Hook | null | undefined {
  const a = obj.metadata?.annotations ?? {};
  if (!(HOOK in a)) return undefined;
  const events: HookEvent[] = [];
  for (const e of list(a[HOOK])) {
    const known = EVENTS[e];
    if (!known) return null;
    events.push(known);
  }
  // strconv.Atoi: an optional sign and digits only; anything else weighs 0.
  const w = (a[HOOK_WEIGHT] ?? '').trim();
  const weight = /^[+-]?\d+$/.test(w) ? Number.parseInt(w, 10) : 0;
  const declared = list(a[HOOK_DELETE_POLICY]) as DeletePolicy[];
  return {
    object: obj,
    events,
    weight,
    deletePolicies: declared.length > 0 ? declared : ['before-hook-creation'],
  };
}

export interface Split {
  /** The release's own objects. */
  objects: KubeObject[];
  /** Hooks, test hooks included (they are never run, but a test may count them). */
  hooks: Hook[];
  /** Objects naming an event Helm does not know: neither applied nor run. */
  skipped: KubeObject[];
}

export function splitHooks(rendered: readonly KubeObject[]): Split {
  const out: Split = { objects: [], hooks: [], skipped: [] };
  for (const obj of rendered) {
    const h = hookOf(obj);
    if (h === undefined) out.objects.push(obj);
    else if (h === null) out.skipped.push(obj);
    else out.hooks.push(h);
  }
  return out;
}

/** The hooks of one event in the order Helm runs them: by weight, then name. `test` is never run here. */
export function hooksFor(hooks: readonly Hook[], event: Exclude<HookEvent, 'test'>): Hook[] {
  return hooks
    .filter((h) => h.events.includes(event))
    .sort((a, b) => {
      if (a.weight !== b.weight) return a.weight - b.weight;
      const an = a.object.metadata?.name ?? '';
      const bn = b.object.metadata?.name ?? '';
      return an < bn ? -1 : an > bn ? 1 : 0;
    });
}

export type HookOutcome =
  | { state: 'running'; message: string }
  | { state: 'succeeded' }
  | { state: 'failed'; message: string };

/**
 * Whether a hook object has finished, as Helm's WatchUntilReady judges it:
 * a Job when Complete or Failed, a Pod when Succeeded or Failed, anything
 * else as soon as it exists.
 */
export function hookOutcome(live: KubeObject): HookOutcome {
  const name = `${live.kind} ${live.metadata?.namespace ? `${live.metadata.namespace}/` : ''}${live.metadata?.name}`;
  if (live.kind === 'Job') {
    const conds =
      (
        live as {
          status?: { conditions?: { type: string; status: string; message?: string; reason?: string }[] };
        }
      ).status?.conditions ?? [];
    const failed = conds.find(
      (c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True',
    );
    if (failed)
      return {
        state: 'failed',
        message: `${name} failed: ${failed.message ?? failed.reason ?? ''}`.trimEnd(),
      };
    if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return { state: 'succeeded' };
    return { state: 'running', message: `${name} has not completed yet` };
  }
  if (live.kind === 'Pod') {
    const phase = (live as { status?: { phase?: string; message?: string } }).status?.phase;
    if (phase === 'Succeeded') return { state: 'succeeded' };
    if (phase === 'Failed') return { state: 'failed', message: `${name} failed` };
    return { state: 'running', message: `${name} is ${phase ?? 'Pending'}` };
  }
  return { state: 'succeeded' };
}
