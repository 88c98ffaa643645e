import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredStatus, statusUnchanged } from '../../../src/controllers/imagepullsecrets/status.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:10:00Z');
const ok = {
  status: 'Ready' as const,
  reason: '',
  sourceSecretStatus: { 'ns/src': 'Ok' },
  validitySeconds: 3600,
  conditionReason: 'Reconciled',
};

describe('ImagePullSecret status', () => {
  it('a second reconcile with the same outcome is not worth a write, although time moved on', () => {
    const first = desiredStatus(undefined, ok, ['a', 'b'], 2, t0);
    assert.equal(first.lastSuccessfulReconciliation, '2026-01-01T00:00:00Z');
    assert.equal(first.conditions?.[0]?.observedGeneration, 2);
    const second = desiredStatus(first, { ...ok, validitySeconds: 3000 }, ['a', 'b'], 2, t1);
    assert.equal(second.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(statusUnchanged(first, second), true, 'validity counting down and a newer timestamp');
  });

  it('a new token (validity up), a new namespace, a new generation or a failure is', () => {
    const first = desiredStatus(undefined, ok, ['a'], 2, t0);
    assert.equal(
      statusUnchanged(first, desiredStatus(first, { ...ok, validitySeconds: 7200 }, ['a'], 2, t1)),
      false,
    );
    assert.equal(statusUnchanged(first, desiredStatus(first, ok, ['a', 'c'], 2, t1)), false);
    assert.equal(statusUnchanged(first, desiredStatus(first, ok, ['a'], 3, t1)), false);
    const failed = desiredStatus(
      first,
      { ...ok, status: 'Failed', reason: 'source ns/src: denied', conditionReason: 'SourceFailed' },
      ['a'],
      2,
      t1,
    );
    assert.equal(statusUnchanged(first, failed), false);
    assert.equal(failed.lastSuccessfulReconciliation, '2026-01-01T00:00:00Z', 'kept from the last success');
    assert.equal(failed.conditions?.[0]?.status, 'False');
    assert.equal(failed.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:10:00Z');
  });
});
