// kminion 0.14.0, the consumer-lag exporter, with a ServiceMonitor when the
// platform runs Prometheus. kube-prometheus-stack's Prometheus selects
// ServiceMonitors labelled release=<its release> (serviceMonitorSelector
// NilUsesHelmValues), so kminion's carries that label.
import type { ComponentDef } from '../types.ts';
import { prometheusOperator } from './prometheusOperator.ts';

export const kafkaMinion: ComponentDef = {
  name: 'kafkaMinion',
  statusKey: 'kafkaMinion',
  release: 'kminion',
  chart: { name: 'kminion', version: '0.14.0', repository: 'https://charts.redpanda.com' },
  dependsOn: ['imagePullSecretsOperator', 'prometheusOperator', 'kafkaOperator'],
  block: (s) => ({ ...s.kafkaMinion, path: 'spec.kafkaMinion' }),
  defaultValues: {},
  derivedValues: (ctx) => {
    const monitoring = ctx.spec.monitoring.prometheusOperator.enabled;
    return {
      serviceMonitor: monitoring
        ? { create: true, additionalLabels: { release: prometheusOperator.release } }
        : { create: false },
      kminion: {
        config: { kafka: { brokers: [`kafka-all-broker.${ctx.spec.kafkaOperator.namespace}.svc:29092`] } },
      },
    };
  },
};
