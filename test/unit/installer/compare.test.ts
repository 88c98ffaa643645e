import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparable, mayDiffer, withDroppedZeros } from '../../../src/installer/compare.ts';
import type { KubeObject } from '../../../src/kube/index.ts';

const pod = (spec: Record<string, unknown>) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'n' },
    spec,
  }) as KubeObject;

describe('one comparison for the engine and sdm diff', () => {
  it('counts false, 0 and "" the server dropped (omitempty) as held', () => {
    const desired = pod({
      paused: false,
      minReadySeconds: 0,
      template: { spec: { hostNetwork: false, x: '' } },
    });
    const live = pod({ template: { spec: {} }, replicas: 1 });
    assert.equal(mayDiffer(desired, live), false);
    assert.deepEqual(withDroppedZeros({ a: { b: false } }, { a: {} }), { a: { b: false } });
  });
  it('still sees a real change, including one to a zero value', () => {
    assert.equal(mayDiffer(pod({ paused: false }), pod({ paused: true })), true);
    assert.equal(mayDiffer(pod({ replicas: 2 }), pod({ replicas: 1 })), true);
    assert.equal(mayDiffer(pod({ replicas: 1 }), undefined), true);
  });
  it('leaves bookkeeping out of a dry run comparison', () => {
    const a = { ...pod({ replicas: 1 }), status: { x: 1 } } as KubeObject;
    a.metadata = { ...a.metadata, resourceVersion: '1', generation: 3, managedFields: [] };
    assert.deepEqual(comparable(a), comparable(pod({ replicas: 1 })));
  });
});
