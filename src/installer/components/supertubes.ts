// The platform's own controllers for streaming workloads. The product's
// supertubes chart is closed source; ours (charts/supertubes, in this repo like
// csr-operator's) carries our Kafka controllers.
import type { ComponentDef } from '../types.ts';

export const supertubes: ComponentDef = {
  name: 'supertubes',
  statusKey: 'supertubes',
  release: 'supertubes',
  chart: { name: 'supertubes', repository: 'charts/supertubes' },
  dependsOn: [
    'imagePullSecretsOperator',
    'istioOperator',
    'zookeeperOperator',
    'kafkaOperator',
    'prometheusOperator',
  ],
  needsMesh: true,
  block: (s) => ({ ...s.supertubes, path: 'spec.supertubes' }),
  defaultValues: {},
};
