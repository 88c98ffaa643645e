// "Idempotent and quiet": decide, without a request, whether a server-side
// apply would change anything. An apply is needed when the desired object has
// a value the current one lacks, or when we (our field manager) own a field
// that the desired object no longer sets (apply would remove it). List
// semantics (set, map keyed by fields, atomic) are read from our own
// managedFields entry, which is how the API server describes what we own.
import type { ApplyOptions, Client } from './client.ts';
import { jsonEqual } from './json.ts';
import type { KubeObject } from './types.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Fields = Record<string, unknown>;

export interface NeedsApplyOptions {
  fieldManager: string;
  /** 'status' when applying the status subresource. */
  subresource?: string;
}

export function needsApply(
  desired: KubeObject,
  current: KubeObject | undefined,
  options: NeedsApplyOptions,
): boolean {
  if (!current) return true;
  const owned = ownedFields(current, options);
  const d = desired as unknown as Record<string, Json>;
  const c = current as unknown as Record<string, Json>;
  for (const key of Object.keys(d)) {
    if (key === 'status' && options.subresource !== 'status') continue; // ignored by the main resource
    if (key !== 'status' && options.subresource === 'status' && key !== 'metadata') continue;
    const dv = key === 'metadata' ? stripMeta(d[key]) : d[key];
    if (!covers(dv, c[key], owned?.[`f:${key}`] as Fields | undefined, key)) return true;
  }
  return owned ? removesOwned(owned, d) : false;
}

/** Applies desired unless needsApply() says the cluster already has it. */
export async function applyIfChanged<T extends KubeObject>(
  client: Client,
  desired: T,
  current: T | undefined,
  options: ApplyOptions = {},
): Promise<{ object: T; changed: boolean }> {
  const fieldManager = options.fieldManager ?? client.fieldManager;
  if (!needsApply(desired, current, { fieldManager, subresource: options.subresource })) {
    return { object: current as T, changed: false };
  }
  return { object: await client.apply(desired, options), changed: true };
}

function ownedFields(obj: KubeObject, options: NeedsApplyOptions): Fields | undefined {
  const entry = obj.metadata?.managedFields?.find(
    (e) =>
      e.manager === options.fieldManager &&
      e.operation === 'Apply' &&
      (e.subresource ?? '') === (options.subresource ?? ''),
  );
  return entry?.fieldsV1 as Fields | undefined;
}

function stripMeta(meta: Json | undefined): Json | undefined {
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return meta;
  const { managedFields: _m, resourceVersion: _r, ...rest } = meta;
  return rest;
}

function isEmpty(v: Json): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Does current already hold every value desired sets? */
function covers(
  desired: Json | undefined,
  current: Json | undefined,
  owned: Fields | undefined,
  path: string,
): boolean {
  if (desired === undefined) return true;
  if (desired === null) return current === undefined || current === null;
  // An empty map or list sets nothing: the API server stores no value for it.
  if ((current === undefined || current === null) && isEmpty(desired)) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(current)) return false;
    const kind = listKind(owned) ?? knownListKinds[path] ?? 'atomic';
    const item = `${path}[]`;
    if (kind === 'set') return desired.every((v) => current.some((c) => jsonEqual(v, c)));
    if (kind === 'map') return desired.every((v) => current.some((c) => covers(v, c, undefined, item)));
    // Atomic (or unknown): same length, each item covered in place.
    return (
      desired.length === current.length && desired.every((v, i) => covers(v, current[i], undefined, item))
    );
  }
  if (isObject(desired)) {
    if (!isObject(current)) return false;
    return Object.keys(desired).every((k) =>
      covers(desired[k], current[k], owned?.[`f:${k}`] as Fields | undefined, `${path}.${k}`),
    );
  }
  return desired === current;
}

/** List semantics when we own nothing in the list yet (so managedFields cannot tell). */
const knownListKinds: Record<string, 'set' | 'map'> = {
  'metadata.ownerReferences': 'map',
  'metadata.finalizers': 'set',
};

function listKind(owned: Fields | undefined): 'set' | 'map' | 'atomic' | undefined {
  if (!owned) return undefined;
  const keys = Object.keys(owned);
  if (keys.some((k) => k.startsWith('k:'))) return 'map';
  if (keys.some((k) => k.startsWith('v:'))) return 'set';
  return 'atomic';
}

/** Is there a field we own that desired no longer sets (so apply would remove it)? */
function removesOwned(owned: Fields, desired: Json | undefined): boolean {
  for (const [path, child] of Object.entries(owned)) {
    if (path === '.') continue;
    const sub = child as Fields;
    if (path.startsWith('f:')) {
      if (!isObject(desired)) return true;
      const value = desired[path.slice(2)];
      if (value === undefined || value === null) return true;
      if (isObject(sub) && Object.keys(sub).length > 0 && removesOwned(sub, value)) return true;
    } else if (path.startsWith('k:')) {
      if (!Array.isArray(desired)) return true;
      const keyFields = JSON.parse(path.slice(2)) as Record<string, Json>;
      const item = desired.find(
        (d) => isObject(d) && Object.entries(keyFields).every(([k, v]) => jsonEqual(d[k], v)),
      );
      if (item === undefined) return true;
      if (isObject(sub) && Object.keys(sub).length > 0 && removesOwned(sub, item)) return true;
    } else if (path.startsWith('v:')) {
      if (!Array.isArray(desired)) return true;
      const value = JSON.parse(path.slice(2)) as Json;
      if (!desired.some((d) => jsonEqual(d, value))) return true;
    }
    // i:<index> entries only appear under atomic lists we compare whole.
  }
  return false;
}
