import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyPatch,
  applyRemove,
  applyReplace,
  formatPointer,
  PatchError,
  parsePointer,
  type Token,
} from '../../../src/controllers/clusterregistry/gopatch.ts';
import { deepFreeze } from '../../../src/controllers/clusterregistry/json.ts';

const key = (k: string, optional = false): Token => ({ kind: 'key', key: k, optional });

describe('parsePointer', () => {
  const cases: Array<[string, Token[]]> = [
    ['', []],
    ['/a/b', [key('a'), key('b')]],
    ['/', [key('')]],
    ['/list/0', [key('list'), { kind: 'index', index: 0 }]],
    ['/list/-1', [key('list'), { kind: 'index', index: -1 }]],
    ['/list/+2', [key('list'), { kind: 'index', index: 2 }]],
    ['/list/-', [key('list'), { kind: 'append' }]],
    // `-` only means append as the last token; elsewhere it is a key, as in go-patch.
    ['/-/a', [key('-'), key('a')]],
    ['/list/name=foo', [key('list'), { kind: 'match', key: 'name', value: 'foo', optional: false }]],
    ['/list/url=a=b', [key('list'), { kind: 'match', key: 'url', value: 'a=b', optional: false }]],
    ['/list/name=foo?', [key('list'), { kind: 'match', key: 'name', value: 'foo', optional: true }]],
    ['/a?', [key('a', true)]],
    ['/a/b?/c/d', [key('a'), key('b', true), key('c', true), key('d', true)]],
    [
      '/a?/name=x/c',
      [key('a', true), { kind: 'match', key: 'name', value: 'x', optional: true }, key('c', true)],
    ],
    // An index never carries `?`: `0?` is not a number, so it is a key.
    ['/0?', [key('0', true)]],
    ['/a~1b/c~0d/~01', [key('a/b'), key('c~d'), key('~1')]],
    [
      '/metadata/labels/app.kubernetes.io~1name',
      [key('metadata'), key('labels'), key('app.kubernetes.io/name')],
    ],
    ['/99999999999999999999', [key('99999999999999999999')]],
  ];
  for (const [text, tokens] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parsePointer(text).tokens, tokens);
    });
  }

  it('rejects a path without leading slash', () => {
    assert.throws(
      () => parsePointer('a/b'),
      (e: unknown) => e instanceof PatchError && /start with '\/'/.test(e.message),
    );
  });

  for (const text of ['', '/a/b', '/a?/b', '/a/0/-', '/a~1b/c~0d', '/l/name=x?/v', '/x/-1']) {
    it(`formats ${JSON.stringify(text)} back`, () => {
      assert.equal(formatPointer(parsePointer(text)), text);
    });
  }
});

const doc = deepFreeze({
  metadata: { name: 'n', labels: { app: 'a' } },
  spec: {
    list: [
      { name: 'a', v: 1 },
      { name: 'b', v: 2 },
    ],
    dup: [{ name: 'x' }, { name: 'x' }],
    str: 's',
  },
});

describe('applyReplace', () => {
  const cases: Array<[string, string, unknown, (out: typeof doc) => unknown, unknown]> = [
    ['existing key', '/metadata/name', 'm', (o) => o.metadata.name, 'm'],
    ['escaped key', '/metadata/labels/app', 'z', (o) => o.metadata.labels.app, 'z'],
    [
      'optional new key',
      '/metadata/labels/new?',
      'v',
      (o) => (o.metadata.labels as Record<string, string>).new,
      'v',
    ],
    ['index', '/spec/list/0/v', 9, (o) => o.spec.list[0]!.v, 9],
    ['negative index', '/spec/list/-1/v', 9, (o) => o.spec.list[1]!.v, 9],
    ['whole item by index', '/spec/list/1', 'x', (o) => o.spec.list[1], 'x'],
    ['append', '/spec/list/-', { name: 'c' }, (o) => o.spec.list[2], { name: 'c' }],
    ['matching item field', '/spec/list/name=b/v', 7, (o) => o.spec.list[1]!.v, 7],
    ['matching item itself', '/spec/list/name=a', { name: 'z' }, (o) => o.spec.list[0], { name: 'z' }],
    [
      'optional missing match, not last: new item',
      '/spec/list/name=c?/v',
      3,
      (o) => o.spec.list[2],
      { name: 'c', v: 3 },
    ],
    ['optional missing match, last: value appended', '/spec/list/name=c?', 'w', (o) => o.spec.list[2], 'w'],
    [
      'optional chain creates maps',
      '/spec/new?/deeper/deepest',
      1,
      (o) => (o.spec as Record<string, unknown>).new,
      { deeper: { deepest: 1 } },
    ],
    [
      'optional key then append creates array',
      '/spec/arr?/-',
      1,
      (o) => (o.spec as Record<string, unknown>).arr,
      [1],
    ],
    [
      'optional key then match creates array',
      '/spec/arr?/name=q/v',
      1,
      (o) => (o.spec as Record<string, unknown>).arr,
      [{ name: 'q', v: 1 }],
    ],
    ['root', '', { a: 1 }, (o) => o, { a: 1 }],
  ];
  for (const [title, path, value, pick, want] of cases) {
    it(title, () => {
      const out = applyReplace(doc, path, value) as typeof doc;
      assert.deepEqual(pick(out), want);
    });
  }

  it('does not share the value with the result', () => {
    const value = { deep: { x: 1 } };
    const out = applyReplace(doc, '/spec/v?', value) as { spec: { v: { deep: { x: number } } } };
    out.spec.v.deep.x = 2;
    assert.equal(value.deep.x, 1);
  });

  const errors: Array<[string, string, RegExp, string]> = [
    [
      'missing key',
      '/metadata/nope/x',
      /^Expected to find a map key 'nope' for path '\/metadata\/nope' \(found map keys: 'labels', 'name'\)$/,
      'nope',
    ],
    ['missing key lists its siblings', '/spec/list/0/none', /found map keys: 'name', 'v'/, 'none'],
    [
      'index out of range',
      '/spec/list/2',
      /^Expected to find array index '2' but found array of length '2' for path '\/spec\/list\/2'$/,
      '2',
    ],
    ['negative index out of range', '/spec/list/-3', /array index '-3'/, '-3'],
    [
      'key on an array',
      '/spec/list/name',
      /^Expected to find a map at path '\/spec\/list\/name' but found '\[\]interface \{\}'$/,
      'name',
    ],
    [
      'index on a map',
      '/metadata/0',
      /^Expected to find an array at path '\/metadata\/0' but found 'map\[string\]interface \{\}'$/,
      '0',
    ],
    [
      'key on a string',
      '/spec/str/x',
      /Expected to find a map at path '\/spec\/str\/x' but found 'string'/,
      'x',
    ],
    ['append on a map', '/metadata/-', /Expected to find an array at path '\/metadata\/-'/, '-'],
    [
      'no match',
      '/spec/list/name=zz/v',
      /^Expected to find exactly one matching array item for path '\/spec\/list\/name=zz' but found 0$/,
      'name=zz',
    ],
    ['several matches', '/spec/dup/name=x', /but found 2$/, 'name=x'],
    [
      'optional key followed by an index',
      '/spec/nope?/0',
      /^Expected to find key, matching index or after last index token at path '\/spec\/nope\?\/0'$/,
      '0',
    ],
  ];
  for (const [title, path, message, token] of errors) {
    it(`fails: ${title}`, () => {
      assert.throws(
        () => applyReplace(doc, path, 1),
        (e: unknown) => {
          assert.ok(e instanceof PatchError, String(e));
          assert.match(e.message, message);
          assert.equal(e.path, path);
          assert.equal(e.token, token);
          return true;
        },
      );
    });
  }
});

describe('applyRemove', () => {
  const cases: Array<[string, string, (out: typeof doc) => unknown, unknown]> = [
    ['key', '/metadata/labels/app', (o) => o.metadata.labels, {}],
    ['index', '/spec/list/0', (o) => o.spec.list, [{ name: 'b', v: 2 }]],
    ['negative index', '/spec/list/-1', (o) => o.spec.list, [{ name: 'a', v: 1 }]],
    ['matching item', '/spec/list/name=b', (o) => o.spec.list, [{ name: 'a', v: 1 }]],
    ['field of matching item', '/spec/list/name=b/v', (o) => o.spec.list[1], { name: 'b' }],
    ['optional missing key: no-op', '/spec/nope?/deeper', (o) => o, doc],
    ['optional missing match: no-op', '/spec/list/name=zz?', (o) => o, doc],
  ];
  for (const [title, path, pick, want] of cases) {
    it(title, () => {
      assert.deepEqual(pick(applyRemove(doc, path) as typeof doc), want);
    });
  }

  const errors: Array<[string, string, RegExp]> = [
    ['root', '', /^Cannot remove entire document$/],
    ['missing key', '/metadata/nope', /Expected to find a map key 'nope' for path '\/metadata\/nope'/],
    ['index out of range', '/spec/list/5', /array index '5' but found array of length '2'/],
    ['append token', '/spec/list/-', /Expected to not find token '-' at path '\/spec\/list\/-'/],
    ['no match', '/spec/list/name=q', /exactly one matching array item/],
    ['key on array', '/spec/list/x', /Expected to find a map at path/],
  ];
  for (const [title, path, message] of errors) {
    it(`fails: ${title}`, () => {
      assert.throws(
        () => applyRemove(doc, path),
        (e: unknown) => e instanceof PatchError && message.test(e.message),
      );
    });
  }
});

describe('applyPatch', () => {
  it('applies operations in order', () => {
    const out = applyPatch(doc, [
      { type: 'replace', path: '/metadata/labels/x?', value: '1' },
      { type: 'remove', path: '/metadata/labels/app' },
      { type: 'replace', path: '/spec/list/-', value: 3 },
    ]) as typeof doc;
    assert.deepEqual(out.metadata.labels, { x: '1' });
    assert.equal(out.spec.list.length, 3);
  });

  it('rejects an unknown operation type', () => {
    const bad = [{ type: 'move', path: '/a' }] as unknown as Parameters<typeof applyPatch>[1];
    assert.throws(() => applyPatch(doc, bad), PatchError);
  });
});

describe('gopatch property: only PatchError, never mutates', () => {
  const segment = fc.oneof(
    fc.constantFrom('a', 'b', 'name', '0', '1', '-1', '-', 'name=a', 'name=b?', 'a?', '~0', '~1', '', '?'),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'length',
      '99999999999999999999',
    ),
    fc.string({ maxLength: 6 }),
  );
  const path = fc
    .tuple(fc.boolean(), fc.array(segment, { maxLength: 6 }))
    .map(([slash, segs]) => (segs.length === 0 ? '' : (slash ? '/' : '') + segs.join('/')));
  const keyArb = fc.constantFrom('a', 'b', 'name', '0', '__proto__', 'constructor', '-');
  const { value: jsonish } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(fc.constantFrom('a', 'b', null, true, 0, 1.5), fc.string({ maxLength: 3 })),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(keyArb, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    ),
  }));

  it('holds for 1000 random paths and documents', () => {
    fc.assert(
      fc.property(jsonish, path, jsonish, fc.boolean(), (input, p, value, replace) => {
        const snapshot = structuredClone(input);
        const valueSnapshot = structuredClone(value);
        deepFreeze(input);
        deepFreeze(value);
        try {
          if (replace) applyReplace(input, p, value);
          else applyRemove(input, p);
        } catch (e) {
          if (!(e instanceof PatchError)) throw e;
        }
        assert.deepStrictEqual(input, snapshot);
        assert.deepStrictEqual(value, valueSnapshot);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes the value where a later parse of the same path finds it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c~1d', 'e~0'), { minLength: 1, maxLength: 4 }),
        (segs) => {
          const p = `/${segs[0]}?/${segs.slice(1).join('/')}`.replace(/\/$/, '');
          const out = applyReplace({}, p, 'v');
          // Reading back through the same keys, non-optionally, must succeed and find the value.
          const back = applyReplace(out, p.replace('?', ''), 'w');
          assert.notDeepEqual(out, back);
        },
      ),
      { numRuns: 200 },
    );
  });
});
