// Test clusters for the cluster registry: real control planes with the CRDs, the chart's RBAC and
// ServiceAccounts applied, and a controller per cluster running in-process under the chart's
// controller ServiceAccount (so every test also proves the chart's least-privilege RBAC).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterKind } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { ClusterFeatureKind } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/clusterfeature.ts';
import { ResourceSyncRuleKind } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { clusterRegistryEntry } from '../../../src/controllers/clusterregistry/entry.ts';
import { type ControlPlane, startControlPlane, toolPath } from '../../../src/devcluster/index.ts';
import { Client, createLogger, kind, Manager, registerController } from '../../../src/kube/index.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const NS = 'cluster-registry';
export const KafkaClusters = kind<
  KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> }
>('kafka.banzaicloud.io/v1beta1', 'KafkaCluster');
export const Clusters = ClusterKind;
export const Rules = ResourceSyncRuleKind;
export const Features = ClusterFeatureKind;

export interface TestCluster {
  name: string;
  cp: ControlPlane;
  admin: Client;
  id: string;
  /** The reader ServiceAccount's kubeconfig: what peers put in this cluster's Secret. */
  readerKubeconfig: string;
  controllerKubeConfig: KubeConfig;
  manager?: Manager;
}

export function kubectl(cp: ControlPlane, args: string[], input?: string): string {
  return execFileSync(toolPath('kubectl'), ['--kubeconfig', cp.kubeconfigPath, ...args], {
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function renderChart(set: string[] = []): string {
  return execFileSync(
    join(repoRoot, '.tools', 'bin', 'helm'),
    [
      'template',
      'cluster-registry',
      join(repoRoot, 'charts', 'cluster-registry'),
      '--namespace',
      NS,
      ...set.flatMap((v) => ['--set', v]),
    ],
    { encoding: 'utf8' },
  );
}

/** Everything of the chart but the Deployment (the controller runs in the test process instead). */
export function chartWithoutDeployment(set: string[] = []): string {
  return renderChart(set)
    .split(/^---$/m)
    .filter((doc) => !/^kind: Deployment$/m.test(doc))
    .join('\n---\n');
}

async function prepare(name: string, cp: ControlPlane, chart: string): Promise<TestCluster> {
  const crdDir = join(repoRoot, 'charts', 'crds');
  const crds = readdirSync(crdDir).filter((f) => f.endsWith('.clusterregistry.k8s.cisco.com.yaml'));
  kubectl(cp, ['apply', ...crds.flatMap((f) => ['-f', join(crdDir, f)])]);
  kubectl(cp, ['apply', '-f', join(import.meta.dirname, 'fixtures', 'kafkacluster-crd.yaml')]);
  kubectl(cp, ['create', 'namespace', NS]);
  kubectl(cp, ['apply', '-f', '-'], chart);
  kubectl(cp, ['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  const reader = await cp.serviceAccountKubeConfig(NS, 'cluster-registry-controller-reader');
  const controllerKubeConfig = await cp.serviceAccountKubeConfig(NS, 'cluster-registry-controller');
  return {
    name,
    cp,
    admin: Client.fromKubeConfig(cp.kubeConfig()),
    id: await cp.clusterId(),
    readerKubeconfig: reader.exportConfig(),
    controllerKubeConfig,
  };
}

export async function startClusters(names: string[]): Promise<TestCluster[]> {
  const chart = chartWithoutDeployment();
  const cps = await Promise.all(names.map(() => startControlPlane({ nodes: 1 })));
  return Promise.all(names.map((n, i) => prepare(n, cps[i]!, chart)));
}

export async function startController(
  tc: TestCluster,
  options: Record<string, string> = {},
): Promise<Manager> {
  const manager = new Manager({
    kubeConfig: tc.controllerKubeConfig,
    name: `cluster-registry-${tc.name}`,
    handleSignals: false,
    gracefulShutdownTimeoutMs: 5000,
    logger: createLogger({ name: tc.name, level: process.env.LOG_LEVEL ?? 'silent' }),
  });
  await registerController(clusterRegistryEntry, manager, { probeIntervalMs: '1000', ...options });
  void manager.start().catch(() => {});
  tc.manager = manager;
  return manager;
}

export async function stopAll(clusters: TestCluster[]): Promise<void> {
  await Promise.all(clusters.map((c) => c.manager?.stop()));
  await Promise.all(clusters.map((c) => c.cp.stop()));
}

/** The seed's local Cluster CR of `tc`, as applied on any cluster. */
export function clusterCR(tc: TestCluster): KubeObject {
  return {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'Cluster',
    metadata: { name: tc.name },
    spec: {
      clusterID: tc.id,
      authInfo: { secretRef: { name: tc.name, namespace: NS } },
      kubernetesApiEndpoints: [{ serverAddress: tc.cp.server }],
    },
  } as KubeObject;
}

/** The Secret peers use to reach `tc` (seed 001: type k8s.cisco.com/cluster-registry-secret). */
export function clusterSecret(tc: TestCluster): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'k8s.cisco.com/cluster-registry-secret',
    metadata: { name: tc.name, namespace: NS },
    data: { kubeconfig: Buffer.from(tc.readerKubeconfig).toString('base64') },
  } as KubeObject;
}

/** Registers every cluster in `all` on `tc` (its own as local, the others as peers with Secrets). */
export async function attach(tc: TestCluster, all: TestCluster[]): Promise<void> {
  for (const other of all) {
    await tc.admin.apply(clusterCR(other));
    if (other !== tc) await tc.admin.apply(clusterSecret(other));
  }
}

export async function ensureNamespace(tc: TestCluster, name: string): Promise<void> {
  await tc.admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** The name seed 001's template gives a copy: <name>-<cluster>-<first 4 hex of sha256(cluster)>. */
export async function seedCopyName(name: string, cluster: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return `${name}-${cluster}-${createHash('sha256').update(cluster).digest('hex').slice(0, 4)}`;
}

/**
 * A ClusterRole the registry aggregates (seed 001): `controller` grants the
 * local writes of synced kinds, `reader` what peers may read. KafkaClusters
 * unless told otherwise.
 */
export function aggregatedRole(
  name: string,
  aggregate: 'controller' | 'reader',
  verbs: string[],
  {
    group = 'kafka.banzaicloud.io',
    resources = ['kafkaclusters'],
  }: { group?: string; resources?: string[] } = {},
): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { [`cluster-registry.k8s.cisco.com/${aggregate}-aggregated`]: 'true' } },
    rules: [{ apiGroups: [group], resources, verbs }],
  } as KubeObject;
}
