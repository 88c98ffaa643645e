// Annotation and label keys of the cluster-registry API. They are the original project's, so copies
// made by either implementation are recognised by the other.
const PREFIX = 'cluster-registry.k8s.cisco.com';

/** Annotation AND label on every synced copy: the clusterID of the cluster the object originates from. */
export const OWNER_KEY = `${PREFIX}/resource-owner-cluster-id`;
export const ORIGINAL_GVK_ANNOTATION = `${PREFIX}/original-group-version-kind`;
export const ORIGINAL_NAME_KEY = `${PREFIX}/original-name`;
export const ORIGINAL_NAMESPACE_KEY = `${PREFIX}/original-namespace`;
export const RESOURCE_SYNC_DISABLED_ANNOTATION = `${PREFIX}/resource-sync-disabled`;
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
