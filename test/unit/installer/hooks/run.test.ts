import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deleteRun, plannedRun, storedRun } from '../../../../src/installer/hooks/run.ts';

describe('which hooks a pass runs', () => {
  it('install hooks for a component never applied, upgrade hooks for a new revision, none for the same one', () => {
    assert.deepEqual(plannedRun(undefined, 'r1'), { id: 'install@r1', kind: 'install', done: [] });
    const released = { component: 'c', objects: [], revision: 'r1' };
    assert.equal(plannedRun(released, 'r1'), undefined);
    assert.deepEqual(plannedRun(released, 'r2'), { id: 'upgrade@r2', kind: 'upgrade', done: [] });
  });
  it('resumes a run under way, and stays failed until the revision changes', () => {
    const inv = { component: 'c', objects: [], hookRun: { id: 'install@r1', done: ['pre-install'] } };
    assert.deepEqual(plannedRun(inv, 'r1'), { id: 'install@r1', kind: 'install', done: ['pre-install'] });
    const failed = { component: 'c', objects: [], hookRun: { id: 'upgrade@r2', done: [], failed: 'x' } };
    assert.equal(plannedRun(failed, 'r2')?.failed, 'x');
    assert.deepEqual(plannedRun(failed, 'r3'), { id: 'upgrade@r3', kind: 'upgrade', done: [] });
  });
  it('a removal has its own run', () => {
    assert.deepEqual(deleteRun({ component: 'c', objects: [], revision: 'r1' }), {
      id: 'delete@r1',
      kind: 'delete',
      done: [],
    });
    const under = { component: 'c', objects: [], hookRun: { id: 'delete@r1', done: ['pre-delete'] } };
    assert.deepEqual(deleteRun(under).done, ['pre-delete']);
    assert.deepEqual(storedRun({ id: 'delete@r1', kind: 'delete', done: [] }), { id: 'delete@r1', done: [] });
  });
});
