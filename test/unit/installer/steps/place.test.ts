import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crdScopes, groupKind, place } from '../../../../src/installer/steps/place.ts';
import type { KubeObject } from '../../../../src/kube/index.ts';

describe('step place', () => {
  it("reads the scope of a chart's own kinds from its CRDs", () => {
    const crd = (kind: string, scope: string) =>
      ({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${kind.toLowerCase()}s.example.com` },
        spec: { group: 'example.com', scope, names: { kind } },
      }) as KubeObject;
    const scopes = crdScopes([crd('Widget', 'Namespaced'), crd('Gadget', 'Cluster')]);
    assert.equal(scopes.get(groupKind({ apiVersion: 'example.com/v1', kind: 'Widget' })), true);
    assert.equal(scopes.get(groupKind({ apiVersion: 'example.com/v2', kind: 'Gadget' })), false);
    assert.equal(groupKind({ apiVersion: 'v1', kind: 'ConfigMap' }), '/ConfigMap');
  });
  it('fills the namespace of namespaced objects only where the chart left none, and clears it on cluster-scoped ones', () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const b: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'other' },
    };
    const c: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'c', namespace: 'x' },
    };
    place(a, true, 'ns');
    place(b, true, 'ns');
    place(c, false, 'ns');
    assert.equal(a.metadata?.namespace, 'ns');
    assert.equal(b.metadata?.namespace, 'other');
    assert.equal(c.metadata?.namespace, undefined);
  });
});
