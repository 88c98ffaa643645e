// The pravega zookeeper-operator; ZooKeeper runs inside the mesh, so it waits for it.
import type { KubeObject } from '../../kube/index.ts';
import type { ComponentContext, ComponentDef } from '../types.ts';
import { zookeeperClusterStatus } from '../zookeeper/cluster-status.ts';

export function defaultZookeeperCluster(ctx: ComponentContext): KubeObject & { spec: unknown } {
  return {
    apiVersion: 'zookeeper.pravega.io/v1beta1',
    kind: 'ZookeeperCluster',
    metadata: {
      name: 'zookeeper-server',
      namespace: ctx.spec.zookeeperOperator.namespace,
      labels: { app: 'zookeeper-server', 'app.kubernetes.io/component': 'zookeeper' },
    },
    spec: {
      image: { repository: 'pravega/zookeeper', tag: '0.2.13', pullPolicy: 'IfNotPresent' },
      replicas: 3,
      config: { initLimit: 10, tickTime: 2000, syncLimit: 5, quorumListenOnAllIPs: true },
    },
  };
}

export const zookeeperOperator: ComponentDef = {
  name: 'zookeeperOperator',
  statusKey: 'zookeeperOperator',
  release: 'zookeeper-operator',
  chart: { name: 'zookeeper-operator', version: '0.2.15', repository: 'https://charts.pravega.io' },
  dependsOn: ['imagePullSecretsOperator', 'istioOperator'],
  needsMesh: true,
  block: (s) => ({ ...s.zookeeperOperator, path: 'spec.zookeeperOperator' }),
  defaultValues: { crd: { create: true } },
  derivedValues: (ctx) => ({ watchNamespace: ctx.spec.zookeeperOperator.namespace }),
  extraObjects: (ctx) =>
    ctx.spec.zookeeperOperator.createDefaultCluster ? [defaultZookeeperCluster(ctx)] : [],
  reportStatus: zookeeperClusterStatus,
};
