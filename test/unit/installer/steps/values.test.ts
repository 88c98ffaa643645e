import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSpec } from '../../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { catalog } from '../../../../src/installer/catalog.ts';
import { valuesStep } from '../../../../src/installer/steps/values.ts';

const zk = catalog.find((c) => c.name === 'zookeeperOperator')!;
const ctx = (override?: string) => ({
  spec: resolveSpec({ zookeeperOperator: { enabled: true, valuesOverride: override } } as never).resolved,
  manifest: { name: 'm', namespace: 'supertubes-control-plane' },
});

describe('step values', () => {
  it('merges defaults, derived values and the override (the override wins)', () => {
    const v = valuesStep(zk, ctx('watchNamespace: other\nimage:\n  tag: x\n'));
    assert.ok(v.ok);
    assert.equal(v.values.watchNamespace, 'other');
    assert.deepEqual(v.values.image, { tag: 'x' });
    assert.deepEqual(v.values.crd, zk.defaultValues.crd);
  });
  it('derives what follows from the manifest when nothing overrides it', () => {
    const v = valuesStep(zk, ctx());
    assert.ok(v.ok);
    assert.equal(v.values.watchNamespace, ctx().spec.zookeeperOperator.namespace);
  });
  it('turns invalid YAML into a Failed result naming the field and line, never the text', () => {
    const v = valuesStep(zk, ctx('a: [1, 2\nsecret: hunter2'));
    assert.equal(v.ok, false);
    if (v.ok) return;
    assert.equal(v.result.status, 'Failed');
    assert.match(v.result.message, /^spec\.zookeeperOperator\.valuesOverride is not valid YAML at line \d+/);
    assert.doesNotMatch(v.result.message, /hunter2/);
  });
});
