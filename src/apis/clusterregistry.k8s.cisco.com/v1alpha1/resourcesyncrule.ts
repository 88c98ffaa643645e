// ResourceSyncRule: which objects of one kind are copied from peers, and how
// they are changed on the way (README: "Cluster Registry"; seed 001).
import { type Static, Type } from '@sinclair/typebox';
import { AGE_COLUMN, defineKind, type ResourceOf, resourceSchemaWithSpec } from '../../kind.ts';
import {
  AnnotationSelector,
  Conditions,
  closed,
  Int64,
  IntOrString,
  LabelSelector,
  ObservedGeneration,
  SelectorRequirement,
  StringEnum,
  StringMap,
  Time,
} from '../../schema.ts';
import { categories, group, version } from './group.ts';

/**
 * Admission limits. A template is parsed once and cached, but a huge one still costs memory and parse
 * time on every controller that syncs the rule; real templates (seed 001's is 100 characters) are far
 * below these.
 */
export const OVERRIDE_VALUE_MAX_LENGTH = 16 * 1024;
export const OVERRIDE_PATH_MAX_LENGTH = 4096;

export const GroupVersionKindSchema = closed({
  group: Type.Optional(Type.String({ description: 'Empty or left out for the core group.' })),
  version: Type.String({ minLength: 1 }),
  kind: Type.String({ minLength: 1 }),
});

export const ClusterFeatureMatchSchema = closed(
  {
    featureName: Type.Optional(Type.String()),
    matchLabels: Type.Optional(StringMap()),
    matchExpressions: Type.Optional(Type.Array(SelectorRequirement)),
  },
  { description: 'A peer qualifies only if it has ClusterFeatures satisfying every entry.' },
);

export const ContentSelectorSchema = closed({
  key: Type.String({ minLength: 1, description: 'A gjson-style path into the object.' }),
  value: IntOrString({ description: 'The value found at key must equal this.' }),
});

export const SyncRuleMatchSchema = closed(
  {
    objectKey: Type.Optional(
      closed({
        name: Type.Optional(Type.String()),
        namespace: Type.Optional(Type.String()),
        // The original declares objectKey as Go's types.NamespacedName, which has no JSON tags: its
        // manifests spell the fields Name and Namespace.
        Name: Type.Optional(Type.String()),
        Namespace: Type.Optional(Type.String()),
      }),
    ),
    namespaces: Type.Optional(
      Type.Array(Type.String(), { description: 'Ignored for cluster-scoped kinds.' }),
    ),
    labels: Type.Optional(Type.Array(LabelSelector, { description: 'ORed.' })),
    annotations: Type.Optional(Type.Array(AnnotationSelector, { description: 'ORed.' })),
    content: Type.Optional(Type.Array(ContentSelectorSchema, { description: 'All must hold.' })),
  },
  { description: 'Every field given must hold.' },
);

const addRemove = (what: string) =>
  closed({
    add: Type.Optional(StringMap({ description: `${what} to set on the copy.` })),
    remove: Type.Optional(Type.Array(Type.String(), { description: `${what} keys to drop from the copy.` })),
  });

export const OverridePatchSchema = closed({
  type: Type.Optional(StringEnum(['replace', 'remove'], { description: 'replace when left out.' })),
  path: Type.String({
    minLength: 1,
    maxLength: OVERRIDE_PATH_MAX_LENGTH,
    description:
      'go-patch pointer: /a/b keys, /0 /-1 indexes, /- append, name=value selects an item, a trailing ? creates missing keys.',
  }),
  value: Type.Optional(
    Type.String({
      maxLength: OVERRIDE_VALUE_MAX_LENGTH,
      description: 'A Go template, with .Object, .Cluster and .LocalCluster as data.',
    }),
  ),
  parseValue: Type.Optional(Type.Boolean({ description: 'Parse the rendered value as YAML.' })),
});

export const MutationsSchema = closed({
  annotations: Type.Optional(addRemove('Annotations')),
  labels: Type.Optional(addRemove('Labels')),
  groupVersionKind: Type.Optional(
    closed(
      {
        group: Type.Optional(Type.String()),
        version: Type.Optional(Type.String()),
        kind: Type.Optional(Type.String()),
      },
      { description: 'Write the copy as this kind; the original is kept in an annotation.' },
    ),
  ),
  overrides: Type.Optional(Type.Array(OverridePatchSchema)),
  syncStatus: Type.Optional(
    Type.Boolean({ description: 'Also copy .status through the status subresource.' }),
  ),
});

export const SyncRuleSchema = closed({
  match: Type.Optional(
    Type.Array(SyncRuleMatchSchema, { description: 'ORed; an empty list matches every object.' }),
  ),
  mutations: Type.Optional(MutationsSchema),
});

export const ResourceSyncRuleSpecSchema = closed({
  groupVersionKind: GroupVersionKindSchema,
  clusterFeatureMatch: Type.Optional(Type.Array(ClusterFeatureMatchSchema)),
  rules: Type.Array(SyncRuleSchema, {
    description:
      'An object is synced if any rule matches; the mutations of all matching rules apply, in order.',
  }),
});

export const PeerSyncState = StringEnum(['Syncing', 'Synced', 'Failed', 'Unreachable', 'Disabled'], {
  description:
    'Syncing: starting or catching up; Synced: watching and up to date; Failed: see lastError; Unreachable: the peer cannot be reached; Disabled: the peer is disabled.',
});

export const PeerSyncStatusSchema = closed({
  cluster: Type.String({ minLength: 1, description: 'Name of the peer Cluster.' }),
  state: PeerSyncState,
  objectsSynced: Type.Optional(
    Int64({ minimum: 0, description: 'Objects of this rule currently synced from the peer.' }),
  ),
  lastError: Type.Optional(Type.String()),
  lastSyncTime: Type.Optional(
    Time({ description: 'Last time an object from the peer was written locally.' }),
  ),
});

export const ResourceSyncRuleStatusSchema = closed({
  observedGeneration: Type.Optional(ObservedGeneration()),
  conditions: Type.Optional(Conditions()),
  peers: Type.Optional(
    Type.Array(PeerSyncStatusSchema, {
      description: 'One entry per eligible peer.',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['cluster'],
    }),
  ),
});

export const ResourceSyncRuleSchema = resourceSchemaWithSpec(
  ResourceSyncRuleSpecSchema,
  ResourceSyncRuleStatusSchema,
  'Copies objects of one kind from eligible peer clusters into this cluster, mutating them on the way.',
);

export const ResourceSyncRuleKind = defineKind({
  group,
  version,
  kind: 'ResourceSyncRule',
  plural: 'resourcesyncrules',
  scope: 'Cluster',
  schema: ResourceSyncRuleSchema,
  shortNames: ['rsr'],
  categories,
  printerColumns: [
    { name: 'Kind', type: 'string', jsonPath: '.spec.groupVersionKind.kind' },
    { name: 'Group', type: 'string', jsonPath: '.spec.groupVersionKind.group' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    AGE_COLUMN,
  ],
});

export type ResourceSyncRule = ResourceOf<typeof ResourceSyncRuleSchema>;
export type ResourceSyncRuleSpec = Static<typeof ResourceSyncRuleSpecSchema>;
export type ResourceSyncRuleStatus = Static<typeof ResourceSyncRuleStatusSchema>;
export type SyncRule = Static<typeof SyncRuleSchema>;
export type SyncRuleMatch = Static<typeof SyncRuleMatchSchema>;
export type Mutations = Static<typeof MutationsSchema>;
export type OverridePatch = Static<typeof OverridePatchSchema>;
export type PeerSyncStatus = Static<typeof PeerSyncStatusSchema>;
export type GroupVersionKind = Static<typeof GroupVersionKindSchema>;
export type ClusterFeatureMatch = Static<typeof ClusterFeatureMatchSchema>;
export type ContentSelector = Static<typeof ContentSelectorSchema>;
