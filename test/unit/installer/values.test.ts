import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentValues, mergeValues, parseValuesOverride } from '../../../src/installer/values.ts';

describe('values', () => {
  it('merges maps key by key, replaces lists and scalars, removes keys set to null', () => {
    const merged = mergeValues(
      { grafana: { enabled: true, adminPassword: 'a', sidecar: { label: 'x' } }, list: [1, 2], gone: 1 },
      { grafana: { adminPassword: 'b' }, list: [3], gone: null },
    );
    assert.deepEqual(merged, {
      grafana: { enabled: true, adminPassword: 'b', sidecar: { label: 'x' } },
      list: [3],
    });
  });

  it('puts valuesOverride over derived values over defaults', () => {
    const v = componentValues({ a: 1, b: { c: 1 } }, { b: { c: 2, d: 2 } }, { b: { d: 3 } });
    assert.deepEqual(v, { a: 1, b: { c: 2, d: 3 } });
  });

  it('parses an override, and an empty one as no values', () => {
    assert.deepEqual(parseValuesOverride('grafana:\n  adminPassword: x\n', 'spec.m'), {
      ok: true,
      values: { grafana: { adminPassword: 'x' } },
    });
    assert.deepEqual(parseValuesOverride(undefined, 'spec.m'), { ok: true, values: {} });
    assert.deepEqual(parseValuesOverride('  \n', 'spec.m'), { ok: true, values: {} });
  });

  it('says where invalid YAML is, without quoting the text (it may hold passwords)', () => {
    const r = parseValuesOverride(
      'grafana:\n  adminPassword: "s3cret\n',
      'spec.monitoring.prometheusOperator',
    );
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(
        r.error,
        /^spec\.monitoring\.prometheusOperator\.valuesOverride is not valid YAML at line \d+/,
      );
      assert.doesNotMatch(r.error, /s3cret/);
    }
    const list = parseValuesOverride('- a\n- b\n', 'spec.kafkaOperator');
    assert.equal(list.ok, false);
    if (!list.ok) assert.match(list.error, /must be a YAML map of chart values, not a list/);
  });
});
