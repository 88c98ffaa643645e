// Which objects a ResourceSyncRule selects, which peers it applies to, and the mutations that follow.

import type { ClusterFeature } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/clusterfeature.ts';
import type {
  ClusterFeatureMatch,
  Mutations,
  OverridePatch,
  ResourceSyncRule,
  SyncRuleMatch,
} from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { gjsonGet, gjsonString } from './gjson.ts';
import { setOwn } from './json.ts';
import type { Unstructured } from './types.ts';

type LabelSelector = NonNullable<SyncRuleMatch['labels']>[number];
type AnnotationSelector = NonNullable<SyncRuleMatch['annotations']>[number];
type SelectorRequirement = NonNullable<LabelSelector['matchExpressions']>[number];

export interface MatchOptions {
  /** Defaults to "the object has no namespace". */
  clusterScoped?: boolean;
}

/**
 * One requirement of a label selector, as metav1.LabelSelectorAsSelector reads it. A malformed one
 * (In/NotIn without values, Exists/DoesNotExist with values, unknown operator) is an error there; here
 * it matches nothing, so a broken rule syncs nothing rather than everything.
 */
function requirementHolds(req: SelectorRequirement, values: Record<string, string>): boolean {
  const present = Object.hasOwn(values, req.key);
  const list = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return list.length > 0 && present && list.includes(values[req.key]!);
    case 'NotIn':
      return list.length > 0 && (!present || !list.includes(values[req.key]!));
    case 'Exists':
      return list.length === 0 && present;
    case 'DoesNotExist':
      return list.length === 0 && !present;
    default:
      return false;
  }
}

/** matchLabels AND matchExpressions; an empty selector selects everything. */
export function selectorMatches(
  matchValues: Record<string, string> | undefined,
  expressions: SelectorRequirement[] | undefined,
  values: Record<string, string> | undefined,
): boolean {
  const have = values ?? {};
  for (const [k, v] of Object.entries(matchValues ?? {})) {
    if (!Object.hasOwn(have, k) || have[k] !== v) return false;
  }
  return (expressions ?? []).every((req) => requirementHolds(req, have));
}

export function labelSelectorMatches(
  sel: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  return selectorMatches(sel.matchLabels, sel.matchExpressions, labels);
}

export function annotationSelectorMatches(
  sel: AnnotationSelector,
  annotations: Record<string, string> | undefined,
): boolean {
  return selectorMatches(sel.matchAnnotations, sel.matchExpressions, annotations);
}

/** A content value is an intstr in the API: compare both sides as the strings gjson would print. */
function contentValue(v: string | number | undefined): string {
  return v === undefined || v === null ? '' : String(v);
}

/** One match[] entry: every field that is set must hold. */
export function matchEntryMatches(entry: SyncRuleMatch, obj: Unstructured, opts: MatchOptions = {}): boolean {
  const name = obj.metadata?.name ?? '';
  const namespace = obj.metadata?.namespace ?? '';
  const clusterScoped = opts.clusterScoped ?? namespace === '';

  const key = entry.objectKey;
  if (key) {
    const wantName = key.name || key.Name || '';
    const wantNamespace = key.namespace || key.Namespace || '';
    if (wantName !== '' && wantName !== name) return false;
    if (wantNamespace !== '' && wantNamespace !== namespace) return false;
  }
  if (entry.namespaces?.length && !clusterScoped && !entry.namespaces.includes(namespace)) return false;
  if (entry.labels?.length && !entry.labels.some((s) => labelSelectorMatches(s, obj.metadata?.labels))) {
    return false;
  }
  if (
    entry.annotations?.length &&
    !entry.annotations.some((s) => annotationSelectorMatches(s, obj.metadata?.annotations))
  ) {
    return false;
  }
  if (entry.content?.length) {
    for (const c of entry.content) {
      if (gjsonString(gjsonGet(obj, c.key)) !== contentValue(c.value)) return false;
    }
  }
  return true;
}

/** match[] of one rule: entries are ORed, and no entries means everything. */
export function matchListMatches(
  entries: SyncRuleMatch[] | undefined,
  obj: Unstructured,
  opts: MatchOptions = {},
): boolean {
  if (!entries || entries.length === 0) return true;
  return entries.some((e) => matchEntryMatches(e, obj, opts));
}

/**
 * Is a peer eligible for a rule: for EVERY clusterFeatureMatch entry the peer has a ClusterFeature
 * with that featureName whose labels satisfy the entry's selector. No entries: every peer is.
 */
export function clusterFeaturesMatch(
  matches: ClusterFeatureMatch[] | undefined,
  peerFeatures: readonly ClusterFeature[],
): boolean {
  return (matches ?? []).every((m) =>
    peerFeatures.some(
      (f) =>
        f.spec?.featureName === m.featureName &&
        selectorMatches(m.matchLabels, m.matchExpressions, f.metadata?.labels),
    ),
  );
}

/** An override remembers where it was written, so errors can name it. */
export interface TracedOverride extends OverridePatch {
  ruleIndex: number;
  overrideIndex: number;
}

export interface MergedMutations {
  annotations: { add: Record<string, string>; remove: string[] };
  labels: { add: Record<string, string>; remove: string[] };
  groupVersionKind?: Mutations['groupVersionKind'];
  overrides: TracedOverride[];
  syncStatus: boolean;
  /** Indexes into spec.rules of the rules that matched, in order. */
  ruleIndexes: number[];
}

export function emptyMutations(): MergedMutations {
  return {
    annotations: { add: {}, remove: [] },
    labels: { add: {}, remove: [] },
    overrides: [],
    syncStatus: false,
    ruleIndexes: [],
  };
}

/**
 * The merged mutations of every rule whose match[] selects the object, or undefined when none does
 * (the object is not synced). Later rules win on the same add key and on groupVersionKind.
 */
export function matchingRules(
  rule: ResourceSyncRule,
  obj: Unstructured,
  opts: MatchOptions = {},
): MergedMutations | undefined {
  const merged = emptyMutations();
  (rule.spec?.rules ?? []).forEach((r, ruleIndex) => {
    if (!matchListMatches(r.match, obj, opts)) return;
    merged.ruleIndexes.push(ruleIndex);
    const m = r.mutations ?? {};
    for (const [k, v] of Object.entries(m.annotations?.add ?? {})) setOwn(merged.annotations.add, k, v);
    merged.annotations.remove.push(...(m.annotations?.remove ?? []));
    for (const [k, v] of Object.entries(m.labels?.add ?? {})) setOwn(merged.labels.add, k, v);
    merged.labels.remove.push(...(m.labels?.remove ?? []));
    if (m.groupVersionKind) merged.groupVersionKind = m.groupVersionKind;
    (m.overrides ?? []).forEach((o, overrideIndex) => {
      merged.overrides.push({ ...o, ruleIndex, overrideIndex });
    });
    merged.syncStatus ||= m.syncStatus === true;
  });
  return merged.ruleIndexes.length > 0 ? merged : undefined;
}
