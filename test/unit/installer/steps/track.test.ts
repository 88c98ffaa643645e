import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryUpdate } from '../../../../src/installer/steps/track.ts';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name });

describe('step track', () => {
  it('writes an inventory only when its list of objects changes (order and versions do not count)', () => {
    const current = { component: 'c', objects: [cm('a'), cm('b')] };
    assert.equal(inventoryUpdate(current, { objects: [cm('b'), cm('a')] }), undefined);
    assert.deepEqual(inventoryUpdate(current, { objects: [cm('a')] }), { objects: [cm('a')] });
    assert.deepEqual(inventoryUpdate(undefined, { objects: [] }), { objects: [] });
  });
  it('writes when the released revision or the hook run changes', () => {
    const current = { component: 'c', objects: [cm('a')], revision: 'r1' };
    assert.equal(inventoryUpdate(current, { objects: [cm('a')], revision: 'r1' }), undefined);
    assert.ok(inventoryUpdate(current, { objects: [cm('a')], revision: 'r2' }));
    const run = { id: 'install@r2', done: ['pre-install'] };
    assert.ok(inventoryUpdate(current, { objects: [cm('a')], revision: 'r1', hookRun: run }));
    assert.equal(
      inventoryUpdate(
        { ...current, hookRun: { ...run } },
        { objects: [cm('a')], revision: 'r1', hookRun: run },
      ),
      undefined,
    );
  });
});
