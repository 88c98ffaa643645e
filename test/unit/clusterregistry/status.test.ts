// Cluster and rule status as pure functions of what was observed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cluster } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { clustersSyncedCondition, ruleStatus } from '../../../src/controllers/clusterregistry/status.ts';
import { cluster1, cluster2, cluster3 } from './fixtures.ts';

const ready = (c: Cluster): Cluster => ({ ...c, status: { state: 'Ready' } });

describe('clustersSyncedCondition', () => {
  it('True when the peer has every Cluster we know, same ID, Ready', () => {
    const c = clustersSyncedCondition(
      [cluster1, cluster2],
      [ready(cluster1), ready(cluster2), ready(cluster3)],
    );
    assert.equal(c.status, 'True');
  });

  it('names the missing, the different and the not-Ready ones', () => {
    const other = { ...ready(cluster2), spec: { ...cluster2.spec, clusterID: 'someone-else' } };
    const c = clustersSyncedCondition([cluster1, cluster2, cluster3], [cluster1, other]);
    assert.equal(c.status, 'False');
    assert.equal(
      c.message,
      'missing or different on the peer: cluster2, cluster3; not Ready on the peer: cluster1',
    );
  });

  it('Unknown, with the reason, when the peer cannot be listed (a hanging peer times out)', () => {
    const c = clustersSyncedCondition([cluster1], 'no answer within 3000 ms');
    assert.equal(c.status, 'Unknown');
    assert.match(c.message ?? '', /cannot list Clusters on the peer: no answer within 3000 ms/);
  });
});

describe('ruleStatus', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('Ready when every peer is Synced, and keeps lastTransitionTime when nothing changed', () => {
    const s = ruleStatus(undefined, 3, [{ cluster: 'b', state: 'Synced', objectsSynced: 2 }], now);
    assert.equal(s.observedGeneration, 3);
    assert.equal(s.conditions?.[0]?.status, 'True');
    assert.equal(s.conditions?.[0]?.message, '2 object(s) synced from 1 peer(s)');
    const again = ruleStatus(
      s,
      3,
      [{ cluster: 'b', state: 'Synced', objectsSynced: 2 }],
      new Date('2026-01-02T00:00:00Z'),
    );
    assert.deepEqual(again, s);
  });

  it('not Ready with the failing peer and its error named', () => {
    const s = ruleStatus(
      undefined,
      1,
      [
        { cluster: 'c', state: 'Failed', lastError: 'the object would nest deeper than 100 levels' },
        { cluster: 'b', state: 'Synced', objectsSynced: 1 },
      ],
      now,
    );
    assert.equal(s.conditions?.[0]?.status, 'False');
    assert.equal(s.conditions?.[0]?.reason, 'SyncFailed');
    assert.match(s.conditions?.[0]?.message ?? '', /c: Failed: the object would nest deeper than 100 levels/);
    assert.deepEqual(
      s.peers?.map((p) => p.cluster),
      ['b', 'c'],
    );
  });
});
