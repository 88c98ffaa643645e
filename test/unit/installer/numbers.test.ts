import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { changedNumber, hasWideInteger, inexactNumber } from '../../../src/installer/numbers.ts';
import { parseValuesOverride } from '../../../src/installer/values.ts';

const inexact = (text: string) => inexactNumber(parseDocument(text));

describe('numbers that would silently change', () => {
  it('names the path of an integer beyond 2^53, as written', () => {
    assert.equal(
      inexact('replicaCount: 9223372036854775808'),
      'replicaCount: 9223372036854775808 is larger than 2^53 and cannot be held exactly; quote it if a string is meant',
    );
    assert.match(inexact('a:\n  b: [1, 2, 10000000000000000000]') ?? '', /^a\.b\[2\]: 10000000000000000000 /);
    assert.match(inexact('x: -9007199254740993') ?? '', /^x: -9007199254740993 is larger/);
  });

  it('names .inf, -.inf, .nan and overflowing floats', () => {
    assert.match(inexact('x: .inf') ?? '', /^x: \.inf/);
    assert.match(inexact('x: -.INF') ?? '', /^x: -\.inf/);
    assert.match(inexact('x: {y: .NaN}') ?? '', /^x\.y: \.nan/);
    assert.match(inexact('x: 1e400') ?? '', /^x: \.inf \(or a number too large\)/);
  });

  it('accepts exact numbers, quoted big numbers and non-numbers', () => {
    for (const ok of [
      'replicaCount: 10000000000',
      'x: 9007199254740991',
      'x: "9223372036854775808"',
      'x: 0.1',
      'x: -3',
      'x: [a, true, null]',
      '',
    ])
      assert.equal(inexact(ok), undefined, ok);
  });

  it('is a Failed valuesOverride naming the block and path', () => {
    const r = parseValuesOverride('image:\n  tag: .nan', 'spec.kafkaMinion');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /^spec\.kafkaMinion\.valuesOverride: image\.tag: \.nan/);
  });

  it('finds integers an int32 field cannot hold', () => {
    assert.equal(hasWideInteger({ spec: { replicas: 2 ** 31 - 1 } }), false);
    assert.equal(hasWideInteger({ spec: { replicas: 2 ** 31 } }), true);
    assert.equal(hasWideInteger({ spec: { ports: [{ port: -(2 ** 31) - 1 }] } }), true);
    assert.equal(hasWideInteger({ spec: { ratio: 3e9 + 0.5 } }), false);
  });

  it('reports a number the server stored differently, matching named list items by name', () => {
    assert.equal(
      changedNumber({ spec: { replicas: 10000000000 } }, { spec: { replicas: 1410065408 } }),
      'spec.replicas: sent 10000000000, the server stored 1410065408',
    );
    const sent = { containers: [{ name: 'b', ports: [{ containerPort: 80 }] }] };
    const got = {
      containers: [
        { name: 'a', ports: [{ containerPort: 1 }] },
        { name: 'b', ports: [{ containerPort: 80 }] },
      ],
    };
    assert.equal(changedNumber(sent, got), undefined);
    assert.equal(
      changedNumber({ containers: [{ name: 'b', n: 2 }] }, { containers: [{ name: 'b', n: 3 }] }),
      'containers[b].n: sent 2, the server stored 3',
    );
    // A quantity the server keeps as a string, a field it pruned: no change of value.
    assert.equal(changedNumber({ cpu: 2, gone: 5 }, { cpu: '2' }), undefined);
  });
});
