// Core sync: A and B form a group; C is attached to A only (C's Cluster and Secret on A, A's on C).
// Through the built-in rules B learns about C and C about B from A, they connect to each other
// directly, and a ResourceSyncRule applied on A alone runs everywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

const OWNER = 'cluster-registry.k8s.cisco.com/resource-owner-cluster-id';

describe('core sync', () => {
  let a: TestCluster;
  let b: TestCluster;
  let c: TestCluster;

  before(async () => {
    const cs = await startClusters(['cluster-a', 'cluster-b', 'cluster-c']);
    [a, b, c] = [cs[0]!, cs[1]!, cs[2]!];
    for (const tc of cs) {
      await tc.admin.apply(
        aggregatedRole('sync-kafka', 'controller', ['get', 'list', 'watch', 'create', 'update', 'delete']),
      );
      await tc.admin.apply(aggregatedRole('read-kafka', 'reader', ['get', 'list', 'watch']));
      await ensureNamespace(tc, 'kafka');
      await startController(tc);
    }
    await attach(a, [a, b, c]);
    await attach(b, [a, b]);
    await attach(c, [a, c]);
  });
  after(async () => {
    await stopAll([a, b, c].filter(Boolean));
  });

  it('spreads Clusters and their Secrets, so clusters attached through A connect directly', async () => {
    await eventually(
      async () => {
        const onB = await b.admin.get(Clusters, { name: 'cluster-c' });
        assert.equal(onB.metadata?.annotations?.[OWNER], a.id);
        assert.equal(onB.status?.state, 'Ready', JSON.stringify(onB.status));
        const onC = await c.admin.get(Clusters, { name: 'cluster-b' });
        assert.equal(onC.status?.state, 'Ready', JSON.stringify(onC.status));
      },
      { timeoutMs: 120_000 },
    );
  });

  it('runs a rule applied on A alone on every cluster, syncing C to B directly', async () => {
    await a.admin.apply({
      apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
      kind: 'ResourceSyncRule',
      metadata: { name: 'kafkaclusters' },
      spec: {
        groupVersionKind: { group: 'kafka.banzaicloud.io', version: 'v1beta1', kind: 'KafkaCluster' },
        rules: [{}],
      },
    } as KubeObject);
    await eventually(async () => {
      for (const tc of [b, c]) {
        const r = await tc.admin.get(Rules, { name: 'kafkaclusters' });
        assert.equal(r.metadata?.annotations?.[OWNER], a.id);
      }
    });
    await c.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'from-c', namespace: 'kafka' },
      spec: { z: 1 },
    } as KubeObject);
    for (const tc of [a, b]) {
      await eventually(
        async () => {
          const o = await tc.admin.get(KafkaClusters, { namespace: 'kafka', name: 'from-c' });
          assert.equal(o.metadata?.annotations?.[OWNER], c.id);
        },
        { timeoutMs: 90_000 },
      );
    }
  });
});
