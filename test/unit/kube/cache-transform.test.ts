import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsApply } from '../../../src/kube/apply.ts';
import { LAST_APPLIED, stripForCache } from '../../../src/kube/cache-transform.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const configMap = (): KubeObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'c',
    namespace: 'ns',
    annotations: { [LAST_APPLIED]: '{"big":"copy"}', keep: 'me' },
    managedFields: [
      { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': { 'f:x': {} } } },
      {
        manager: 'sdm',
        operation: 'Apply',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      },
    ],
  },
  data: { a: '1', x: '2' },
});

describe('stripForCache', () => {
  it('drops Update managedFields and the last-applied annotation, keeps the rest', () => {
    const obj = stripForCache(configMap());
    assert.deepEqual(
      obj.metadata?.managedFields?.map((e) => e.manager),
      ['sdm'],
    );
    assert.deepEqual(obj.metadata?.annotations, { keep: 'me' });
    assert.deepEqual((obj as ReturnType<typeof configMap>).data, { a: '1', x: '2' });
  });

  it('removes fields that end up empty', () => {
    const o = configMap();
    o.metadata!.annotations = { [LAST_APPLIED]: '{}' };
    o.metadata!.managedFields = [{ manager: 'kube-controller-manager', operation: 'Update' }];
    stripForCache(o);
    assert.equal(o.metadata?.annotations, undefined);
    assert.equal(o.metadata?.managedFields, undefined);
    assert.deepEqual(stripForCache({ apiVersion: 'v1', kind: 'X' }), { apiVersion: 'v1', kind: 'X' });
  });

  it('leaves what needsApply() reads: an apply that removes an owned field is still seen', () => {
    const cached = stripForCache(configMap());
    const desired = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'ns' },
      data: {},
    };
    assert.equal(needsApply(desired, cached, { fieldManager: 'sdm' }), true);
    const same = { ...desired, data: { a: '1' } };
    assert.equal(needsApply(same, cached, { fieldManager: 'sdm' }), false);
  });
});
