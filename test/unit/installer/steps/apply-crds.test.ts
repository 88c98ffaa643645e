import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { establishedProblem, isCrd } from '../../../../src/installer/steps/apply-crds.ts';
import type { KubeObject } from '../../../../src/kube/index.ts';

const crd = (established: boolean) =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com', generation: 1 },
    status: {
      conditions: [
        { type: 'NamesAccepted', status: 'True' },
        {
          type: 'Established',
          status: established ? 'True' : 'False',
          reason: 'Installing',
          message: 'not yet',
        },
      ],
    },
  }) as KubeObject;

describe('step apply CRDs', () => {
  it('is done only when every CRD is Established, else names the reason', () => {
    assert.equal(establishedProblem([crd(true), crd(true)]), undefined);
    assert.ok(establishedProblem([crd(true), crd(false)]));
    assert.ok(establishedProblem([undefined]), 'a CRD not there yet is not Established');
  });
  it('picks out CRDs', () => {
    assert.equal(isCrd(crd(true)), true);
    assert.equal(isCrd({ apiVersion: 'v1', kind: 'ConfigMap' }), false);
  });
});
