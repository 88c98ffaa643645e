// kminion, the consumer-lag exporter; its ServiceMonitor needs Prometheus' CRDs.
import type { ComponentDef } from '../types.ts';

export const kafkaMinion: ComponentDef = {
  name: 'kafkaMinion',
  statusKey: 'kafkaMinion',
  release: 'kminion',
  chart: { name: 'kminion', version: '0.14.0', repository: 'https://charts.redpanda.com' },
  dependsOn: ['imagePullSecretsOperator', 'prometheusOperator', 'kafkaOperator'],
  block: (s) => ({ ...s.kafkaMinion, path: 'spec.kafkaMinion' }),
  defaultValues: {},
  derivedValues: (ctx) => ({
    serviceMonitor: { create: ctx.spec.monitoring.prometheusOperator.enabled },
    kminion: {
      config: { kafka: { brokers: [`kafka-all-broker.${ctx.spec.kafkaOperator.namespace}.svc:29092`] } },
    },
  }),
};
