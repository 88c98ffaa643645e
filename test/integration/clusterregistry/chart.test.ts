// The chart as deployed: the sdm image running `operator --controllers=clusterregistry` under the
// chart's controller ServiceAccount, with the chart's RBAC and leader election on. Here the operator
// runs as a child process of the real `sdm` binary with that ServiceAccount's credentials, two
// clusters registering themselves (localCluster), attached by copying what they provisioned, then
// pulling from each other.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Secrets } from '../../../src/kube/index.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { eventually } from '../../support/eventually.ts';
import {
  aggregatedRole,
  Clusters,
  chartWithoutDeployment,
  ensureNamespace,
  KafkaClusters,
  kubectl,
  NS,
  renderChart,
  repoRoot,
  startClusters,
  stopAll,
  type TestCluster,
} from './support.ts';

describe('the cluster-registry chart', () => {
  let clusters: TestCluster[] = [];
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sdm-cr-chart-'));

  before(async () => {
    clusters = await startClusters(['cluster1', 'cluster2']);
    for (const tc of clusters) {
      await tc.admin.apply(
        aggregatedRole('sync-kafka', 'controller', ['get', 'list', 'watch', 'create', 'update', 'delete']),
      );
      await tc.admin.apply(aggregatedRole('read-kafka', 'reader', ['get', 'list', 'watch']));
      await ensureNamespace(tc, 'kafka');
      // The chart as installed with local provisioning on: it registers the cluster itself.
      const values = [`localCluster.name=${tc.name}`, `localCluster.apiServerAddress=${tc.cp.server}`];
      kubectl(tc.cp, ['apply', '-f', '-'], chartWithoutDeployment(values));
      const kubeconfig = join(dir, `${tc.name}.kubeconfig`);
      writeFileSync(kubeconfig, tc.controllerKubeConfig.exportConfig(), { mode: 0o600 });
      const log = openSync(join(dir, `${tc.name}.log`), 'a');
      children.push(
        spawn(
          join(repoRoot, 'bin', 'sdm'),
          [
            ...deploymentArgs(values),
            '--kubeconfig',
            kubeconfig,
            '--health-port',
            '0',
            '--set',
            'probe-interval-ms=1000',
          ],
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

  /** The container args of the chart's Deployment. */
  function deploymentArgs(values: string[] = []): string[] {
    const docs = parseAllDocuments(renderChart(values)).map((d) => d.toJS());
    const deploy = docs.find((d) => d?.kind === 'Deployment');
    return deploy.spec.template.spec.containers[0].args;
  }

  it('provisions the local Cluster and reader Secret; copying them to the peer attaches it', async () => {
    const [c1, c2] = [clusters[0]!, clusters[1]!];
    for (const [self, peer] of [
      [c1, c2],
      [c2, c1],
    ] as const) {
      const { cluster, secret } = await eventually(async () => {
        const cluster = await self.admin.get(Clusters, { name: self.name });
        assert.equal(cluster.spec.clusterID, self.id);
        assert.equal(cluster.status?.type, 'Local');
        const secret = await self.admin.get(Secrets, { namespace: NS, name: self.name });
        assert.equal(secret.type, 'k8s.cisco.com/cluster-registry-secret');
        return { cluster, secret };
      });
      // Seed 001's attach: the Cluster's spec and the Secret's data, applied on the peer.
      await peer.admin.apply({
        apiVersion: cluster.apiVersion,
        kind: cluster.kind,
        metadata: { name: self.name },
        spec: cluster.spec,
      } as KubeObject);
      await peer.admin.apply({
        apiVersion: 'v1',
        kind: 'Secret',
        type: secret.type,
        metadata: { name: self.name, namespace: NS },
        data: secret.data,
      } as KubeObject);
    }
    for (const [self, peer] of [
      [c1, c2],
      [c2, c1],
    ] as const) {
      await eventually(async () => {
        const p = await self.admin.get(Clusters, { name: peer.name });
        assert.equal(p.status?.state, 'Ready', JSON.stringify(p.status));
        assert.equal(p.status?.conditions?.find((x) => x.type === 'ClustersSynced')?.status, 'True');
      });
    }
    for (const tc of clusters) {
      await tc.admin.apply({
        apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
        kind: 'ResourceSyncRule',
        metadata: { name: 'kafkaclusters' },
        spec: {
          groupVersionKind: { group: 'kafka.banzaicloud.io', version: 'v1beta1', kind: 'KafkaCluster' },
          rules: [{}],
        },
      } as KubeObject);
    }
  });

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
      'cluster-registry-controller-core-sync',
      'cluster-registry-reader',
      'cluster-registry-reader-aggregated',
      'cluster-registry-reader-core-sync',
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
    } as KubeObject);
    await c2.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'from-2', namespace: 'kafka' },
      spec: { b: 2 },
    } as KubeObject);
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
