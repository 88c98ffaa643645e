// The marks a synced copy carries: who owns it, and which source object it came from.
import { createHash } from 'node:crypto';
import {
  ORIGINAL_NAME_KEY,
  ORIGINAL_NAMESPACE_KEY,
  OWNER_KEY,
} from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import type { Request as ObjectKey } from '../../kube/types.ts';
import type { Unstructured } from './types.ts';

/** The owner cluster ID of a copy, or undefined for an object that is not a synced copy. */
export function ownerOf(obj: Unstructured | undefined): string | undefined {
  const meta = obj?.metadata;
  // Annotation first: it is what the original wrote first; the label exists for selecting copies.
  return meta?.annotations?.[OWNER_KEY] || meta?.labels?.[OWNER_KEY] || undefined;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isValidLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

/**
 * The label value that records an original name or namespace. Object names may be up to 253
 * characters, but a label value is at most 63 and more restricted, and an invalid label would make the
 * whole write fail. Such values are stored as a hash in the label (still selectable: hash the source
 * name the same way) with the full value in an annotation of the same key.
 */
export function labelSafe(v: string): { label: string; annotation?: string } {
  if (isValidLabelValue(v)) return { label: v };
  return { label: createHash('sha256').update(v).digest('hex').slice(0, 40), annotation: v };
}

function setRecord(obj: Unstructured, key: string, value: string | undefined): void {
  obj.metadata ??= {};
  const meta = obj.metadata;
  const labels = { ...(meta.labels ?? {}) };
  const annotations = { ...(meta.annotations ?? {}) };
  delete labels[key];
  delete annotations[key];
  if (value !== undefined) {
    const safe = labelSafe(value);
    labels[key] = safe.label;
    if (safe.annotation !== undefined) annotations[key] = safe.annotation;
  }
  if (Object.keys(labels).length > 0) meta.labels = labels;
  else delete meta.labels;
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  else delete meta.annotations;
}

/**
 * Records the source key on a copy whose name or namespace differs from it, and clears any record
 * inherited from a relayed source otherwise: the record always describes the object on the cluster the
 * copy was read from, which is where the deletion check looks it up.
 */
export function recordOriginalKey(copy: Unstructured, source: ObjectKey): void {
  const name = copy.metadata?.name ?? '';
  const namespace = copy.metadata?.namespace ?? '';
  const srcNamespace = source.namespace ?? '';
  setRecord(copy, ORIGINAL_NAME_KEY, name !== source.name ? source.name : undefined);
  setRecord(copy, ORIGINAL_NAMESPACE_KEY, namespace !== srcNamespace ? srcNamespace : undefined);
}

/**
 * The source key of a copy in comparable form: labelSafe(namespace) \0 labelSafe(name). Comparing
 * through labelSafe still works when the annotation holding a long name was lost and only its hash is
 * left in the label.
 */
export function sourceKeyToken(copy: Unstructured): string {
  const meta = copy.metadata ?? {};
  const part = (key: string, own: string | undefined): string => {
    const full = meta.annotations?.[key];
    if (full !== undefined) return labelSafe(full).label;
    const label = meta.labels?.[key];
    if (label !== undefined) return label;
    return labelSafe(own ?? '').label;
  };
  return `${part(ORIGINAL_NAMESPACE_KEY, meta.namespace)}\0${part(ORIGINAL_NAME_KEY, meta.name)}`;
}

/** The comparable form of a source object's key (see sourceKeyToken). */
export function keyToken(key: ObjectKey): string {
  return `${labelSafe(key.namespace ?? '').label}\0${labelSafe(key.name).label}`;
}

/** The source object a copy was made from, read back from its records ('' namespace: cluster-scoped). */
export function sourceOfCopy(copy: Unstructured): { namespace: string; name: string } | undefined {
  const meta = copy.metadata ?? {};
  const fromRecord = (key: string): string | undefined => {
    const full = meta.annotations?.[key];
    if (full !== undefined) return full;
    const label = meta.labels?.[key];
    // A 40-hex label with no annotation is a hashed long value we cannot reverse.
    if (label !== undefined && /^[0-9a-f]{40}$/.test(label)) return undefined;
    return label;
  };
  const name = meta.labels?.[ORIGINAL_NAME_KEY] !== undefined ? fromRecord(ORIGINAL_NAME_KEY) : meta.name;
  const namespace =
    meta.labels?.[ORIGINAL_NAMESPACE_KEY] !== undefined ? fromRecord(ORIGINAL_NAMESPACE_KEY) : meta.namespace;
  if (!name || namespace === undefined) return name ? { name, namespace: '' } : undefined;
  return { name, namespace };
}

/** The index key a local copy is filed under: its owner cluster and its source's key. */
export function copyIndexKey(copy: Unstructured): string {
  return `${ownerOf(copy) ?? ''}\0${sourceKeyToken(copy)}`;
}

/** The index key under which the copies of source `key`, taken from cluster `ownerId`, are filed. */
export function sourceIndexKey(ownerId: string, key: ObjectKey): string {
  return `${ownerId}\0${keyToken(key)}`;
}
