import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORIGINAL_NAME_KEY, OWNER_KEY } from '../../../src/apis/clusterregistry.k8s.cisco.com/keys.ts';
import type { Cluster } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { copyIndexKey, ownerOf, sourceIndexKey } from '../../../src/controllers/clusterregistry/markers.ts';
import { emptyMutations } from '../../../src/controllers/clusterregistry/match.ts';
import { mutate } from '../../../src/controllers/clusterregistry/mutate.ts';
import { canWriteLocal, shouldSyncFrom } from '../../../src/controllers/clusterregistry/ownership.ts';
import type { Unstructured } from '../../../src/controllers/clusterregistry/types.ts';
import type { Request } from '../../../src/kube/types.ts';
import { fakeRender } from './fake-render.ts';
import { cluster1, cluster2, cluster3, kafkaCluster } from './fixtures.ts';

const A = cluster1.spec.clusterID;
const B = cluster2.spec.clusterID;
const C = cluster3.spec.clusterID;

/** What `local` writes when it copies `obj` from `peer`, with a renaming override like seed 001's. */
function copyOnto(obj: Unstructured, peer: Cluster, local: Cluster, rename = true): Unstructured {
  const m = emptyMutations();
  m.ruleIndexes = [0];
  if (rename) {
    m.overrides = [
      {
        type: 'replace',
        path: '/metadata/name',
        value: '{{ printf "%s-%s" .Object.GetName .Cluster.GetName }}',
        ruleIndex: 0,
        overrideIndex: 0,
      },
    ];
  }
  const res = mutate({ ruleName: 'r', object: obj, mutations: m, peer, local, render: fakeRender });
  assert.ok(res.ok);
  return res.object;
}

function owned(
  owner: string | undefined,
  name = 'kafka',
  extraLabels: Record<string, string> = {},
): Unstructured {
  const o = kafkaCluster(name);
  o.metadata!.labels = { ...extraLabels, ...(owner ? { [OWNER_KEY]: owner } : {}) };
  o.metadata!.annotations = owner ? { [OWNER_KEY]: owner } : {};
  return o;
}

describe('shouldSyncFrom', () => {
  it("A's object never returns to A", () => {
    const onA = kafkaCluster();
    const onB = copyOnto(onA, cluster1, cluster2);
    // A now looks at B and sees its own object's copy.
    const d = shouldSyncFrom(onB, B, A, new Set([B, C]));
    assert.equal(d.sync, false);
    assert.equal(d.sync === false && d.reason, 'owned-by-local');
  });

  it('syncs objects native to the peer', () => {
    assert.deepEqual(shouldSyncFrom(kafkaCluster(), B, A, new Set([B])), { sync: true });
    assert.deepEqual(shouldSyncFrom(owned(B), B, A, new Set([B])), { sync: true });
  });

  it('takes copies from their owner directly while the owner is alive', () => {
    const copyOfC = owned(C);
    const d = shouldSyncFrom(copyOfC, B, A, new Set([B, C]));
    assert.equal(d.sync === false && d.reason, 'owner-is-peer');
  });

  it('relays a copy whose owner is down or not a peer, keeping the owner marker', () => {
    const onC = kafkaCluster();
    const onB = copyOnto(onC, cluster3, cluster2, false);
    assert.deepEqual(shouldSyncFrom(onB, B, A, new Set([B])), { sync: true });
    const onA = copyOnto(onB, cluster2, cluster1, false);
    assert.equal(onA.metadata!.labels?.[OWNER_KEY], C);
    // ...and the relayed copy still never goes back to C.
    assert.equal(shouldSyncFrom(onA, A, C, new Set([A])).sync, false);
  });

  it('reads the owner from the label when the annotation is missing', () => {
    const o = kafkaCluster();
    o.metadata!.labels = { [OWNER_KEY]: A };
    assert.equal(shouldSyncFrom(o, B, A, new Set([B])).sync, false);
  });
});

describe('canWriteLocal', () => {
  it('creates when nothing exists', () => {
    assert.deepEqual(canWriteLocal(undefined, owned(B)), { write: true, action: 'create' });
  });

  it('never overwrites an object created locally', () => {
    const d = canWriteLocal(owned(undefined), owned(B));
    assert.equal(d.write, false);
    assert.equal(d.write === false && d.reason, 'created-locally');
    assert.match(d.write === false ? d.message : '', /created locally/);
  });

  it('refuses a copy owned by another cluster', () => {
    const d = canWriteLocal(owned(C), owned(B));
    assert.equal(d.write === false && d.reason, 'owner-conflict');
  });

  it('refuses a copy of another source object renamed onto the same name', () => {
    const existing = owned(B, 'x', { [ORIGINAL_NAME_KEY]: 'one' });
    const incoming = owned(B, 'x', { [ORIGINAL_NAME_KEY]: 'two' });
    assert.equal(canWriteLocal(existing, incoming).write, false);
  });

  it('updates its own copy', () => {
    const copy = copyOnto(kafkaCluster(), cluster2, cluster1);
    assert.deepEqual(canWriteLocal(copy, copy), { write: true, action: 'update' });
  });

  it('waits while the local copy is being deleted', () => {
    const existing = owned(B);
    existing.metadata!.deletionTimestamp = '2025-01-01T00:00:00Z';
    assert.equal(canWriteLocal(existing, owned(B)).write, false);
  });
});

// The copies the engine deletes when a source is gone are those filed under the source's index key
// (copyIndexKey) where the source is looked up (sourceIndexKey): the ones no existing source claims.
function orphans(copies: Unstructured[], sources: Request[], peerId: string): Unstructured[] {
  const present = new Set(sources.map((s) => sourceIndexKey(peerId, s)));
  return copies.filter(
    (c) => ownerOf(c) === peerId && !c.metadata?.deletionTimestamp && !present.has(copyIndexKey(c)),
  );
}

describe('copy and source index keys (deleting copies whose source is gone)', () => {
  const long = `k-${'y'.repeat(80)}`;
  const renamed = copyOnto(kafkaCluster('kafka'), cluster2, cluster1);
  const renamedLong = copyOnto(kafkaCluster(long), cluster2, cluster1);
  const plain = copyOnto(kafkaCluster('plain'), cluster2, cluster1, false);
  const fromC = copyOnto(kafkaCluster('kafka'), cluster3, cluster1);
  const local = kafkaCluster('mine');
  const all = [renamed, renamedLong, plain, fromC, local];

  it('deletes nothing while every source exists', () => {
    const sources = [
      { name: 'kafka', namespace: 'kafka' },
      { name: long, namespace: 'kafka' },
      { name: 'plain', namespace: 'kafka' },
    ];
    assert.deepEqual(orphans(all, sources, B), []);
  });

  it('maps renamed copies back to their source through the original-name record', () => {
    assert.deepEqual(
      orphans(all, [{ name: 'plain', namespace: 'kafka' }], B).map((o) => o.metadata!.name),
      ['kafka-cluster2', `${long}-cluster2`],
    );
  });

  it('finds a long-named source through the hashed label when its annotation was lost', () => {
    const stripped = structuredClone(renamedLong);
    delete stripped.metadata!.annotations?.[ORIGINAL_NAME_KEY];
    assert.deepEqual(orphans([stripped], [{ name: long, namespace: 'kafka' }], B), []);
    assert.equal(orphans([stripped], [], B).length, 1);
  });

  it('only touches copies owned by that peer, never local objects', () => {
    const deletes = orphans(all, [], B);
    assert.ok(!deletes.includes(fromC));
    assert.ok(!deletes.includes(local));
    assert.deepEqual(orphans(all, [], C), [fromC]);
  });

  it('a namespace matters', () => {
    assert.equal(orphans([plain], [{ name: 'plain', namespace: 'other' }], B).length, 1);
  });
});
