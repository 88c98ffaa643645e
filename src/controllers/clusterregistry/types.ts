// Minimal shapes of the objects the sync engine reasons about. They are plain JSON as read from the
// API server; only the fields the engine touches are typed, the rest pass through untouched.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  [key: string]: unknown;
}

/** Any Kubernetes object, unstructured. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Namespace is '' (or absent) for cluster-scoped objects. */
export interface ObjectKey {
  name: string;
  namespace?: string;
}

export interface GroupVersionKind {
  group?: string;
  version: string;
  kind: string;
}

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

export interface AnnotationSelector {
  matchAnnotations?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

export interface ContentSelector {
  key: string;
  /** intstr in the original API: YAML may give a number. */
  value: string | number;
}

export interface SyncRuleMatch {
  /** The original API used types.NamespacedName (no JSON tags), so Name/Namespace are accepted too. */
  objectKey?: { name?: string; namespace?: string; Name?: string; Namespace?: string };
  namespaces?: string[];
  labels?: LabelSelector[];
  annotations?: AnnotationSelector[];
  content?: ContentSelector[];
}

export interface MetaMutation {
  add?: Record<string, string>;
  remove?: string[];
}

export interface Override {
  type: 'replace' | 'remove' | string;
  path: string;
  value?: string;
  parseValue?: boolean;
}

export interface Mutations {
  annotations?: MetaMutation;
  labels?: MetaMutation;
  groupVersionKind?: GroupVersionKind;
  overrides?: Override[];
  syncStatus?: boolean;
}

export interface SyncRule {
  match?: SyncRuleMatch[];
  mutations?: Mutations;
}

export interface ClusterFeatureMatch {
  featureName: string;
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

export interface ResourceSyncRule {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    groupVersionKind: GroupVersionKind;
    clusterFeatureMatch?: ClusterFeatureMatch[];
    rules: SyncRule[];
  };
}

export interface ClusterFeature {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { featureName: string };
}

export interface Cluster {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    clusterID: string;
    authInfo?: { secretRef?: { name?: string; namespace?: string } };
    kubernetesApiEndpoints?: Array<{ serverAddress?: string; caBundle?: string; clientNetwork?: string }>;
  };
  status?: { state?: string; type?: string; message?: string; [key: string]: unknown };
}
