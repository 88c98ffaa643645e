// Is the local copy already what we would write? A sync that changes nothing must write nothing.
//
// Two things make plain equality wrong. The API server adds fields (defaults, server-set metadata,
// labels other controllers put on the copy), so the copy is compared as a superset of the desired
// object: every field we set must be there with our value, anything else is ignored. But a superset
// check alone misses a field the source dropped. So the desired object is also fingerprinted into an
// annotation on the copy (withSyncHash); a different fingerprint means the source changed.
import { createHash } from 'node:crypto';
import { SYNC_HASH_ANNOTATION } from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import { canonicalJson } from '../../kube/json.ts';
import { getOwn, hasOwn, isMap, setOwn } from './json.ts';
import type { Unstructured } from './types.ts';

/** Top-level fields that are not the object's content, or are compared on their own (status). */
const NOT_CONTENT = new Set(['metadata', 'status']);

/** sha256 of what we write: labels, annotations (without the hash), name, namespace, content. */
export function syncHash(desired: Unstructured): string {
  const { [SYNC_HASH_ANNOTATION]: _, ...annotations } = desired.metadata?.annotations ?? {};
  const content: Record<string, unknown> = {};
  for (const k of Object.keys(desired)) if (!NOT_CONTENT.has(k)) setOwn(content, k, desired[k]);
  const fingerprint = {
    name: desired.metadata?.name ?? '',
    namespace: desired.metadata?.namespace ?? '',
    labels: desired.metadata?.labels ?? {},
    annotations,
    content,
  };
  return createHash('sha256').update(canonicalJson(fingerprint)).digest('hex');
}

/** The desired copy with its fingerprint annotation: what the controller writes. */
export function withSyncHash(desired: Unstructured): Unstructured {
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...(desired.metadata?.annotations ?? {}), [SYNC_HASH_ANNOTATION]: syncHash(desired) },
    },
  };
}

/** Every field of `want` is in `have` with the same value; arrays must match item for item. */
export function contains(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  }
  if (isMap(want)) {
    return isMap(have) && Object.keys(want).every((k) => hasOwn(have, k) && contains(have[k], want[k]));
  }
  return have === want || (Number.isNaN(have) && Number.isNaN(want));
}

/**
 * True when writing `desired` over `existing` would change nothing we own: apiVersion, kind, the labels
 * and annotations we set, and every other top-level field but status (see statusUpToDate). When the
 * copy carries a fingerprint it must match too, so removals at the source are not missed.
 */
export function isUpToDate(existing: Unstructured, desired: Unstructured): boolean {
  if (existing.apiVersion !== desired.apiVersion || existing.kind !== desired.kind) return false;
  const have = existing.metadata ?? {};
  const want = desired.metadata ?? {};
  if ((have.name ?? '') !== (want.name ?? '') || (have.namespace ?? '') !== (want.namespace ?? ''))
    return false;
  const haveHash = have.annotations?.[SYNC_HASH_ANNOTATION];
  if (haveHash !== undefined && haveHash !== syncHash(desired)) return false;
  const { [SYNC_HASH_ANNOTATION]: _, ...wantAnnotations } = want.annotations ?? {};
  if (!contains(have.labels ?? {}, want.labels ?? {})) return false;
  if (!contains(have.annotations ?? {}, wantAnnotations)) return false;
  for (const k of Object.keys(desired)) {
    if (NOT_CONTENT.has(k) || k === 'apiVersion' || k === 'kind') continue;
    if (!hasOwn(existing, k) || !contains(getOwn(existing, k), desired[k])) return false;
  }
  return true;
}

/** With syncStatus: is the copy's status what the source says? Status is ours alone, so compared exactly. */
export function statusUpToDate(existing: Unstructured, desired: Unstructured): boolean {
  if (!hasOwn(desired, 'status')) return true;
  return canonicalJson(getOwn(existing, 'status') ?? null) === canonicalJson(desired.status ?? null);
}
