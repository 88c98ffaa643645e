// Three clusters that all pull from each other: an object from A reaches B and C, never comes back to
// A as a copy, and never overwrites an object of the same name created locally. A copy edited or
// deleted by hand is restored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.ts';
import { eventually } from '../../support/eventually.ts';
import {
  aggregatedRole,
  attach,
  ensureNamespace,
  KafkaClusters,
  Rules,
  startClusters,
  startController,
  stopAll,
  type TestCluster,
} from './support.ts';

const OWNER = 'cluster-registry.k8s.cisco.com/resource-owner-cluster-id';

// Without renaming, so copies on every cluster share the source's name: the hardest case for loops.
const rule = {
  apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
  kind: 'ResourceSyncRule',
  metadata: { name: 'kafkaclusters' },
  spec: {
    groupVersionKind: { group: 'kafka.banzaicloud.io', version: 'v1beta1', kind: 'KafkaCluster' },
    // Objects labelled local-only stay where they are: lets a test create same-named objects in order.
    rules: [
      {
        match: [{ labels: [{ matchExpressions: [{ key: 'local-only', operator: 'DoesNotExist' }] }] }],
        mutations: { syncStatus: true },
      },
    ],
  },
};

function kafka(name: string, spec: Record<string, unknown>, labels?: Record<string, string>) {
  return {
    apiVersion: 'kafka.banzaicloud.io/v1beta1',
    kind: 'KafkaCluster',
    metadata: { name, namespace: 'kafka', labels },
    spec,
  } as KubeObject;
}

describe('three clusters syncing from each other', () => {
  let a: TestCluster;
  let b: TestCluster;
  let c: TestCluster;

  before(async () => {
    const cs = await startClusters(['cluster-a', 'cluster-b', 'cluster-c']);
    [a, b, c] = [cs[0]!, cs[1]!, cs[2]!];
    for (const tc of cs) {
      await tc.admin.apply(
        aggregatedRole('sync-kafka', 'controller', ['*'], {
          resources: ['kafkaclusters', 'kafkaclusters/status'],
        }),
      );
      await tc.admin.apply(
        aggregatedRole('sync-kafka-reader', 'reader', ['get', 'list', 'watch'], {
          resources: ['kafkaclusters', 'kafkaclusters/status'],
        }),
      );
      await ensureNamespace(tc, 'kafka');
      await startController(tc);
      await attach(tc, cs);
      await tc.admin.apply(rule as KubeObject);
    }
  });
  after(async () => {
    await stopAll([a, b, c].filter(Boolean));
  });

  it('copies an object from A to B and C, and never back to A', async () => {
    await a.admin.create(kafka('from-a', { size: 3 }));
    for (const tc of [b, c]) {
      await eventually(async () => {
        const o = await tc.admin.get(KafkaClusters, { namespace: 'kafka', name: 'from-a' });
        assert.deepEqual(o.spec, { size: 3 });
        assert.equal(o.metadata?.annotations?.[OWNER], a.id);
      });
    }
    // Every controller has seen every peer's copy (rule status Synced everywhere) ...
    for (const tc of [a, b, c]) {
      await eventually(async () => {
        const r = await tc.admin.get(Rules, { name: 'kafkaclusters' });
        assert.equal(r.status?.peers?.length, 2, JSON.stringify(r.status));
        for (const p of r.status?.peers ?? []) assert.equal(p.state, 'Synced', JSON.stringify(p));
      });
    }
    // ... and A still has its original, untouched by copies of itself.
    const original = await a.admin.get(KafkaClusters, { namespace: 'kafka', name: 'from-a' });
    assert.equal(original.metadata?.annotations?.[OWNER], undefined);
    assert.equal(original.metadata?.generation, 1);
    const all = await a.admin.list(KafkaClusters);
    assert.deepEqual(
      all.items.map((o) => o.metadata?.name),
      ['from-a'],
    );
  });

  it('never overwrites an object created locally with the same name', async () => {
    const ruleEntry = async (tc: TestCluster, peer: string) =>
      (await tc.admin.get(Rules, { name: 'kafkaclusters' })).status?.peers?.find((p) => p.cluster === peer);
    await b.admin.create(kafka('shared', { owner: 'b' }, { 'local-only': 'true' }));
    await a.admin.create(kafka('shared', { owner: 'a' }));
    // A's object reaches C; B refuses it and says why on its rule.
    await eventually(async () => {
      assert.match((await ruleEntry(b, 'cluster-a'))?.lastError ?? '', /kafka\/shared.*created locally/);
    });
    await eventually(async () => {
      const onC = await c.admin.get(KafkaClusters, { namespace: 'kafka', name: 'shared' });
      assert.equal(onC.metadata?.annotations?.[OWNER], a.id);
    });
    // Now B's object is eligible too: A refuses it as created locally, C as a copy owned by A.
    await b.admin.patch(
      KafkaClusters,
      { namespace: 'kafka', name: 'shared' },
      { metadata: { labels: { 'local-only': null } } },
    );
    await eventually(async () => {
      assert.match((await ruleEntry(a, 'cluster-b'))?.lastError ?? '', /kafka\/shared.*created locally/);
    });
    await eventually(async () => {
      assert.match(
        (await ruleEntry(c, 'cluster-b'))?.lastError ?? '',
        /kafka\/shared.*copy owned by cluster/,
      );
    });
    const onB = await b.admin.get(KafkaClusters, { namespace: 'kafka', name: 'shared' });
    assert.deepEqual(onB.spec, { owner: 'b' });
    assert.equal(onB.metadata?.annotations?.[OWNER], undefined);
    const onA = await a.admin.get(KafkaClusters, { namespace: 'kafka', name: 'shared' });
    assert.deepEqual(onA.spec, { owner: 'a' });
    assert.equal(onA.metadata?.annotations?.[OWNER], undefined);
    const onC = await c.admin.get(KafkaClusters, { namespace: 'kafka', name: 'shared' });
    assert.deepEqual(onC.spec, { owner: 'a' });
  });

  it('restores a copy edited by hand', async () => {
    const edited = await c.admin.patch(
      KafkaClusters,
      { namespace: 'kafka', name: 'from-a' },
      { spec: { size: 99 } },
    );
    assert.deepEqual(edited.spec, { size: 99 });
    await eventually(async () => {
      const o = await c.admin.get(KafkaClusters, { namespace: 'kafka', name: 'from-a' });
      assert.ok((o.metadata?.generation ?? 0) > (edited.metadata?.generation ?? 0));
      assert.deepEqual(o.spec, { size: 3 });
    });
  });

  it('restores a copy deleted by hand', async () => {
    const before = await b.admin.get(KafkaClusters, { namespace: 'kafka', name: 'from-a' });
    await b.admin.delete(KafkaClusters, { namespace: 'kafka', name: 'from-a' });
    await eventually(async () => {
      const o = await b.admin.get(KafkaClusters, { namespace: 'kafka', name: 'from-a' });
      assert.notEqual(o.metadata?.uid, before.metadata?.uid);
      assert.equal(o.metadata?.annotations?.[OWNER], a.id);
      assert.deepEqual(o.spec, { size: 3 });
    });
  });

  it('deletes the copies everywhere when the source is deleted', async () => {
    await a.admin.delete(KafkaClusters, { namespace: 'kafka', name: 'from-a' });
    for (const tc of [b, c]) {
      await eventually(async () => {
        assert.equal(
          await tc.admin.getIfExists(KafkaClusters, { namespace: 'kafka', name: 'from-a' }),
          undefined,
        );
      });
    }
  });
});
