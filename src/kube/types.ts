// Wire-shaped Kubernetes types. We talk JSON to the API server ourselves, so
// timestamps are strings here (client-node's models declare Date, which would
// lie about what our client returns).

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
  time?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: ListMeta;
  items: T[];
}

/** metav1.Condition, as used by status.conditions of our own resources. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/**
 * A kind of object: apiVersion + kind. The type parameter only carries the
 * TypeScript shape so `client.get(ConfigMaps, key)` returns a typed object.
 */
export interface Kind<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  /** Phantom field: never set, only ties the kind to its TypeScript type. */
  readonly __shape?: T;
}

export function kind<T extends KubeObject = KubeObject>(apiVersion: string, kindName: string): Kind<T> {
  return { apiVersion, kind: kindName };
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export function parseKind(k: { apiVersion: string; kind: string }): GroupVersionKind {
  const slash = k.apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: k.apiVersion, kind: k.kind }
    : { group: k.apiVersion.slice(0, slash), version: k.apiVersion.slice(slash + 1), kind: k.kind };
}

export function kindOf(obj: KubeObject): Kind {
  if (!obj.apiVersion || !obj.kind) throw new Error('object has no apiVersion/kind');
  return { apiVersion: obj.apiVersion, kind: obj.kind };
}

/** What a reconcile is asked to look at: one object, by namespace (if namespaced) and name. */
export interface Request {
  namespace?: string;
  name: string;
}

/** "namespace/name", or "name" for cluster-scoped objects: the work queue key. */
export function requestKey(req: Request): string {
  return req.namespace ? `${req.namespace}/${req.name}` : req.name;
}

export function parseRequestKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function objectKey(obj: KubeObject): string {
  return requestKey(requestFor(obj));
}

export function requestFor(obj: KubeObject): Request {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  const namespace = obj.metadata?.namespace;
  return namespace ? { namespace, name } : { name };
}

// A few built-in kinds every controller needs; others are declared where used.
export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}
export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
export interface Namespace extends KubeObject {
  status?: { phase?: string };
}
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number | null;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number | null;
  };
}

export const ConfigMaps = kind<ConfigMap>('v1', 'ConfigMap');
export const Secrets = kind<Secret>('v1', 'Secret');
export const Namespaces = kind<Namespace>('v1', 'Namespace');
export const Leases = kind<Lease>('coordination.k8s.io/v1', 'Lease');
