// Seed 001 end to end: two clusters attached as the seed describes, with its manifests as written
// (cluster IDs and addresses set to the test clusters'). A KafkaCluster on cluster2 appears on
// cluster1 under the seed's template name with its status, follows updates and deletion, and
// detaching stops the sync.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../../src/kube/types.ts';
import { eventually } from '../../support/eventually.ts';
import {
  attach,
  Clusters,
  ensureNamespace,
  KafkaClusters,
  kubectl,
  Rules,
  seedCopyName,
  startClusters,
  startController,
  stopAll,
  type TestCluster,
} from './support.ts';

// Seed 001's RBAC, ClusterFeature and ResourceSyncRule, verbatim from test/fixtures/seeds/.
const seeds = join(import.meta.dirname, '..', '..', 'fixtures', 'seeds');
const seedDocs = (prefixes: string[]) =>
  readdirSync(seeds)
    .filter((f) => prefixes.some((p) => f.startsWith(p)))
    .sort()
    .map((f) => readFileSync(join(seeds, f), 'utf8'))
    .join('\n---\n');
const seedManifests = [
  // The seed's ServiceAccounts live in supertubes-system, which the seed's install creates.
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: supertubes-system\n',
  seedDocs(['001-05-', '001-06-', '001-07-', '001-08-', '001-09-', '001-10-']),
].join('---\n');
const seedRegistryCRs = seedDocs(['001-11-', '001-12-']);

const RULE = 'sdm-core-resources-kafka-clusters-sink';

describe('seed 001: KafkaCluster synced from cluster2 to cluster1', () => {
  let c1: TestCluster;
  let c2: TestCluster;
  let copyName: string;

  before(async () => {
    const cs = await startClusters(['cluster1', 'cluster2']);
    c1 = cs[0]!;
    c2 = cs[1]!;
    copyName = await seedCopyName('kafka', 'cluster2');
    for (const c of [c1, c2]) {
      await startController(c);
      await attach(c, [c1, c2]);
      kubectl(c.cp, ['apply', '-f', '-'], seedManifests);
      kubectl(c.cp, ['apply', '-f', '-'], seedRegistryCRs);
      await ensureNamespace(c, 'kafka');
    }
  });
  after(async () => {
    await stopAll([c1, c2].filter(Boolean));
  });

  it('reports the local and the peer Cluster Ready', async () => {
    await eventually(async () => {
      const local = await c1.admin.get(Clusters, { name: 'cluster1' });
      assert.equal(local.status?.type, 'Local');
      assert.equal(local.status?.state, 'Ready');
      const peer = await c1.admin.get(Clusters, { name: 'cluster2' });
      assert.equal(peer.status?.type, 'Peer');
      assert.equal(peer.status?.state, 'Ready');
      const ready = peer.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.status, 'True');
      assert.match(peer.status?.version ?? '', /^v1\./);
    });
  });

  it('copies a KafkaCluster created on cluster2 to cluster1 under the template name, with status', async () => {
    await c2.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'kafka', namespace: 'kafka', labels: { app: 'kafka' } },
      spec: { brokers: [{ id: 0 }, { id: 1 }], headlessServiceEnabled: true },
    } as KubeObject);
    await c2.admin.patch(
      KafkaClusters,
      { namespace: 'kafka', name: 'kafka' },
      { status: { state: 'ClusterRunning' } },
      'merge',
      { subresource: 'status' },
    );
    const copy = await eventually(async () => {
      const o = await c1.admin.get(KafkaClusters, { namespace: 'kafka', name: copyName });
      assert.deepEqual(o.spec, { brokers: [{ id: 0 }, { id: 1 }], headlessServiceEnabled: true });
      assert.deepEqual(o.status, { state: 'ClusterRunning' });
      return o;
    });
    assert.equal(copy.metadata?.labels?.app, 'kafka');
    assert.equal(
      copy.metadata?.annotations?.['cluster-registry.k8s.cisco.com/resource-owner-cluster-id'],
      c2.id,
    );
    // The copy never travels back to cluster2: only the original is there.
    await eventually(async () => {
      const rule = await c2.admin.get(Rules, { name: RULE });
      const entry = rule.status?.peers?.find((p) => p.cluster === 'cluster1');
      assert.equal(entry?.state, 'Synced');
    });
    const onC2 = await c2.admin.list(KafkaClusters, { namespace: 'kafka' });
    assert.deepEqual(
      onC2.items.map((o) => o.metadata?.name),
      ['kafka'],
    );
    await eventually(async () => {
      const rule = await c1.admin.get(Rules, { name: RULE });
      const entry = rule.status?.peers?.find((p) => p.cluster === 'cluster2');
      assert.equal(entry?.state, 'Synced');
      assert.equal(entry?.objectsSynced, 1);
    });
  });

  it('counts what it did in its metrics', async () => {
    const text = await c1.manager!.metrics.registry.metrics();
    const synced = text.match(
      /^clusterregistry_objects_synced_total\{rule="sdm-core-resources-kafka-clusters-sink",peer="cluster2"\} (\d+)/m,
    );
    assert.ok(synced && Number(synced[1]) >= 1, text);
    assert.match(text, /^clusterregistry_peers_up 1$/m);
    assert.match(
      text,
      /^clusterregistry_sync_latency_seconds_count\{rule="sdm-core-resources-kafka-clusters-sink",peer="cluster2"\} [1-9]/m,
    );
  });

  it('follows spec and status updates at the source', async () => {
    await c2.admin.patch(
      KafkaClusters,
      { namespace: 'kafka', name: 'kafka' },
      { spec: { brokers: [{ id: 0 }] } },
    );
    await c2.admin.patch(
      KafkaClusters,
      { namespace: 'kafka', name: 'kafka' },
      { status: { state: 'ClusterRollingUpgrading' } },
      'merge',
      { subresource: 'status' },
    );
    await eventually(async () => {
      const o = await c1.admin.get(KafkaClusters, { namespace: 'kafka', name: copyName });
      assert.deepEqual(o.spec?.brokers, [{ id: 0 }]);
      assert.deepEqual(o.status, { state: 'ClusterRollingUpgrading' });
    });
  });

  it('reports a missing target namespace on the rule, and syncs once it exists', async () => {
    await ensureNamespace(c2, 'only-on-2');
    await c2.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'kafka', namespace: 'only-on-2' },
      spec: { brokers: [] },
    } as KubeObject);
    await eventually(async () => {
      const rule = await c1.admin.get(Rules, { name: RULE });
      const entry = rule.status?.peers?.find((p) => p.cluster === 'cluster2');
      assert.equal(entry?.state, 'Failed');
      assert.match(entry?.lastError ?? '', /namespace only-on-2 does not exist/);
    });
    await ensureNamespace(c1, 'only-on-2');
    await eventually(async () => {
      await c1.admin.get(KafkaClusters, { namespace: 'only-on-2', name: copyName });
    });
  });

  it('deletes a renamed copy whose source went away while the controller was down', async () => {
    await c1.manager!.stop();
    await c2.admin.delete(KafkaClusters, { namespace: 'only-on-2', name: 'kafka' });
    // The rename is remembered on the copy itself (original-name label), not in memory.
    await startController(c1);
    await eventually(async () => {
      const o = await c1.admin.getIfExists(KafkaClusters, { namespace: 'only-on-2', name: copyName });
      assert.equal(o, undefined);
    });
    assert.ok(await c1.admin.get(KafkaClusters, { namespace: 'kafka', name: copyName }));
  });

  it('deletes the copy when the source is deleted', async () => {
    await c2.admin.delete(KafkaClusters, { namespace: 'kafka', name: 'kafka' });
    await eventually(async () => {
      const o = await c1.admin.getIfExists(KafkaClusters, { namespace: 'kafka', name: copyName });
      assert.equal(o, undefined);
    });
  });

  it('stops syncing once detached as the seed describes', async () => {
    // Detach: Cluster Registry CRs first, then the synced resources (seed 001's caution).
    for (const c of [c1, c2]) {
      kubectl(c.cp, ['delete', '-f', '-'], seedRegistryCRs);
    }
    await c1.admin.delete(KafkaClusters, { namespace: 'only-on-2', name: copyName });
    await c2.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'after-detach', namespace: 'kafka' },
      spec: {},
    } as KubeObject);
    // Several probe and sync periods; nothing may arrive nor come back.
    await sleep(5000);
    const left = await c1.admin.list(KafkaClusters);
    assert.deepEqual(
      left.items.map((o) => o.metadata?.name),
      [],
    );
  });
});
