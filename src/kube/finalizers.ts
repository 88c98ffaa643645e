// Finalizers let a controller clean up (external state, objects in other
// namespaces or clusters) before Kubernetes deletes an object. Typical flow:
//   if (isBeingDeleted(obj)) { await cleanup(); await removeFinalizer(...); return; }
//   await ensureFinalizer(...);   // before creating anything that needs cleanup
// Writes are JSON merge patches carrying metadata.resourceVersion, so they
// fail with 409 (and are retried on fresh data) rather than drop another
// controller's finalizer.
import { type Client, retryOnConflict } from './client.ts';
import { isNotFound } from './errors.ts';
import { type Kind, type KubeObject, kindOf, requestFor } from './types.ts';

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

export function isBeingDeleted(obj: KubeObject): boolean {
  return Boolean(obj.metadata?.deletionTimestamp);
}

/** Adds finalizer if missing (no request if present). Returns the up-to-date object. */
export function ensureFinalizer<T extends KubeObject>(client: Client, obj: T, finalizer: string): Promise<T> {
  if (hasFinalizer(obj, finalizer)) return Promise.resolve(obj);
  return patchFinalizers(client, obj, (list) =>
    list.includes(finalizer) ? undefined : [...list, finalizer],
  );
}

/**
 * Removes finalizer if present (no request if absent). Returns the object, or
 * undefined if it is gone (removing the last finalizer lets deletion finish).
 */
export async function removeFinalizer<T extends KubeObject>(
  client: Client,
  obj: T,
  finalizer: string,
): Promise<T | undefined> {
  if (!hasFinalizer(obj, finalizer)) return obj;
  try {
    return await patchFinalizers(client, obj, (list) =>
      list.includes(finalizer) ? list.filter((f) => f !== finalizer) : undefined,
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function patchFinalizers<T extends KubeObject>(
  client: Client,
  obj: T,
  change: (current: string[]) => string[] | undefined,
): Promise<T> {
  const k = kindOf(obj) as Kind<T>;
  const key = requestFor(obj);
  let current = obj;
  let first = true;
  return retryOnConflict(async () => {
    if (!first) current = await client.get(k, key);
    first = false;
    const next = change(current.metadata?.finalizers ?? []);
    if (!next) return current;
    return client.patch(
      k,
      key,
      { metadata: { finalizers: next, resourceVersion: current.metadata?.resourceVersion } },
      'merge',
    );
  });
}
