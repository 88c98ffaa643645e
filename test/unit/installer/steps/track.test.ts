import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryUpdate } from '../../../../src/installer/steps/track.ts';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name });

describe('step track', () => {
  it('writes an inventory only when its list of objects changes (order and versions do not count)', () => {
    const current = { component: 'c', objects: [cm('a'), cm('b')] };
    assert.equal(inventoryUpdate(current, [cm('b'), cm('a')]), undefined);
    assert.equal(inventoryUpdate(current, [cm('b'), { ...cm('a'), apiVersion: 'v1' }]), undefined);
    assert.deepEqual(inventoryUpdate(current, [cm('a')]), [cm('a')]);
    assert.deepEqual(inventoryUpdate(undefined, []), []);
  });
});
