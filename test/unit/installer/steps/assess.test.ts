import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessStep } from '../../../../src/installer/steps/assess.ts';
import type { KubeObject } from '../../../../src/kube/index.ts';

const deployment = (available: number) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'n', generation: 1 },
    spec: { replicas: 1 },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: available,
      availableReplicas: available,
      conditions: [{ type: 'Available', status: available ? 'True' : 'False' }],
    },
  }) as KubeObject;

describe('step assess', () => {
  it('is Available when every object is ready, Reconciling with the first reason otherwise', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    assert.deepEqual(assessStep([cm, deployment(1)]), { status: 'Available', message: '' });
    const r = assessStep([cm, deployment(0)]);
    assert.equal(r.status, 'Reconciling');
    assert.ok(r.message.length > 0);
    assert.deepEqual(assessStep([]), { status: 'Available', message: '' });
  });
});
