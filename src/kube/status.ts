// Writing an object's status, the one way every controller does it:
//   1. compute the whole desired status with pure functions (conditions.ts
//      keeps lastTransitionTime when a condition's status is unchanged and
//      stamps observedGeneration);
//   2. writeStatusIfChanged(): compare with what the server has (the object
//      from the informer or a GET) and apply the status subresource only if
//      it differs, so a reconcile with nothing new writes nothing.
// Status of our own kinds is wholly ours (one field manager), so "differs"
// is plain JSON equality unless the caller says otherwise (a field that
// counts down by itself, a timestamp that is not worth a write).
import type { ApplyOptions, Client } from './client.ts';
import { jsonEqual } from './json.ts';
import type { Kind, KubeObject } from './types.ts';

type StatusOf<T> = T extends { status?: infer S } ? S : never;

export interface StatusWriteOptions<T extends KubeObject> extends ApplyOptions {
  /** When writing desired would change nothing that matters (default: JSON-equal to current). */
  unchanged?: (current: StatusOf<T> | undefined, desired: StatusOf<T>) => boolean;
}

/** Whether desired differs from the status the server has (JSON equality; a missing status is {}). */
export function statusChanged(current: unknown, desired: unknown): boolean {
  return !jsonEqual(current ?? {}, desired);
}

/**
 * Applies status to object's status subresource unless it is unchanged.
 * current is the object as the server has it. Returns whether it wrote.
 */
export async function writeStatusIfChanged<T extends KubeObject & { status?: unknown }>(
  client: Client,
  k: Kind<T>,
  current: T,
  status: StatusOf<T>,
  options: StatusWriteOptions<T> = {},
): Promise<boolean> {
  const { unchanged, ...applyOptions } = options;
  const old = current.status as StatusOf<T> | undefined;
  if (unchanged ? unchanged(old, status) : !statusChanged(old, status)) return false;
  const name = current.metadata?.name;
  if (!name) throw new Error(`writing the status of a ${k.kind}: the object has no metadata.name`);
  const namespace = current.metadata?.namespace;
  await client.applyStatus(
    {
      apiVersion: k.apiVersion,
      kind: k.kind,
      metadata: namespace ? { name, namespace } : { name },
      status,
    } as unknown as T,
    applyOptions,
  );
  return true;
}
