// Our cluster registry controller (README: "Cluster Registry").
import type { ComponentDef } from '../types.ts';

export const clusterRegistry: ComponentDef = {
  name: 'clusterRegistry',
  statusKey: 'clusterRegistry',
  release: 'cluster-registry',
  chart: { name: 'cluster-registry', repository: 'charts/cluster-registry' },
  dependsOn: ['imagePullSecretsOperator'],
  block: (s) => ({ ...s.clusterRegistry, path: 'spec.clusterRegistry' }),
  defaultValues: {},
};
