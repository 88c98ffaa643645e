// The entry `sdm operator --controllers=clusterregistry` runs: the Cluster
// Registry (clusterregistry.k8s.cisco.com), keeping resources in sync across
// clusters (README: "Cluster Registry").
import { Type } from '@sinclair/typebox';
import { defineController } from '../../kube/index.ts';
import { registerClusterRegistry } from './controller.ts';

export const CLUSTER_REGISTRY_CONTROLLER = 'clusterregistry';
const DEFAULT_NAMESPACE = 'cluster-registry';

export const clusterRegistryOptions = Type.Object({
  namespace: Type.Optional(
    Type.String({
      minLength: 1,
      description: `registry namespace (default: the operator's, else ${DEFAULT_NAMESPACE})`,
    }),
  ),
  probeIntervalMs: Type.Integer({
    minimum: 1,
    default: 10_000,
    description: 'how often peers are probed',
    env: 'CLUSTER_REGISTRY_PROBE_INTERVAL_MS',
    aliases: ['probe-interval-ms'],
  }),
  coreSync: Type.Boolean({
    default: true,
    description: 'spread Clusters, their Secrets and ResourceSyncRules to every member',
    aliases: ['core-sync'],
  }),
  networkName: Type.Optional(
    Type.String({
      description: 'pick the kubernetesApiEndpoint whose clientNetwork matches',
      env: 'NETWORK_NAME',
      aliases: ['network-name'],
    }),
  ),
  allowPeerProxy: Type.Boolean({
    default: false,
    description: 'let peer kubeconfigs name a proxy-url (file references and exec are always refused)',
  }),
  localClusterName: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'provision this cluster’s Cluster and reader Secret under this name',
      aliases: ['local-cluster-name'],
    }),
  ),
  apiServerAddress: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'address peers reach this cluster at (with localClusterName)',
      aliases: ['api-server-address'],
    }),
  ),
  readerTokenSecret: Type.String({
    default: 'cluster-registry-controller-reader-token',
    description: 'Secret with the reader ServiceAccount token (with localClusterName)',
    aliases: ['reader-token-secret'],
  }),
});

export const clusterRegistryEntry = defineController({
  name: CLUSTER_REGISTRY_CONTROLLER,
  description: 'Cluster Registry: keeps resources in sync across clusters (clusterregistry.k8s.cisco.com)',
  options: clusterRegistryOptions,
  async register(manager, options, context) {
    const name = options.localClusterName;
    if (name && !options.apiServerAddress) {
      throw new Error(
        `${CLUSTER_REGISTRY_CONTROLLER}.localClusterName needs ${CLUSTER_REGISTRY_CONTROLLER}.apiServerAddress (how peers reach this cluster)`,
      );
    }
    await registerClusterRegistry(manager, {
      namespace: options.namespace ?? context.podNamespace ?? DEFAULT_NAMESPACE,
      probeIntervalMs: options.probeIntervalMs,
      coreSync: options.coreSync,
      networkName: options.networkName,
      allowPeerProxy: options.allowPeerProxy,
      localCluster:
        name && options.apiServerAddress
          ? { name, apiServerAddress: options.apiServerAddress, readerTokenSecret: options.readerTokenSecret }
          : undefined,
    });
  },
});
