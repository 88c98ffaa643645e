// Step "hooks": runs the hooks of one event the way Helm's execHook does
// (helm's pkg/action/hooks.go): in weight order, each one deleted first when
// its policy says before-hook-creation, created, and waited for (a Job until
// Complete or Failed, a Pod until Succeeded or Failed); a failure stops the
// event, deletes the failed hook if hook-failed, and the ones before it if
// hook-succeeded; after all succeeded, hook-succeeded ones are deleted in
// reverse order. CRDs are never deleted.
// A pass does not wait for long: a hook still running is Reconciling and the
// next pass finds it again by the run annotation it carries, so no hook runs
// twice for the same revision.
import { HOOK_RUN } from '../../apis/supertubes.banzaicloud.io/keys.ts';
import { type KubeObject, sleep } from '../../kube/index.ts';
import { FIELD_MANAGER } from '../field-manager.ts';
import { type Hook, type HookEvent, hookOutcome, hooksFor } from '../hooks/hook.ts';
import { refOf } from '../inventory.ts';
import { describe, type PassIO } from './pass-io.ts';
import { ownedBy } from './prune.ts';

/** Which run of which event created a hook object (install@<revision>/pre-install). */
export { HOOK_RUN };

export type HookStep =
  | { state: 'done' }
  | { state: 'running'; message: string }
  | { state: 'failed'; message: string };

interface Input {
  hooks: readonly Hook[];
  event: Exclude<HookEvent, 'test'>;
  /** install@<revision>, upgrade@<revision>, delete@<revision>. */
  runId: string;
  component: string;
  /** How long this pass waits for a hook before reporting it running. */
  waitMs: number;
}

const live = (io: PassIO, obj: KubeObject) => io.client.getIfExists(refOf(obj), refOf(obj));

async function remove(io: PassIO, hook: Hook): Promise<void> {
  if (hook.object.kind === 'CustomResourceDefinition') return;
  const ref = refOf(hook.object);
  if (!(await io.client.getIfExists(ref, ref))) return;
  io.writes.count++;
  await io.client.delete(ref, ref, { propagationPolicy: 'Background' });
}

/** Polls until obj is gone; false when it is still there at the deadline. */
async function gone(io: PassIO, obj: KubeObject, deadline: number): Promise<boolean> {
  for (;;) {
    if (!(await live(io, obj))) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

export async function hooksStep(io: PassIO, input: Input): Promise<HookStep> {
  const ordered = hooksFor(input.hooks, input.event);
  const mark = `${input.runId}/${input.event}`;
  const deadline = Date.now() + input.waitMs;
  for (const [i, hook] of ordered.entries()) {
    const obj: KubeObject = structuredClone(hook.object);
    obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [HOOK_RUN]: mark } };
    let now = await live(io, obj);
    if (now?.metadata?.annotations?.[HOOK_RUN] !== mark) {
      if (now) {
        // Left from an earlier run: replaced only if its policy says so, and only if it is ours.
        if (!hook.deletePolicies.includes('before-hook-creation'))
          return {
            state: 'failed',
            message: `${input.event} hook ${describe(obj)} already exists and its delete policy keeps it`,
          };
        if (!ownedBy(now, input.component))
          return {
            state: 'failed',
            message: `${input.event} hook ${describe(obj)} exists and was not made by this component`,
          };
        if (!now.metadata?.deletionTimestamp) {
          io.writes.count++;
          await io.client.delete(refOf(obj), refOf(obj), { propagationPolicy: 'Background' });
        }
        if (!(await gone(io, obj, deadline)))
          return {
            state: 'running',
            message: `${input.event} hook: waiting for the previous ${describe(obj)} to be deleted`,
          };
      }
      io.writes.count++;
      io.log.debug({ object: describe(obj), event: input.event }, 'running hook');
      now = await io.client.apply(obj, {
        fieldManager: FIELD_MANAGER,
        force: true,
        onWarning: io.warnings?.for(input.component, obj),
      });
    }
    for (;;) {
      const outcome = hookOutcome(now!);
      if (outcome.state === 'succeeded') break;
      if (outcome.state === 'failed') {
        if (hook.deletePolicies.includes('hook-failed')) await remove(io, hook);
        for (const before of ordered.slice(0, i))
          if (before.deletePolicies.includes('hook-succeeded')) await remove(io, before);
        return { state: 'failed', message: `${input.event} hook ${outcome.message}` };
      }
      if (Date.now() > deadline)
        return { state: 'running', message: `${input.event} hook: ${outcome.message}` };
      await sleep(200);
      now = await live(io, obj);
      if (!now)
        return { state: 'failed', message: `${input.event} hook ${describe(obj)} was deleted while it ran` };
    }
  }
  for (const hook of [...ordered].reverse())
    if (hook.deletePolicies.includes('hook-succeeded')) await remove(io, hook);
  return { state: 'done' };
}
