// Turns an object read from a peer into the local copy to write, in the order the spec fixes:
// annotations, labels, owner marker, GVK, strip server-set fields, overrides.
import { parse as parseYaml } from 'yaml';
import { ORIGINAL_GVK_ANNOTATION, OWNER_KEY } from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import type { Cluster } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import type { GroupVersionKind } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import type { ObjectMeta } from '../../kube/types.ts';
import { applyRemove, applyReplace } from './gopatch.ts';
import { cloneJson, deeperThan, getOwn, isMap, setOwn } from './json.ts';
import { ownerOf, recordOriginalKey } from './markers.ts';
import type { MergedMutations, TracedOverride } from './match.ts';
import { type RenderFn, TemplateCluster, type TemplateData, TemplateObject } from './template-data.ts';
import type { Unstructured } from './types.ts';

/** kubectl's record of the last applied configuration: the source cluster's, never the copy's. */
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface MutateInput {
  /** Name of the ResourceSyncRule, for error messages. */
  ruleName: string;
  /** The object as read from the peer. Not modified. */
  object: Unstructured;
  mutations: MergedMutations;
  /** The peer the object was read from. */
  peer: Cluster;
  /**
   * The Cluster CR of the owner named by the object's owner marker when it is relayed (known locally);
   * templates see it as `.Cluster`. Without it `.Cluster` is the peer.
   */
  origin?: Cluster;
  local: Cluster;
  render: RenderFn;
}

export class MutationError extends Error {
  readonly ruleName: string;
  /** spec.rules index and overrides index of the failing override; undefined for whole-object checks. */
  readonly ruleIndex: number | undefined;
  readonly overrideIndex: number | undefined;

  constructor(message: string, ruleName: string, override?: TracedOverride, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MutationError';
    this.ruleName = ruleName;
    this.ruleIndex = override?.ruleIndex;
    this.overrideIndex = override?.overrideIndex;
  }
}

export type MutateResult = { ok: true; object: Unstructured } | { ok: false; error: MutationError };

/**
 * Nesting an override may produce. Real objects stay far below it; a go-patch path with `?` can create
 * any depth, and every later step (hashing, the API server's decoder) would choke on thousands.
 */
export const MAX_OBJECT_DEPTH = 100;

/** Fields the API server sets; a copy must not carry the source cluster's values. */
const SERVER_SET_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'ownerReferences',
  'finalizers',
  'selfLink',
] as const;

export function gvkOf(obj: { apiVersion?: string; kind?: string }): GroupVersionKind {
  const apiVersion = obj.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion, kind: obj.kind ?? '' }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind: obj.kind ?? '' };
}

/** schema.GroupVersionKind.String() of Go: "group/version, Kind=kind". */
export function formatGvk(gvk: GroupVersionKind): string {
  return `${gvk.group ?? ''}/${gvk.version}, Kind=${gvk.kind}`;
}

function applyMetaMutation(
  current: Record<string, string> | undefined,
  m: { add: Record<string, string>; remove: string[] },
): Record<string, string> {
  // Removals first, so a key that one rule removes and another adds ends up added.
  const out = { ...(current ?? {}) };
  for (const k of m.remove) delete out[k];
  for (const [k, v] of Object.entries(m.add)) setOwn(out, k, v);
  return out;
}

function setOwner(obj: Unstructured, owner: string): void {
  obj.metadata ??= {};
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [OWNER_KEY]: owner };
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [OWNER_KEY]: owner };
}

function describe(o: TracedOverride): string {
  return `rules[${o.ruleIndex}].mutations.overrides[${o.overrideIndex}] (${o.type} ${o.path})`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function mutate(input: MutateInput): MutateResult {
  const { mutations: m, ruleName } = input;
  const source = input.object;
  const obj = cloneJson(source);
  const meta: ObjectMeta = isMap(obj.metadata) ? obj.metadata : {};
  obj.metadata = meta;

  meta.labels = applyMetaMutation(meta.labels, m.labels);
  // A relayed copy keeps the marker of the cluster it originates from, so it never returns there.
  const owner = ownerOf(source) ?? input.peer.spec.clusterID;
  const annotations: Record<string, string> = {
    ...applyMetaMutation(meta.annotations, m.annotations),
    [OWNER_KEY]: owner,
  };
  meta.annotations = annotations;
  meta.labels[OWNER_KEY] = owner;

  if (m.groupVersionKind) {
    // Keep the first original: when a relayed copy is rewritten again, its true origin stays known.
    if (annotations[ORIGINAL_GVK_ANNOTATION] === undefined) {
      annotations[ORIGINAL_GVK_ANNOTATION] = formatGvk(gvkOf(source));
    }
    const { group, version = '', kind = '' } = m.groupVersionKind;
    obj.apiVersion = group ? `${group}/${version}` : version;
    obj.kind = kind;
  }

  for (const f of SERVER_SET_METADATA) Reflect.deleteProperty(meta, f);
  delete annotations[LAST_APPLIED_ANNOTATION];
  if (!m.syncStatus) delete obj.status;

  const data: TemplateData = {
    Object: new TemplateObject(obj),
    Cluster: new TemplateCluster(input.origin ?? input.peer),
    LocalCluster: new TemplateCluster(input.local),
  };
  let doc: unknown = obj;
  for (const o of m.overrides) {
    try {
      if (o.type === 'replace') {
        const text = input.render(o.value ?? '', data);
        doc = applyReplace(doc, o.path, o.parseValue ? parseYaml(text) : text);
      } else if (o.type === 'remove') {
        doc = applyRemove(doc, o.path);
      } else {
        throw new Error(`unknown override type '${o.type}' (want replace or remove)`);
      }
      if (deeperThan(doc, MAX_OBJECT_DEPTH)) {
        throw new Error(`the object would nest deeper than ${MAX_OBJECT_DEPTH} levels`);
      }
    } catch (err) {
      const message = `ResourceSyncRule "${ruleName}": ${describe(o)}: ${errorText(err)}`;
      return { ok: false, error: new MutationError(message, ruleName, o, { cause: err }) };
    }
  }

  const problem = invalidObject(doc);
  if (problem !== undefined) {
    const message = `ResourceSyncRule "${ruleName}": overrides leave no valid object: ${problem}`;
    return { ok: false, error: new MutationError(message, ruleName) };
  }
  const out = doc as Unstructured;
  // Enforced again after the overrides: an override that dropped or changed the owner marker would
  // make the copy look created locally, or let it travel back to its origin.
  setOwner(out, owner);
  recordOriginalKey(out, { name: source.metadata?.name ?? '', namespace: source.metadata?.namespace ?? '' });
  return { ok: true, object: out };
}

function invalidObject(doc: unknown): string | undefined {
  if (!isMap(doc)) return 'the object is not a map';
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '')
    return 'apiVersion is not a non-empty string';
  if (typeof doc.kind !== 'string' || doc.kind === '') return 'kind is not a non-empty string';
  const meta = getOwn(doc, 'metadata');
  if (!isMap(meta)) return 'metadata is not a map';
  if (typeof meta.name !== 'string' || meta.name === '') return 'metadata.name is not a non-empty string';
  if (meta.namespace !== undefined && typeof meta.namespace !== 'string')
    return 'metadata.namespace is not a string';
  for (const f of ['labels', 'annotations'] as const) {
    const v = meta[f];
    if (v === undefined) continue;
    if (!isMap(v) || Object.values(v).some((x) => typeof x !== 'string')) {
      return `metadata.${f} is not a map of strings`;
    }
  }
  return undefined;
}
