import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ownedBy } from '../../../../src/installer/steps/prune.ts';
import type { KubeObject } from '../../../../src/kube/index.ts';

describe('step prune', () => {
  it("deletes only what still carries the component's label", () => {
    const obj = (component?: string): KubeObject => {
      const labels: Record<string, string> = {};
      if (component) labels['supertubes.banzaicloud.io/component'] = component;
      return { metadata: { name: 'x', labels } };
    };
    assert.equal(ownedBy(obj('kafkaOperator'), 'kafkaOperator'), true);
    assert.equal(ownedBy(obj('kafkaMinion'), 'kafkaOperator'), false);
    assert.equal(ownedBy(obj(), 'kafkaOperator'), false);
    assert.equal(ownedBy(undefined, 'kafkaOperator'), false);
  });
});
