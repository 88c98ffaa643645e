import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentStatuses, manifestState, manifestStatus } from '../../../src/installer/status.ts';
import type { ComponentResult } from '../../../src/installer/types.ts';

const r = (name: string, status: ComponentResult['status'], message = '', statusKey = name) => ({
  name,
  status,
  message,
  statusKey,
});

describe('status', () => {
  it('folds the monitoring parts into one entry where the worst state speaks', () => {
    const s = componentStatuses([
      r('prometheusOperator', 'Reconciling', 'Deployment grafana: 0/1 ready', 'monitoring'),
      r('grafanaDashboards', 'Available', '', 'monitoring'),
    ]);
    assert.deepEqual(s, {
      monitoring: { status: 'Reconciling', message: 'prometheusOperator: Deployment grafana: 0/1 ready' },
    });
  });

  it('is Failed if anything failed, Reconciling while anything moves, else Succeeded', () => {
    assert.equal(manifestState({ a: { status: 'Available' }, b: { status: 'Removed' } }).state, 'Succeeded');
    assert.equal(
      manifestState({ a: { status: 'Available' }, b: { status: 'Removing' } }).state,
      'Reconciling',
    );
    const failed = manifestState({
      a: { status: 'Reconciling' },
      b: { status: 'Failed', message: 'bad YAML' },
    });
    assert.deepEqual(failed, { state: 'Failed', message: 'b: bad YAML' });
  });

  it('sets observedGeneration and kstatus conditions, keeping transition times when nothing flips', () => {
    const t1 = new Date('2026-01-01T00:00:00Z');
    const busy = manifestStatus([r('kafkaOperator', 'Reconciling', 'waiting')], 3, undefined, t1);
    assert.equal(busy.status, 'Reconciling');
    assert.equal(busy.observedGeneration, 3);
    assert.deepEqual(
      busy.conditions?.map((c) => [c.type, c.status]),
      [
        ['Ready', 'False'],
        ['Reconciling', 'True'],
      ],
    );
    const done = manifestStatus([r('kafkaOperator', 'Available')], 3, busy, new Date('2026-01-01T00:01:00Z'));
    assert.deepEqual(
      done.conditions?.map((c) => [c.type, c.status]),
      [['Ready', 'True']],
    );
    const again = manifestStatus(
      [r('kafkaOperator', 'Available')],
      3,
      done,
      new Date('2026-01-01T00:02:00Z'),
    );
    assert.deepEqual(again, done, 'an unchanged pass computes an identical status (so nothing is written)');
    const failed = manifestStatus([r('kafkaOperator', 'Failed', 'boom')], 4, done);
    assert.ok(
      failed.conditions?.some(
        (c) => c.type === 'Stalled' && c.status === 'True' && c.message.includes('boom'),
      ),
    );
  });
});
