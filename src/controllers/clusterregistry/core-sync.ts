// Core sync: the registry spreads itself. Built-in rules copy from every peer that advertises the
// built-in ClusterFeature its Cluster CRs, the kubeconfig Secrets of the registry namespace and its
// ResourceSyncRules (those not annotated resource-sync-disabled), so a cluster attached to one member
// of a group learns about, and is learned by, all the others. The rules live in memory only; the
// feature is a real ClusterFeature the controller keeps on its own cluster.
import {
  CLUSTER_SECRET_TYPE,
  CORE_SYNC_LABEL,
  RESOURCE_SYNC_DISABLED_ANNOTATION,
} from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import {
  type ClusterFeature,
  ClusterFeatureKind,
} from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/clusterfeature.ts';
import type { Client } from '../../kube/index.ts';
import type { EngineRule } from './rules.ts';

export const CORE_SYNC_FEATURE = 'cluster-registry-core-sync';

function builtin(
  name: string,
  gvk: { group: string; version: string; kind: string },
  namespace: string | undefined,
  match: NonNullable<EngineRule['spec']['rules'][number]['match']>,
): EngineRule {
  return {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ResourceSyncRule',
    metadata: { name, generation: 1 },
    spec: {
      groupVersionKind: gvk,
      clusterFeatureMatch: [{ featureName: CORE_SYNC_FEATURE }],
      rules: [{ match }],
    },
    builtin: { namespace },
  };
}

export function coreSyncRules(namespace: string): EngineRule[] {
  return [
    builtin(
      'core-sync-clusters',
      { group: 'clusterregistry.k8s.cisco.com', version: 'v1alpha1', kind: 'Cluster' },
      undefined,
      [],
    ),
    builtin('core-sync-secrets', { group: '', version: 'v1', kind: 'Secret' }, namespace, [
      { content: [{ key: 'type', value: CLUSTER_SECRET_TYPE }] },
    ]),
    builtin(
      'core-sync-resourcesyncrules',
      { group: 'clusterregistry.k8s.cisco.com', version: 'v1alpha1', kind: 'ResourceSyncRule' },
      undefined,
      [
        {
          annotations: [
            { matchExpressions: [{ key: RESOURCE_SYNC_DISABLED_ANNOTATION, operator: 'DoesNotExist' }] },
          ],
        },
      ],
    ),
  ];
}

/** Keeps the built-in ClusterFeature on the local cluster, so peers sync the core resources from us. */
export async function ensureCoreSyncFeature(client: Client): Promise<void> {
  const existing = await client.getIfExists(ClusterFeatureKind, { name: CORE_SYNC_FEATURE });
  if (existing) return;
  await client.create({
    apiVersion: ClusterFeatureKind.apiVersion,
    kind: ClusterFeatureKind.kind,
    metadata: { name: CORE_SYNC_FEATURE, labels: { [CORE_SYNC_LABEL]: 'true' } },
    spec: { featureName: CORE_SYNC_FEATURE },
  } satisfies ClusterFeature);
}
