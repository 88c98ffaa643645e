import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsApply } from '../../../src/kube/apply.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const fm = { fieldManager: 'sdm' };

/** What the API server returns after we applied {data: {a, b}, labels: {app}} and an owner reference. */
const current: KubeObject & { data?: Record<string, string> } = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'x-mirror',
    namespace: 'ns',
    resourceVersion: '42',
    uid: 'u',
    labels: { app: 'mirror', 'added-by-someone-else': 'yes' },
    finalizers: ['other.io/keep'],
    ownerReferences: [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'owner-uid', controller: true },
      { apiVersion: 'v1', kind: 'Other', name: 'y', uid: 'other-uid' },
    ],
    managedFields: [
      {
        manager: 'sdm',
        operation: 'Apply',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:data': { 'f:a': {}, 'f:b': {} },
          'f:metadata': {
            'f:labels': { 'f:app': {} },
            'f:ownerReferences': { 'k:{"uid":"owner-uid"}': {} },
          },
        },
      },
    ],
  },
  data: { a: '1', b: '2', c: 'not ours' },
};

const desired = (over: Partial<{ data: Record<string, string>; labels: Record<string, string> }> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'x-mirror',
    namespace: 'ns',
    labels: over.labels ?? { app: 'mirror' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'owner-uid', controller: true }],
  },
  data: over.data ?? { a: '1', b: '2' },
});

describe('needsApply', () => {
  it('no: the object already has everything we want, whatever others added', () => {
    assert.equal(needsApply(desired(), current, fm), false);
  });

  it('yes: a value differs or is new', () => {
    assert.equal(needsApply(desired({ data: { a: '1', b: '3' } }), current, fm), true);
    assert.equal(needsApply(desired({ data: { a: '1', b: '2', d: '4' } }), current, fm), true);
    assert.equal(needsApply(desired({ labels: { app: 'mirror', tier: 'x' } }), current, fm), true);
  });

  it('yes: we own a field that we no longer want (apply removes it)', () => {
    assert.equal(needsApply(desired({ data: { a: '1' } }), current, fm), true);
    const noOwner = desired();
    noOwner.metadata.ownerReferences = [];
    assert.equal(needsApply(noOwner, current, fm), true);
  });

  it('no: empty maps and lists in desired where the object has none', () => {
    const d = { ...desired(), metadata: { ...desired().metadata, annotations: {}, finalizers: [] } };
    assert.equal(needsApply(d, current, fm), false);
  });

  it('no: a field someone else owns is left out', () => {
    // "c" is not ours: leaving it out of desired is not a change.
    assert.equal(needsApply(desired({ data: { a: '1', b: '2' } }), current, fm), false);
  });

  it('yes: the object does not exist, or we never applied and values differ', () => {
    assert.equal(needsApply(desired(), undefined, fm), true);
    assert.equal(needsApply(desired(), current, { fieldManager: 'someone-else' }), false);
    assert.equal(needsApply(desired({ data: { a: 'z' } }), current, { fieldManager: 'someone-else' }), true);
  });

  it('status is compared only for the status subresource', () => {
    const withStatus = { ...current, status: { phase: 'Ready' } };
    const want = { ...desired(), status: { phase: 'Failed' } };
    assert.equal(needsApply(want, withStatus, fm), false);
    assert.equal(needsApply(want, withStatus, { ...fm, subresource: 'status' }), true);
  });
});
