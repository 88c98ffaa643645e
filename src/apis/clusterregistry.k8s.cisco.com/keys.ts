// Every label, annotation, Secret type and key of the clusterregistry.k8s.cisco.com API group, in one
// place. They are the original project's (Cisco's cluster-registry-controller), so objects and copies
// made by either implementation are recognised by the other.
export const PREFIX = 'cluster-registry.k8s.cisco.com';
/** The original's core-sync marker lives under the controller's own domain. */
const CONTROLLER_PREFIX = 'cluster-registry-controller.k8s.cisco.com';

/** On a peer's Cluster: disconnect from it (state Disabled). */
export const CLUSTER_DISABLED_ANNOTATION = `${PREFIX}/cluster-disabled`;
/** On a rule: do not spread the rule itself to peers (seed 001). */
export const RESOURCE_SYNC_DISABLED_ANNOTATION = `${PREFIX}/resource-sync-disabled`;

/** Annotation AND label on every synced copy: the clusterID of the cluster the object originates from. */
export const OWNER_KEY = `${PREFIX}/resource-owner-cluster-id`;
/** On a copy written under another GVK: the source's GVK. */
export const ORIGINAL_GVK_ANNOTATION = `${PREFIX}/original-group-version-kind`;
/** Label (hashed when too long, full value then in the annotation of the same key) on renamed copies. */
export const ORIGINAL_NAME_KEY = `${PREFIX}/original-name`;
export const ORIGINAL_NAMESPACE_KEY = `${PREFIX}/original-namespace`;
/** Fingerprint of what the controller last wrote to a copy (ours, not the original's). */
export const SYNC_HASH_ANNOTATION = `${PREFIX}/sync-hash`;

/** On objects that belong to the registry itself (built-in ClusterFeature, seed 001's rules). */
export const CORE_SYNC_LABEL = `${CONTROLLER_PREFIX}/core-sync-resource`;

/** ClusterRoles with this label "true" aggregate into the controller's role (local writes). */
export const CONTROLLER_AGGREGATED_LABEL = `${PREFIX}/controller-aggregated`;
/** ClusterRoles with this label "true" aggregate into the reader's role (what peers may read here). */
export const READER_AGGREGATED_LABEL = `${PREFIX}/reader-aggregated`;

/** The Secret type holding the `kubeconfig` peers use to reach a cluster. */
export const CLUSTER_SECRET_TYPE = 'k8s.cisco.com/cluster-registry-secret';
export const CLUSTER_SECRET_KEY = 'kubeconfig';
