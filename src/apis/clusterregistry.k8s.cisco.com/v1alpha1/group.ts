// The API group of Cisco's cluster-registry-controller, whose manifests
// (seed 001) must work unchanged against our implementation.
export const group = 'clusterregistry.k8s.cisco.com';
export const version = 'v1alpha1';
export const categories = ['sdm', 'cluster-registry'] as const;
