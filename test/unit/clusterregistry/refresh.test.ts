// Which (rule x peer) pairs run, and how refresh triggers coalesce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { PeerConnection } from '../../../src/controllers/clusterregistry/peers.ts';
import { desiredPairs, RefreshScheduler } from '../../../src/controllers/clusterregistry/refresh.ts';
import type { EngineRule } from '../../../src/controllers/clusterregistry/rules.ts';
import { silentLogger } from '../../../src/kube/index.ts';

function peer(name: string, up: boolean): PeerConnection {
  const kubeConfig = new KubeConfig();
  // Never contacted: the features informer is not started.
  kubeConfig.loadFromOptions({
    clusters: [{ name, server: 'https://127.0.0.1:1' }],
    users: [{ name, token: 't' }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  const p = new PeerConnection({
    name,
    clusterId: `${name}-id`,
    kubeConfig,
    fingerprint: name,
    fieldManager: 'test',
    logger: silentLogger(),
    onFeaturesChanged: () => {},
  });
  p.up = up;
  return p;
}

function rule(name: string, extra: Partial<EngineRule['spec']> = {}, deleted = false): EngineRule {
  return {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ResourceSyncRule',
    metadata: { name, ...(deleted ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { groupVersionKind: { version: 'v1', kind: 'ConfigMap' }, rules: [], ...extra },
  };
}

describe('desiredPairs', () => {
  it('every live rule with every peer that is up; rules needing features wait for the peer’s features', async () => {
    const b = peer('b', true);
    const c = peer('c', false);
    const d = peer('d', true);
    const pairs = desiredPairs(
      [
        rule('all'),
        rule('gone', {}, true),
        rule('featured', { clusterFeatureMatch: [{ featureName: 'x' }] }),
      ],
      [b, c, d],
    );
    assert.deepEqual(
      pairs.map((p) => `${p.rule.metadata?.name}/${p.peer.name}`),
      ['all/b', 'all/d'],
    );
    await Promise.all([b, c, d].map((p) => p.close()));
  });
});

describe('RefreshScheduler', () => {
  it('does nothing before it runs, then coalesces a burst of triggers into one pass after the running one', async () => {
    let passes = 0;
    let release: () => void = () => {};
    const scheduler = new RefreshScheduler(async () => {
      passes++;
      await new Promise<void>((r) => {
        release = r;
      });
    }, silentLogger());
    await scheduler.trigger();
    assert.equal(passes, 0, 'a replica that does not run it (not the leader) refreshes nothing');
    const stop = new AbortController();
    const running = scheduler.run({
      stop: stop.signal,
      abort: new AbortController().signal,
      log: silentLogger(),
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(passes, 1);
    const burst = [scheduler.trigger(), scheduler.trigger(), scheduler.trigger()];
    release();
    await new Promise((r) => setImmediate(r));
    assert.equal(passes, 2, 'three triggers during a pass make one more pass');
    release();
    await Promise.all(burst);
    assert.equal(passes, 2);
    stop.abort();
    await running;
  });
});
