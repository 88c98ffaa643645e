// The component catalog: every component the platform installs, one file each
// under components/. The order here is only for display; the engine orders
// by dependencies.
import { clusterRegistry } from './components/clusterRegistry.ts';
import { csrOperator } from './components/csrOperator.ts';
import { grafanaDashboards } from './components/grafanaDashboards.ts';
import { imagePullSecretsOperator } from './components/imagePullSecretsOperator.ts';
import { istioOperator } from './components/istioOperator.ts';
import { kafkaMinion } from './components/kafkaMinion.ts';
import { kafkaOperator } from './components/kafkaOperator.ts';
import { prometheusOperator } from './components/prometheusOperator.ts';
import { supertubes } from './components/supertubes.ts';
import { zookeeperOperator } from './components/zookeeperOperator.ts';
import type { ComponentDef } from './types.ts';

export const catalog: readonly ComponentDef[] = [
  imagePullSecretsOperator,
  csrOperator,
  istioOperator,
  zookeeperOperator,
  kafkaOperator,
  prometheusOperator,
  grafanaDashboards,
  supertubes,
  kafkaMinion,
  clusterRegistry,
];

/** Finds a component by engine name or status key (`monitoring` names both monitoring parts). */
export function componentsNamed(name: string, from: readonly ComponentDef[] = catalog): ComponentDef[] {
  const lower = name.toLowerCase();
  const found = from.filter((c) => c.name.toLowerCase() === lower || c.statusKey.toLowerCase() === lower);
  if (found.length === 0) {
    throw new Error(
      `unknown component ${JSON.stringify(name)}; known: ${from.map((c) => c.name).join(', ')}`,
    );
  }
  return found;
}
