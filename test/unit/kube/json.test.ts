import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, jsonEqual } from '../../../src/kube/json.ts';

describe('jsonEqual', () => {
  it('compares as JSON: key order ignored, undefined values are missing keys, arrays in order', () => {
    assert.equal(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }), true);
    assert.equal(jsonEqual({ a: 1, gone: undefined }, { a: 1 }), true);
    assert.equal(jsonEqual({ a: 1 }, { a: 1, b: null }), false);
    assert.equal(jsonEqual([1, 2], [2, 1]), false);
    assert.equal(jsonEqual({}, []), false);
    assert.equal(jsonEqual('1', 1), false);
    assert.equal(jsonEqual(null, {}), false);
  });

  it('reads own keys only: "__proto__" is an ordinary key', () => {
    const a = JSON.parse('{"__proto__": {"x": 1}}');
    const b = JSON.parse('{"__proto__": {"x": 2}}');
    assert.equal(jsonEqual(a, b), false);
    assert.equal(jsonEqual(a, JSON.parse('{"__proto__": {"x": 1}}')), true);
    assert.equal(jsonEqual({ toString: 1 }, {}), false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, so equal values give equal text', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
    assert.equal(canonicalJson({ x: 1, u: undefined }), canonicalJson({ x: 1 }));
  });

  it("escapes like Go's encoding/json and keeps a __proto__ key", () => {
    assert.equal(canonicalJson('<a&b>'), '"\\u003ca\\u0026b\\u003e"');
    assert.equal(canonicalJson(JSON.parse('{"__proto__": 1}')), '{"__proto__":1}');
  });
});
