import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  inventoryConfigMap,
  labelValue,
  pruneSet,
  readInventory,
  removalOrder,
  union,
} from '../../../src/installer/inventory.ts';
import type { ObjRef } from '../../../src/installer/types.ts';

const dep: ObjRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kafka', name: 'kafka-operator' };
const svc: ObjRef = { apiVersion: 'v1', kind: 'Service', namespace: 'kafka', name: 'metrics' };
const crd: ObjRef = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  name: 'kafkaclusters.kafka.banzaicloud.io',
};
const pvc: ObjRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'kafka', name: 'data' };
const role: ObjRef = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  name: 'kafka-operator',
};

describe('prune set', () => {
  it('prunes what was applied and is no longer rendered', () => {
    assert.deepEqual(pruneSet([dep, svc], [dep]), { remove: [svc], keep: [] });
    assert.deepEqual(pruneSet([dep], [dep]), { remove: [], keep: [] });
  });

  it('keeps CRDs and PVCs unless purging', () => {
    assert.deepEqual(
      pruneSet([dep, crd, pvc], [])
        .keep.map((r) => r.kind)
        .sort(),
      ['CustomResourceDefinition', 'PersistentVolumeClaim'],
    );
    assert.equal(pruneSet([dep, crd, pvc], []).remove.length, 1);
    assert.equal(pruneSet([dep, crd, pvc], [], true).remove.length, 3);
  });

  it('treats the same object under another version as the same object', () => {
    const old = { ...dep, apiVersion: 'apps/v1beta2' };
    assert.deepEqual(pruneSet([old], [dep]).remove, []);
  });

  it('removes namespaced objects first and CRDs last', () => {
    assert.deepEqual(
      removalOrder([crd, role, dep]).map((r) => r.kind),
      ['Deployment', 'ClusterRole', 'CustomResourceDefinition'],
    );
  });
});

describe('inventory', () => {
  it('round-trips through its ConfigMap, deduplicated and sorted', () => {
    const cm = inventoryConfigMap(
      { name: 'sdm', namespace: 'supertubes-control-plane' },
      {
        component: 'kafkaOperator',
        objects: union([svc, dep], [dep]),
      },
    );
    assert.equal(cm.metadata?.namespace, 'supertubes-control-plane');
    assert.deepEqual(readInventory(cm), { component: 'kafkaOperator', objects: [svc, dep] });
  });

  it('keeps label values within 63 characters, distinct for distinct names', () => {
    const a = labelValue('x'.repeat(80));
    const b = labelValue(`${'x'.repeat(79)}y`);
    assert.ok(a.length <= 63 && b.length <= 63);
    assert.notEqual(a, b);
    assert.equal(labelValue('sdm'), 'sdm');
  });
});
