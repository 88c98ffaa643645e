// The platform's own controllers for streaming workloads (private chart).
import type { ComponentDef } from '../types.ts';

export const supertubes: ComponentDef = {
  name: 'supertubes',
  statusKey: 'supertubes',
  release: 'supertubes',
  chart: { name: 'supertubes', version: '1.10.0', repository: 's3://cisco-eti-banzai-charts/charts' },
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
  derivedValues: (ctx) => ({
    kafkaOperatorNamespace: ctx.spec.kafkaOperator.namespace,
    zookeeperNamespace: ctx.spec.zookeeperOperator.namespace,
    istioNamespace: ctx.spec.istioOperator.namespace,
  }),
};
