// The chart as deployed: the sdm image running `operator --controllers=clusterregistry` under the
// chart's controller ServiceAccount, with the chart's RBAC and leader election on. Here the operator
// runs as a child process of the real `sdm` binary with that ServiceAccount's credentials, two
// clusters pulling from each other.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { eventually } from '../../support/eventually.ts';
import {
  attach,
  Clusters,
  ensureNamespace,
  KafkaClusters,
  NS,
  renderChart,
  repoRoot,
  startClusters,
  stopAll,
  type TestCluster,
} from './support.ts';

const role = (name: string, label: string, verbs: string[]) =>
  ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { [`cluster-registry.k8s.cisco.com/${label}-aggregated`]: 'true' } },
    rules: [{ apiGroups: ['kafka.banzaicloud.io'], resources: ['kafkaclusters'], verbs }],
  }) as never;

describe('the cluster-registry chart', () => {
  let clusters: TestCluster[] = [];
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sdm-cr-chart-'));

  before(async () => {
    clusters = await startClusters(['cluster1', 'cluster2']);
    for (const tc of clusters) {
      await tc.admin.apply(
        role('sync-kafka', 'controller', ['get', 'list', 'watch', 'create', 'update', 'delete']),
      );
      await tc.admin.apply(role('read-kafka', 'reader', ['get', 'list', 'watch']));
      await ensureNamespace(tc, 'kafka');
      await attach(tc, clusters);
      await tc.admin.apply({
        apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
        kind: 'ResourceSyncRule',
        metadata: { name: 'kafkaclusters' },
        spec: {
          groupVersionKind: { group: 'kafka.banzaicloud.io', version: 'v1beta1', kind: 'KafkaCluster' },
          rules: [{}],
        },
      } as never);
      const kubeconfig = join(dir, `${tc.name}.kubeconfig`);
      writeFileSync(kubeconfig, tc.controllerKubeConfig.exportConfig(), { mode: 0o600 });
      const log = openSync(join(dir, `${tc.name}.log`), 'a');
      const args = deploymentArgs();
      children.push(
        spawn(
          join(repoRoot, 'bin', 'sdm'),
          [...args, '--kubeconfig', kubeconfig, '--health-port', '0', '--set', 'probe-interval-ms=1000'],
          { stdio: ['ignore', log, log], env: { ...process.env, LOG_LEVEL: 'info' } },
        ),
      );
    }
  });
  after(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    await stopAll(clusters);
  });

  /** The container args of the chart's Deployment, with the release namespace substituted. */
  function deploymentArgs(): string[] {
    const docs = parseAllDocuments(renderChart()).map((d) => d.toJS());
    const deploy = docs.find((d) => d?.kind === 'Deployment');
    return deploy.spec.template.spec.containers[0].args;
  }

  it('deploys the sdm image running the clusterregistry controller under its ServiceAccount', () => {
    const docs = parseAllDocuments(renderChart()).map((d) => d.toJS());
    const deploy = docs.find((d) => d?.kind === 'Deployment');
    const pod = deploy.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'cluster-registry-controller');
    assert.match(pod.containers[0].image, /^ghcr\.io\/sdm\/sdm:/);
    assert.deepEqual(pod.containers[0].args.slice(0, 2), ['operator', '--controllers=clusterregistry']);
    assert.ok(pod.containers[0].args.includes(`--leader-election-namespace=${NS}`));
    const roles = docs.filter((d) => d?.kind === 'ClusterRole').map((d) => d.metadata.name);
    assert.deepEqual(roles.sort(), [
      'cluster-registry-controller',
      'cluster-registry-controller-aggregated',
      'cluster-registry-reader',
      'cluster-registry-reader-aggregated',
    ]);
    // No wildcard anywhere, and no cluster-wide Secret access.
    for (const d of docs.filter((x) => x?.kind === 'ClusterRole' || x?.kind === 'Role')) {
      for (const r of d.rules ?? []) {
        assert.ok(!r.verbs.includes('*') && !r.resources.includes('*'), `${d.metadata.name} has a wildcard`);
        if (d.kind === 'ClusterRole')
          assert.ok(!r.resources.includes('secrets'), `${d.metadata.name} reads Secrets`);
      }
    }
  });

  it('syncs both ways when run as `sdm operator` with the chart ServiceAccount credentials', async () => {
    const [c1, c2] = [clusters[0]!, clusters[1]!];
    await c1.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'from-1', namespace: 'kafka' },
      spec: { a: 1 },
    } as never);
    await c2.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'from-2', namespace: 'kafka' },
      spec: { b: 2 },
    } as never);
    for (const tc of [c1, c2]) {
      await eventually(
        async () => {
          const names = (await tc.admin.list(KafkaClusters)).items.map((o) => o.metadata?.name).sort();
          assert.deepEqual(names, ['from-1', 'from-2']);
          const local = await tc.admin.get(Clusters, { name: tc.name });
          assert.equal(local.status?.type, 'Local');
          assert.equal(local.status?.leader, true);
        },
        { timeoutMs: 120_000 },
      );
    }
  });
});
