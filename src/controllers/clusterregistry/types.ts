// The one shape the sync engine adds to the runtime's and the API's types: it copies objects of kinds it
// does not know, so it sees them as the runtime's KubeObject (typed metadata) plus any other fields.
// Cluster, ClusterFeature and ResourceSyncRule come from src/apis, requests and keys from src/kube.
import type { KubeObject } from '../../kube/types.ts';

/** An object of any kind as read from an API server. */
export type Unstructured = KubeObject & { [field: string]: unknown };
