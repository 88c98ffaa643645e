// Our Kafka and ZooKeeper dashboards, as ConfigMaps that Grafana's sidecar
// picks up by label. Generated here rather than shipped as a chart: they
// are data, and the label is the only setting.
import type { KubeObject } from '../../kube/index.ts';
import type { ComponentContext, ComponentDef } from '../types.ts';

function panel(id: number, title: string, expr: string, y: number) {
  return {
    id,
    title,
    type: 'timeseries',
    gridPos: { h: 8, w: 12, x: (id % 2) * 12, y },
    // Grafana's own variable syntax, not a template string.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable
    datasource: { type: 'prometheus', uid: '${datasource}' },
    targets: [{ expr, refId: 'A' }],
  };
}

function dashboard(uid: string, title: string, panels: ReturnType<typeof panel>[]) {
  return {
    uid,
    title,
    tags: ['sdm'],
    schemaVersion: 39,
    time: { from: 'now-1h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
    panels,
  };
}

export const KAFKA_DASHBOARD = dashboard('sdm-kafka', 'Kafka (sdm)', [
  panel(
    1,
    'Messages in / s',
    'sum by (topic) (rate(kafka_server_brokertopicmetrics_messagesin_total[5m]))',
    0,
  ),
  panel(2, 'Under-replicated partitions', 'sum(kafka_server_replicamanager_underreplicatedpartitions)', 0),
  panel(3, 'Consumer group lag', 'sum by (group, topic) (kminion_kafka_consumer_group_topic_lag)', 8),
  panel(4, 'Active controllers', 'sum(kafka_controller_kafkacontroller_activecontrollercount)', 8),
]);

export const ZOOKEEPER_DASHBOARD = dashboard('sdm-zookeeper', 'ZooKeeper (sdm)', [
  panel(1, 'Quorum size', 'sum by (namespace) (zookeeper_quorumsize)', 0),
  panel(2, 'Outstanding requests', 'max by (pod) (zookeeper_outstandingrequests)', 0),
  panel(3, 'Average latency (ms)', 'avg by (pod) (zookeeper_avgrequestlatency)', 8),
  panel(4, 'Alive connections', 'sum by (pod) (zookeeper_numaliveconnections)', 8),
]);

export function dashboardConfigMaps(ctx: ComponentContext): KubeObject[] {
  const { label } = ctx.spec.monitoring.grafanaDashboards;
  const namespace = ctx.spec.monitoring.prometheusOperator.namespace;
  return [
    ['sdm-grafana-dashboard-kafka', 'kafka.json', KAFKA_DASHBOARD],
    ['sdm-grafana-dashboard-zookeeper', 'zookeeper.json', ZOOKEEPER_DASHBOARD],
  ].map(([name, file, board]) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: name as string, namespace, labels: { [label]: '1' } },
    data: { [file as string]: JSON.stringify(board, null, 2) },
  }));
}

export const grafanaDashboards: ComponentDef = {
  name: 'grafanaDashboards',
  statusKey: 'monitoring',
  release: 'grafana-dashboards',
  dependsOn: ['prometheusOperator'],
  block: (s) => ({
    enabled: s.monitoring.grafanaDashboards.enabled,
    namespace: s.monitoring.prometheusOperator.namespace,
    path: 'spec.monitoring.grafanaDashboards',
  }),
  defaultValues: {},
  extraObjects: dashboardConfigMaps,
};
