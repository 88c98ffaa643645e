// Cluster: one Kubernetes cluster of the group, local or peer
// (README: "Cluster Registry"; seed 001).
import { type Static, Type } from '@sinclair/typebox';
import { defineKind, type ResourceOf, resourceSchemaWithSpec } from '../../kind.ts';
import { closed, Int64, NamespacedName, ObservedGeneration, StringEnum, Time } from '../../schema.ts';
import { categories, group, version } from './group.ts';

export const KubernetesApiEndpointSchema = closed({
  serverAddress: Type.String({
    minLength: 1,
    description: 'host, host:port or URL of the API server; https:// is assumed when no scheme is given.',
  }),
  caBundle: Type.Optional(
    Type.String({ format: 'byte', description: 'Base64 PEM bundle to verify the API server with.' }),
  ),
  clientNetwork: Type.Optional(
    Type.String({
      description:
        "Network name of the clients this address is for; an endpoint matching the controller's network wins, else one without clientNetwork.",
    }),
  ),
});

export const ClusterSpecSchema = closed({
  clusterID: Type.String({ minLength: 1, description: 'UID of the kube-system namespace of the cluster.' }),
  authInfo: Type.Optional(
    closed(
      {
        secretRef: Type.Optional(
          NamespacedName, // a Secret of type k8s.cisco.com/cluster-registry-secret with key kubeconfig
        ),
      },
      { description: 'How peers get credentials for this cluster.' },
    ),
  ),
  kubernetesApiEndpoints: Type.Optional(Type.Array(KubernetesApiEndpointSchema)),
});

export const ClusterState = StringEnum(['Ready', 'Failed', 'Disabled', 'MissingAuthInfo', 'InvalidAuthInfo']);
export const ClusterType = StringEnum(['Local', 'Peer']);

/** Condition types of a Cluster. */
export const ClusterConditionTypes = {
  LocalCluster: 'LocalCluster',
  LocalConflict: 'LocalConflict',
  Ready: 'Ready',
  ClustersSynced: 'ClustersSynced',
} as const;

// The original's ClusterCondition (with lastHeartbeatTime, optional times) is a
// superset-compatible sibling of metav1.Condition: accept either shape.
export const ClusterConditionSchema = closed({
  type: Type.String({ minLength: 1 }),
  status: StringEnum(['True', 'False', 'Unknown']),
  observedGeneration: Type.Optional(Int64({ minimum: 0 })),
  lastHeartbeatTime: Type.Optional(Time()),
  lastTransitionTime: Type.Optional(Time()),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

export const LocalitySchema = closed({
  region: Type.Optional(Type.String()),
  regions: Type.Optional(Type.Array(Type.String())),
  zones: Type.Optional(Type.Array(Type.String())),
});

export const ClusterStatusSchema = closed({
  state: Type.Optional(ClusterState),
  type: Type.Optional(ClusterType),
  message: Type.Optional(Type.String()),
  leader: Type.Optional(
    Type.Boolean({ description: 'Set on the local Cluster by the replica holding the lease.' }),
  ),
  observedGeneration: Type.Optional(ObservedGeneration()),
  conditions: Type.Optional(
    Type.Array(ClusterConditionSchema, {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    }),
  ),
  // Gathered from the cluster's nodes.
  version: Type.Optional(Type.String()),
  provider: Type.Optional(Type.String()),
  distribution: Type.Optional(Type.String()),
  kubeletVersions: Type.Optional(Type.Array(Type.String())),
  kubeProxyVersions: Type.Optional(Type.Array(Type.String())),
  locality: Type.Optional(LocalitySchema),
});

export const ClusterSchema = resourceSchemaWithSpec(
  ClusterSpecSchema,
  ClusterStatusSchema,
  'A Kubernetes cluster of the cluster group: the local one, whose clusterID is the UID of its kube-system namespace, or a peer.',
);

const synced = '.status.conditions[?(@.type=="ClustersSynced")]';

export const ClusterKind = defineKind({
  group,
  version,
  kind: 'Cluster',
  plural: 'clusters',
  scope: 'Cluster',
  schema: ClusterSchema,
  categories,
  printerColumns: [
    { name: 'ID', type: 'string', jsonPath: '.spec.clusterID', priority: 1 },
    { name: 'Status', type: 'string', jsonPath: '.status.state' },
    { name: 'Type', type: 'string', jsonPath: '.status.type' },
    { name: 'Synced', type: 'string', jsonPath: `${synced}.status` },
    { name: 'Version', type: 'string', jsonPath: '.status.version', priority: 1 },
    { name: 'Provider', type: 'string', jsonPath: '.status.provider', priority: 1 },
    { name: 'Region', type: 'string', jsonPath: '.status.locality.region', priority: 1 },
    { name: 'Message', type: 'string', jsonPath: '.status.message', priority: 1 },
  ],
});

export type Cluster = ResourceOf<typeof ClusterSchema>;
export type ClusterSpec = Static<typeof ClusterSpecSchema>;
export type ClusterStatus = Static<typeof ClusterStatusSchema>;
export type ClusterCondition = Static<typeof ClusterConditionSchema>;
export type KubernetesApiEndpoint = Static<typeof KubernetesApiEndpointSchema>;
