// A peer's API server goes away: its Cluster goes not Ready with a message, the rule says the peer
// is unreachable, syncing from the other peer continues, and everything catches up once it is back.
// The outage lasts 20 s rather than 60 s: with the tests' 1 s probe interval that is 20 failed
// probes, and longer than the informers' 10 s reconnect-backoff ceiling, which is what a longer
// outage would add; the suite runs on 2 shared cores, so every minute counts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../../src/kube/types.ts';
import { eventually } from '../../support/eventually.ts';
import {
  aggregatedRole,
  attach,
  Clusters,
  ensureNamespace,
  KafkaClusters,
  Rules,
  startClusters,
  startController,
  stopAll,
  type TestCluster,
} from './support.ts';

const rule = {
  apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
  kind: 'ResourceSyncRule',
  metadata: { name: 'kafkaclusters' },
  spec: {
    groupVersionKind: { group: 'kafka.banzaicloud.io', version: 'v1beta1', kind: 'KafkaCluster' },
    rules: [{}],
  },
};

const kafka = (name: string) =>
  ({
    apiVersion: 'kafka.banzaicloud.io/v1beta1',
    kind: 'KafkaCluster',
    metadata: { name, namespace: 'kafka' },
    spec: { from: name },
  }) as KubeObject;

describe('a peer API server outage', () => {
  let a: TestCluster;
  let b: TestCluster;
  let c: TestCluster;

  before(async () => {
    const cs = await startClusters(['cluster-a', 'cluster-b', 'cluster-c']);
    [a, b, c] = [cs[0]!, cs[1]!, cs[2]!];
    for (const tc of cs) {
      await tc.admin.apply(aggregatedRole('sync-kafka', 'controller', ['*']));
      await tc.admin.apply(aggregatedRole('read-kafka', 'reader', ['get', 'list', 'watch']));
      await ensureNamespace(tc, 'kafka');
    }
    // Only A runs a controller: it pulls from B and C.
    await startController(a);
    await attach(a, cs);
    await a.admin.apply(rule as KubeObject);
    await b.admin.create(kafka('b1'));
    await b.admin.create(kafka('b2'));
    await c.admin.create(kafka('c1'));
    await eventually(async () => {
      const names = (await a.admin.list(KafkaClusters)).items.map((o) => o.metadata?.name).sort();
      assert.deepEqual(names, ['b1', 'b2', 'c1']);
    });
  });
  after(async () => {
    await stopAll([a, b, c].filter(Boolean));
  });

  it('marks the peer not Ready, keeps syncing the other, and catches up when it returns', async () => {
    await b.cp.stopComponent('kube-apiserver');
    const outageStart = Date.now();
    await eventually(async () => {
      const cb = await a.admin.get(Clusters, { name: 'cluster-b' });
      assert.equal(cb.status?.state, 'Failed');
      const ready = cb.status?.conditions?.find((x) => x.type === 'Ready');
      assert.equal(ready?.status, 'False');
      assert.match(ready?.message ?? '', /cannot reach the API server at https:\/\/127\.0\.0\.1:\d+/);
    });
    await eventually(async () => {
      const r = await a.admin.get(Rules, { name: 'kafkaclusters' });
      const entry = r.status?.peers?.find((p) => p.cluster === 'cluster-b');
      assert.equal(entry?.state, 'Unreachable');
      assert.match(entry?.lastError ?? '', /cannot reach/);
      assert.equal(r.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'False');
    });
    // C keeps syncing meanwhile.
    await c.admin.create(kafka('c2'));
    await eventually(async () => {
      await a.admin.get(KafkaClusters, { namespace: 'kafka', name: 'c2' });
    });
    // A copy of B's lost here cannot be restored while B is away; the copies of B's objects stay.
    await a.admin.delete(KafkaClusters, { namespace: 'kafka', name: 'b2' });
    await eventually(async () => {
      const local = await a.admin.get(Clusters, { name: 'cluster-a' });
      const synced = local.status?.conditions?.find((x) => x.type === 'ClustersSynced');
      assert.equal(synced?.status, 'False');
      assert.match(synced?.message ?? '', /cluster-b/);
    });
    await sleep(Math.max(0, 20_000 - (Date.now() - outageStart)));
    assert.ok(await a.admin.getIfExists(KafkaClusters, { namespace: 'kafka', name: 'b1' }));

    await b.cp.startComponent('kube-apiserver');
    await eventually(
      async () => {
        const back = await a.admin.get(Clusters, { name: 'cluster-b' });
        assert.equal(back.status?.state, 'Ready');
      },
      { timeoutMs: 120_000 },
    );
    await b.admin.create(kafka('b3'));
    await eventually(async () => {
      const names = (await a.admin.list(KafkaClusters)).items.map((o) => o.metadata?.name).sort();
      assert.deepEqual(names, ['b1', 'b2', 'b3', 'c1', 'c2']);
    });
    await eventually(async () => {
      const r = await a.admin.get(Rules, { name: 'kafkaclusters' });
      assert.deepEqual(
        r.status?.peers?.map((p) => [p.cluster, p.state, p.objectsSynced]),
        [
          ['cluster-b', 'Synced', 3],
          ['cluster-c', 'Synced', 2],
        ],
      );
    });
  });

  it('disconnects a peer annotated cluster-disabled, and reconnects when the annotation goes', async () => {
    const DISABLED = 'cluster-registry.k8s.cisco.com/cluster-disabled';
    await a.admin.patch(
      Clusters,
      { name: 'cluster-c' },
      { metadata: { annotations: { [DISABLED]: 'true' } } },
    );
    await eventually(async () => {
      const cc = await a.admin.get(Clusters, { name: 'cluster-c' });
      assert.equal(cc.status?.state, 'Disabled');
      const r = await a.admin.get(Rules, { name: 'kafkaclusters' });
      assert.equal(r.status?.peers?.find((p) => p.cluster === 'cluster-c')?.state, 'Disabled');
    });
    // While disabled nothing of C is followed: its deletion leaves the copy in place.
    await c.admin.delete(KafkaClusters, { namespace: 'kafka', name: 'c1' });
    await c.admin.create(kafka('c3'));
    await sleep(3000);
    assert.ok(await a.admin.getIfExists(KafkaClusters, { namespace: 'kafka', name: 'c1' }));
    assert.equal(await a.admin.getIfExists(KafkaClusters, { namespace: 'kafka', name: 'c3' }), undefined);
    await a.admin.patch(Clusters, { name: 'cluster-c' }, { metadata: { annotations: { [DISABLED]: null } } });
    await eventually(async () => {
      const names = (await a.admin.list(KafkaClusters)).items.map((o) => o.metadata?.name).sort();
      assert.deepEqual(names, ['b1', 'b2', 'b3', 'c2', 'c3']);
      const cc = await a.admin.get(Clusters, { name: 'cluster-c' });
      assert.equal(cc.status?.state, 'Ready');
    });
  });
});
