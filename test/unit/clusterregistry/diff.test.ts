import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SYNC_HASH_ANNOTATION } from '../../../src/apis/clusterregistry.k8s.cisco.com/keys.ts';
import {
  isUpToDate,
  statusUpToDate,
  syncHash,
  withSyncHash,
} from '../../../src/controllers/clusterregistry/diff.ts';
import { emptyMutations } from '../../../src/controllers/clusterregistry/match.ts';
import { mutate } from '../../../src/controllers/clusterregistry/mutate.ts';
import type { Unstructured } from '../../../src/controllers/clusterregistry/types.ts';
import { fakeRender } from './fake-render.ts';
import { cluster1, cluster2, kafkaCluster } from './fixtures.ts';

function desiredFrom(source: Unstructured, syncStatus = false): Unstructured {
  const m = { ...emptyMutations(), ruleIndexes: [0], syncStatus };
  const res = mutate({
    ruleName: 'r',
    object: source,
    mutations: m,
    peer: cluster2,
    local: cluster1,
    render: fakeRender,
  });
  assert.ok(res.ok);
  return withSyncHash(res.object);
}

/** What the local API server hands back after we wrote `desired`: server fields, defaults, other labels. */
function asStored(desired: Unstructured): Unstructured {
  const o = structuredClone(desired);
  Object.assign(o.metadata ?? {}, {
    uid: 'local-uid',
    resourceVersion: '12',
    generation: 1,
    creationTimestamp: '2025-02-02T00:00:00Z',
    managedFields: [{ manager: 'sdm' }],
  });
  o.metadata!.labels = { ...o.metadata!.labels, 'added-by-someone': 'x' };
  (o.spec as Record<string, unknown>).defaulted = { by: 'the API server' };
  o.status = { whatever: true };
  return o;
}

describe('isUpToDate', () => {
  const desired = desiredFrom(kafkaCluster());

  it('a copy equal in the fields we set needs no write, whatever the server added', () => {
    assert.equal(isUpToDate(asStored(desired), desired), true);
  });

  it('an unchanged source gives the same desired object, hence no write', () => {
    assert.equal(isUpToDate(asStored(desired), desiredFrom(kafkaCluster())), true);
  });

  it('a changed spec field at the source needs a write', () => {
    const src = kafkaCluster();
    (src.spec as { zkAddresses: string[] }).zkAddresses = ['zk2:2181'];
    assert.equal(isUpToDate(asStored(desired), desiredFrom(src)), false);
  });

  it('a field removed at the source needs a write (the fingerprint changes)', () => {
    const src = kafkaCluster();
    delete (src.spec as { zkAddresses?: string[] }).zkAddresses;
    assert.equal(isUpToDate(asStored(desired), desiredFrom(src)), false);
  });

  it('a label removed at the source needs a write', () => {
    const src = kafkaCluster();
    src.metadata!.labels = {};
    assert.equal(isUpToDate(asStored(desired), desiredFrom(src)), false);
  });

  it('local drift in a field we set needs a write', () => {
    const drifted = asStored(desired);
    (drifted.spec as { brokers: unknown[] }).brokers.pop();
    assert.equal(isUpToDate(drifted, desired), false);
    const relabelled = asStored(desired);
    relabelled.metadata!.labels = { ...relabelled.metadata!.labels, app: 'changed' };
    assert.equal(isUpToDate(relabelled, desired), false);
  });

  it('without a fingerprint on the copy the superset check decides', () => {
    const stored = asStored(desired);
    delete stored.metadata!.annotations?.[SYNC_HASH_ANNOTATION];
    assert.equal(isUpToDate(stored, desired), true);
  });

  it('a different kind or name needs a write', () => {
    assert.equal(isUpToDate({ ...asStored(desired), kind: 'Other' }, desired), false);
    const renamed = asStored(desired);
    renamed.metadata!.name = 'x';
    assert.equal(isUpToDate(renamed, desired), false);
  });

  it('the fingerprint ignores status and its own annotation', () => {
    const withStatus = { ...desired, status: { a: 1 } };
    assert.equal(syncHash(withStatus), syncHash(desired));
    assert.equal(syncHash(withSyncHash(desired)), syncHash(desired));
  });
});

describe('statusUpToDate', () => {
  it('compares status exactly, and only when we sync it', () => {
    const desired = desiredFrom(kafkaCluster(), true);
    const stored = structuredClone(desired);
    assert.equal(statusUpToDate(stored, desired), true);
    stored.status = { state: 'ClusterRollingUpgrading' };
    assert.equal(statusUpToDate(stored, desired), false);
    assert.equal(statusUpToDate(stored, desiredFrom(kafkaCluster(), false)), true);
  });
});
