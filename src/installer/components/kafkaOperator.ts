// koperator. It watches only the namespaces it is told to: ours.
import type { ComponentDef } from '../types.ts';

export const kafkaOperator: ComponentDef = {
  name: 'kafkaOperator',
  statusKey: 'kafkaOperator',
  release: 'kafka-operator',
  chart: { name: 'kafka-operator', version: '0.25.1', repository: 'oci://ghcr.io/adobe/helm-charts' },
  dependsOn: ['imagePullSecretsOperator', 'csrOperator', 'istioOperator', 'prometheusOperator'],
  needsMesh: true,
  block: (s) => ({ ...s.kafkaOperator, path: 'spec.kafkaOperator' }),
  defaultValues: { certManager: { enabled: false } },
  derivedValues: (ctx) => ({
    operator: { namespaces: ctx.spec.kafkaOperator.namespace },
    prometheusMetrics: { enabled: ctx.spec.monitoring.prometheusOperator.enabled },
  }),
};
