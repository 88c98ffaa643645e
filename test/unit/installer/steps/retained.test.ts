import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryConfigMap, readInventory } from '../../../../src/installer/inventory.ts';
import { removedMessage, retainedRefs } from '../../../../src/installer/steps/retained.ts';
import { inventoryUpdate } from '../../../../src/installer/steps/track.ts';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  name: 'a.example.com',
};
const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data' };
const dep = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'op' };

describe('CRDs and PVCs retained at removal', () => {
  it('retains the protected objects, and what was retained before', () => {
    assert.deepEqual(retainedRefs({ component: 'c', objects: [dep, crd], retained: [pvc] }), [crd, pvc]);
    assert.deepEqual(retainedRefs({ component: 'c', objects: [dep] }), []);
  });

  it('says what was kept', () => {
    assert.equal(removedMessage([]), 'disabled');
    assert.equal(removedMessage([crd, pvc]), 'disabled; kept 2 CRDs/PVCs (--purge deletes them)');
  });

  it('survives the inventory ConfigMap round trip, and changes in it are writes', () => {
    const cm = inventoryConfigMap(
      { name: 'm', namespace: 'ns' },
      { component: 'c', objects: [], retained: [crd] },
    );
    assert.deepEqual(readInventory(cm), { component: 'c', objects: [], retained: [crd] });
    const current = { component: 'c', objects: [], retained: [crd] };
    assert.equal(inventoryUpdate(current, { objects: [], retained: [crd] }), undefined);
    assert.ok(inventoryUpdate(current, { objects: [] }));
  });
});
