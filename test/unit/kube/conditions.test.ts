import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conditionsEqual,
  findCondition,
  markReady,
  markReconciling,
  markStalled,
  setCondition,
} from '../../../src/kube/conditions.ts';

const t0 = new Date('2025-01-01T00:00:00Z');
const t1 = new Date('2025-01-01T01:00:00Z');

describe('conditions', () => {
  it('lastTransitionTime changes only when the status changes', () => {
    const a = setCondition([], { type: 'Ready', status: 'False', reason: 'Installing' }, 1, t0);
    const b = setCondition(
      a,
      { type: 'Ready', status: 'False', reason: 'StillInstalling', message: 'x' },
      2,
      t1,
    );
    assert.equal(findCondition(b, 'Ready')?.lastTransitionTime, '2025-01-01T00:00:00Z');
    assert.equal(findCondition(b, 'Ready')?.reason, 'StillInstalling');
    assert.equal(findCondition(b, 'Ready')?.observedGeneration, 2);
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'Done' }, 2, t1);
    assert.equal(findCondition(c, 'Ready')?.lastTransitionTime, '2025-01-01T01:00:00Z');
  });

  it('setting the same condition again is equal to before (so nothing needs writing)', () => {
    const a = markReady([], 3, 'Succeeded', 'all good', t0);
    const b = markReady(a, 3, 'Succeeded', 'all good', t1);
    assert.ok(conditionsEqual(a, b));
    assert.ok(
      !conditionsEqual(a, markReady(a, 4, 'Succeeded', 'all good', t1)),
      'new generation is a change',
    );
  });

  it('Ready / Reconciling / Stalled follow kstatus: abnormal conditions only present while true', () => {
    let c = markReconciling([], 1, 'Progressing', 'installing kafka', t0);
    assert.equal(findCondition(c, 'Reconciling')?.status, 'True');
    assert.equal(findCondition(c, 'Ready')?.status, 'False');
    assert.equal(findCondition(c, 'Ready')?.reason, 'Progressing');
    c = markStalled(c, 1, 'InvalidSpec', 'bad version', t0);
    assert.equal(findCondition(c, 'Stalled')?.status, 'True');
    assert.equal(findCondition(c, 'Reconciling'), undefined);
    c = markReady(c, 2, 'Succeeded', '', t1);
    assert.deepEqual(
      c.map((x) => [x.type, x.status]),
      [['Ready', 'True']],
    );
  });

  it('does not mutate its input', () => {
    const a = markReconciling([], 1, 'P', '', t0);
    const copy = structuredClone(a);
    markReady(a, 1, 'OK', '', t1);
    assert.deepEqual(a, copy);
  });
});
