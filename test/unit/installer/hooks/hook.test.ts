import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hookOf, hookOutcome, hooksFor, splitHooks } from '../../../../src/installer/hooks/hook.ts';
import type { KubeObject } from '../../../../src/kube/index.ts';

const obj = (name: string, annotations?: Record<string, string>, kind = 'Job'): KubeObject => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'v1',
  kind,
  metadata: { name, ...(annotations ? { annotations } : {}) },
});

describe('Helm hooks (as helm/pkg/release and manifest_sorter read them)', () => {
  it('tells release objects, hooks and objects naming an unknown event apart', () => {
    const s = splitHooks([
      obj('plain'),
      obj('annotated-only', { a: 'b' }),
      obj('pre', { 'helm.sh/hook': 'pre-install' }),
      obj('test', { 'helm.sh/hook': 'test' }),
      obj('legacy-test', { 'helm.sh/hook': 'test-success' }),
      obj('unknown', { 'helm.sh/hook': 'pre-install, crd-install' }),
    ]);
    assert.deepEqual(
      s.objects.map((o) => o.metadata?.name),
      ['plain', 'annotated-only'],
    );
    assert.deepEqual(
      s.hooks.map((h) => [h.object.metadata?.name, h.events]),
      [
        ['pre', ['pre-install']],
        ['test', ['test']],
        ['legacy-test', ['test']],
      ],
    );
    assert.deepEqual(
      s.skipped.map((o) => o.metadata?.name),
      ['unknown'],
    );
  });
  it('reads events with spaces and case, weights like strconv.Atoi, before-hook-creation by default', () => {
    const h = hookOf(
      obj('z', {
        'helm.sh/hook': 'post-install, Post-Upgrade',
        'helm.sh/hook-weight': '-5',
        'helm.sh/hook-delete-policy': 'hook-succeeded, hook-failed',
      }),
    )!;
    assert.deepEqual(h.events, ['post-install', 'post-upgrade']);
    assert.equal(h.weight, -5);
    assert.deepEqual(h.deletePolicies, ['hook-succeeded', 'hook-failed']);
    const d = hookOf(obj('d', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '1.5' }))!;
    assert.equal(d.weight, 0);
    assert.deepEqual(d.deletePolicies, ['before-hook-creation']);
  });
  it('orders an event by weight, then name; never picks test hooks for other events', () => {
    const hooks = splitHooks([
      obj('b', { 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '1' }),
      obj('a', { 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '1' }),
      obj('c', { 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '-1' }),
      obj('t', { 'helm.sh/hook': 'test' }),
      obj('p', { 'helm.sh/hook': 'pre-install' }),
    ]).hooks;
    assert.deepEqual(
      hooksFor(hooks, 'post-install').map((h) => h.object.metadata?.name),
      ['c', 'a', 'b'],
    );
    assert.deepEqual(
      hooksFor(hooks, 'pre-install').map((h) => h.object.metadata?.name),
      ['p'],
    );
    assert.deepEqual(hooksFor(hooks, 'pre-delete'), []);
  });
  it('judges a hook finished the way WatchUntilReady does', () => {
    const job = (conditions: { type: string; status: string; message?: string }[]) =>
      ({ ...obj('j'), status: { conditions } }) as KubeObject;
    assert.equal(hookOutcome(job([])).state, 'running');
    assert.equal(hookOutcome(job([{ type: 'Complete', status: 'True' }])).state, 'succeeded');
    const failed = hookOutcome(job([{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }]));
    assert.deepEqual(failed, { state: 'failed', message: 'Job j failed: BackoffLimitExceeded' });
    const pod = (phase: string) => ({ ...obj('p', undefined, 'Pod'), status: { phase } }) as KubeObject;
    assert.equal(hookOutcome(pod('Running')).state, 'running');
    assert.equal(hookOutcome(pod('Succeeded')).state, 'succeeded');
    assert.equal(hookOutcome(pod('Failed')).state, 'failed');
    assert.equal(hookOutcome(obj('sa', undefined, 'ServiceAccount')).state, 'succeeded');
  });
});
