// kube-prometheus-stack: Prometheus, Alertmanager and Grafana. Seed 000's
// valuesOverride is written for this chart.
import type { ComponentDef } from '../types.ts';

export const prometheusOperator: ComponentDef = {
  name: 'prometheusOperator',
  statusKey: 'monitoring',
  release: 'prometheus-operator',
  chart: {
    name: 'kube-prometheus-stack',
    version: '65.1.1',
    repository: 'https://prometheus-community.github.io/helm-charts',
  },
  dependsOn: ['imagePullSecretsOperator'],
  block: (s) => ({ ...s.monitoring.prometheusOperator, path: 'spec.monitoring.prometheusOperator' }),
  defaultValues: {
    // Names the seed refers to (prometheus-operator-alertmanager).
    fullnameOverride: 'prometheus-operator',
    alertmanager: { enabled: true },
    grafana: { enabled: true },
  },
  derivedValues: (ctx) => {
    const d = ctx.spec.monitoring.grafanaDashboards;
    return {
      grafana: { sidecar: { dashboards: { enabled: d.enabled, label: d.label, searchNamespace: 'ALL' } } },
    };
  },
};
