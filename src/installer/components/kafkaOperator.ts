// koperator 0.25.1 (the chart README's banzaicloud-stable repository). It
// watches only the namespaces it is told to: ours. Its CRDs come with the
// chart only when asked (crd.enabled, default false): without them no
// KafkaCluster can ever be created.
import type { ComponentDef } from '../types.ts';

export const kafkaOperator: ComponentDef = {
  name: 'kafkaOperator',
  statusKey: 'kafkaOperator',
  release: 'kafka-operator',
  chart: {
    name: 'kafka-operator',
    version: '0.25.1',
    repository: 'https://kubernetes-charts.banzaicloud.com',
  },
  dependsOn: ['imagePullSecretsOperator', 'csrOperator', 'istioOperator', 'prometheusOperator'],
  needsMesh: true,
  block: (s) => ({ ...s.kafkaOperator, path: 'spec.kafkaOperator' }),
  defaultValues: { crd: { enabled: true }, certManager: { enabled: false } },
  derivedValues: (ctx) => ({
    operator: { namespaces: ctx.spec.kafkaOperator.namespace },
    // The metrics endpoint (behind kube-rbac-proxy) only when there is a Prometheus.
    prometheusMetrics: { enabled: ctx.spec.monitoring.prometheusOperator.enabled },
  }),
};
