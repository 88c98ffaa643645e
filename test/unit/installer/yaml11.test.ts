import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYaml11, parseYaml11Documents, resolvePlain } from '../../../src/installer/yaml11.ts';

describe('YAML 1.1 scalars as Kubernetes reads them (go-yaml v2 via sigs.k8s.io/yaml)', () => {
  it('reads a leading-zero number as octal: zookeeper-operator hook Jobs say defaultMode: 0555', () => {
    const job = parseYaml11(
      'spec:\n  volumes:\n  - name: sh\n    configMap:\n      name: x\n      defaultMode: 0555\n',
    ) as { spec: { volumes: { configMap: { defaultMode: number } }[] } };
    assert.equal(job.spec.volumes[0]?.configMap.defaultMode, 0o555);
    assert.equal(job.spec.volumes[0]?.configMap.defaultMode, 365);
  });

  it('resolves integers with Go syntax: 0o, 0x, 0b, signs, underscores; 08 and 1e3 as floats', () => {
    const cases: [string, unknown][] = [
      ['0644', 420],
      ['0o17', 15],
      ['0x1F', 31],
      ['-0x10', -16],
      ['0b101', 5],
      ['+12', 12],
      ['1_000', 1000],
      ['0', 0],
      ['-0', 0],
      ['08', 8],
      ['1e3', 1000],
      ['.5', 0.5],
      ['-.5', -0.5],
      ['1.', 1],
    ];
    for (const [text, want] of cases) assert.equal(resolvePlain(text), want, text);
  });

  it('reads every YAML 1.1 boolean and null form, and nothing else', () => {
    for (const t of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
      assert.equal(resolvePlain(t), true, t);
    for (const t of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
      assert.equal(resolvePlain(t), false, t);
    for (const t of ['', '~', 'null', 'Null', 'NULL']) assert.equal(resolvePlain(t), null, t);
    for (const t of ['yES', 'oN', 'nope', 'yes please', 'tRUE']) assert.equal(resolvePlain(t), t, t);
  });

  it('keeps what go-yaml never converted: base-60, timestamps, hex floats, versions', () => {
    for (const t of [
      '1:20',
      '12:30:00',
      '2024-01-01',
      '2001-12-14t21:59:43.10-05:00',
      '0x1p-2',
      '1.2.3',
      'v1',
    ])
      assert.equal(resolvePlain(t), t, t);
  });

  it('never converts quoted, block or !!str scalars', () => {
    const v = parseYaml11('a: "0555"\nb: \'yes\'\nc: !!str on\nd: |\n  0555\ne: !!int "0x10"\n');
    assert.deepEqual(v, { a: '0555', b: 'yes', c: 'on', d: '0555\n', e: 16 });
  });

  it('turns non-string keys into strings the way sigs.k8s.io/yaml does (y: is the key "true")', () => {
    assert.deepEqual(parseYaml11('on: 1\ny: 2\n80: http\n1.5: x\nno: 3\n'), {
      true: 2,
      80: 'http',
      '1.5': 'x',
      false: 3,
    });
  });

  it('follows aliases and merge keys (later keys win)', () => {
    assert.deepEqual(parseYaml11('base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\nl: *b\n'), {
      base: { x: 1, z: 2 },
      m: { x: 1, z: 3 },
      l: { x: 1, z: 2 },
    });
  });

  it('splits a stream into documents, empty ones as null; refuses .inf (no JSON for it)', () => {
    assert.deepEqual(parseYaml11Documents('---\n# only a comment\n---\nkind: A\n'), [null, { kind: 'A' }]);
    assert.throws(() => parseYaml11('a: .inf\n'), /cannot be represented in JSON/);
    assert.throws(() => parseYaml11('a: [1\n'), /document 1/);
  });
});
