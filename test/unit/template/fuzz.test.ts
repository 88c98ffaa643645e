/**
 * Property tests: whatever the input, rendering terminates and either returns a string or throws
 * a TemplateError — never anything else (no TypeError from a bad tree, no stack overflow
 * escaping, no hang). Inputs are random strings, random soups of template tokens, and random
 * well-formed templates that exercise evaluation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { renderTemplate, TemplateError } from '../../../src/template/index.ts';

class Obj {
  readonly Spec = { ClusterID: 'c1', Replicas: 3 };
  GetName(): string {
    return 'kafka';
  }
  Join(a: unknown, b: unknown): string {
    return `${String(a)}-${String(b)}`;
  }
}

const DATA = {
  a: { b: [1, 'x', null], c: { d: true } },
  b: 2,
  f: 2.5,
  s: 'héllo',
  e: '',
  l: [3, 1, 2],
  m: { z: 'q', k: null, n: { deep: [{}] } },
  n: null,
  Object: new Obj(),
};

/** Small limits keep each run fast; the point is that they are enforced, not their size. */
const OPTS = { maxSteps: 20_000, maxOutputBytes: 64 * 1024, maxDepth: 20 };

function renderOrTemplateError(template: string): void {
  try {
    const out = renderTemplate(template, DATA, OPTS);
    assert.equal(typeof out, 'string');
  } catch (e) {
    if (!(e instanceof TemplateError)) {
      assert.fail(
        `non-TemplateError for ${JSON.stringify(template)}: ${e instanceof Error ? e.stack : String(e)}`,
      );
    }
  }
}

const TOKENS = [
  '{{',
  '}}',
  '{{-',
  '-}}',
  '{{- ',
  ' -}}',
  ' ',
  '\n',
  '.',
  '.a',
  '.b',
  '.a.b',
  '.l',
  '.m',
  '.n.x',
  '.Object.GetName',
  '.Object.Spec.ClusterID',
  '.Object.Join',
  '$',
  '$x',
  '$i',
  '$v',
  ':=',
  '=',
  '|',
  '(',
  ')',
  ',',
  '"s"',
  '"%v"',
  '"%d %s"',
  '`raw`',
  "'c'",
  '1',
  '-2',
  '3.5',
  '0x1F',
  '1e3',
  'true',
  'false',
  'nil',
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
  '"T"',
  'printf',
  'print',
  'println',
  'len',
  'index',
  'slice',
  'eq',
  'ne',
  'lt',
  'and',
  'or',
  'not',
  'html',
  'js',
  'urlquery',
  'quote',
  'upper',
  'default',
  'list',
  'dict',
  'set',
  'get',
  'toJson',
  'toYaml',
  'trunc',
  'repeat',
  'add',
  'div',
  'mod',
  'regexMatch',
  'regexReplaceAll',
  '"(a+)+$"',
  '"[a-"',
  'sha256sum',
  'b64dec',
  'substr',
  'indent',
  '/*',
  '*/',
  'text',
  '#',
  '@',
  '\\',
  '"',
  '`',
  "'",
];

/** Well-formed templates built from expressions and control structures. */
const OPERANDS = [
  '.',
  '.a',
  '.b',
  '.f',
  '.s',
  '.e',
  '.l',
  '.m',
  '.n',
  '.missing',
  '.a.b',
  '.m.n.deep',
  '$',
  '$.l',
  '"s"',
  '""',
  '1',
  '0',
  '-3',
  '2.5',
  'true',
  'nil',
  "'x'",
  '.Object.GetName',
  '.Object.Spec',
  '(.Object.Join 1 2)',
];
const FUNCS: Array<[string, number]> = [
  ['printf "%v %d %s %q %x %5.2f"', 2],
  ['print', 2],
  ['len', 1],
  ['index', 2],
  ['slice', 2],
  ['eq', 2],
  ['lt', 2],
  ['and', 2],
  ['or', 2],
  ['not', 1],
  ['html', 1],
  ['js', 1],
  ['urlquery', 1],
  ['quote', 2],
  ['upper', 1],
  ['default', 2],
  ['empty', 1],
  ['coalesce', 2],
  ['list', 2],
  ['dict', 2],
  ['toJson', 1],
  ['toYaml', 1],
  ['fromYaml', 1],
  ['toString', 1],
  ['trunc', 2],
  ['repeat', 2],
  ['add', 2],
  ['div', 2],
  ['mod', 2],
  ['max', 2],
  ['int', 1],
  ['atoi', 1],
  ['join ","', 1],
  ['splitList ","', 1],
  ['sha256sum', 1],
  ['b64enc', 1],
  ['b64dec', 1],
  ['substr', 3],
  ['indent', 2],
  ['replace', 3],
  ['ternary', 3],
  ['hasKey', 2],
  ['get', 2],
  ['keys', 1],
  ['sortAlpha', 1],
  ['regexMatch', 2],
  ['regexReplaceAll', 3],
  ['fromJson', 1],
  ['title', 1],
  ['nospace', 1],
  ['cat', 2],
  ['required', 2],
  ['fail', 1],
  // issue 12's sprig functions
  ['base', 1],
  ['clean', 1],
  ['osDir', 1],
  ['ext', 1],
  ['camelcase', 1],
  ['snakecase', 1],
  ['kebabcase', 1],
  ['swapcase', 1],
  ['initials', 1],
  ['untitle', 1],
  ['addf', 2],
  ['divf', 2],
  ['mulf', 2],
  ['maxf', 2],
  ['round', 2],
  ['biggest', 2],
  ['toDecimal', 1],
  ['abbrev', 2],
  ['abbrevboth', 3],
  ['wrap', 2],
  ['wrapWith', 3],
  ['plural', 3],
  ['b32dec', 1],
  ['all', 2],
  ['any', 2],
  ['chunk', 2],
  ['mustSlice', 3],
  ['values', 1],
  ['deepCopy', 1],
  ['toStrings', 1],
  ['typeIsLike', 2],
  ['duration', 1],
  ['durationRound', 1],
  ['derivePassword', 5],
  ['decryptAES', 2],
  ['urlParse', 1],
  ['urlJoin', 1],
  ['mustFromJson', 1],
];

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...OPERANDS),
    // Mostly the right number of arguments, so that evaluation gets past the arity check.
    fc
      .tuple(fc.constantFrom(...FUNCS), fc.array(tie('e'), { maxLength: 3 }), fc.boolean())
      .map(
        ([[f, n], args, exact]) =>
          `(${f} ${(exact ? args.concat(args, args, args).slice(0, n) : args).join(' ')})`,
      ),
    fc.tuple(tie('e'), fc.constantFrom(...FUNCS)).map(([a, [f]]) => `(${a} | ${f})`),
  ),
})).e;

const block: fc.Arbitrary<string> = fc.letrec<{ b: string }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    expr.map((e) => `{{ ${e} }}`),
    fc.constantFrom('text', ' ', '\n', '{{/* c */}}', '{{- " t " -}}', '{{ template "T" .a }}'),
    fc.tuple(expr, tie('b'), tie('b')).map(([c, t, f]) => `{{ if ${c} }}${t}{{ else }}${f}{{ end }}`),
    fc.tuple(expr, tie('b')).map(([c, t]) => `{{ with $w := ${c} }}${t}{{ else }}-{{ end }}`),
    fc
      .tuple(fc.constantFrom('.l', '.m', '3', '.a.b', '.missing', '(list 1 2)', '.s', '100000'), tie('b'))
      .map(
        ([c, t]) => `{{ range $v := ${c} }}[{{ $v }}]${t}{{ if eq (len $) 9 }}{{ break }}{{ end }}{{ end }}`,
      ),
    fc.tuple(expr, tie('b')).map(([e, t]) => `{{ $x := ${e} }}${t}{{ $x = ${e} }}{{ $x }}`),
    fc.tuple(tie('b'), tie('b')).map(([a, b]) => a + b),
  ),
})).b;

/** A whole template: a definition of "T" (which the body may call, even recursively) and a body. */
const body: fc.Arbitrary<string> = fc
  .tuple(block, block)
  .map(([t, b]) => `{{ define "T" }}${t}{{ end }}${b}`);

describe('fuzz: never throws anything but TemplateError, always terminates', () => {
  it('random strings', { timeout: 120_000 }, () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), renderOrTemplateError), { numRuns: 1000 });
  });

  it('random strings around template delimiters', { timeout: 120_000 }, () => {
    const arb = fc
      .array(
        fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('{{', '}}', '{{-', '-}}', '(', ')', '|')),
        {
          maxLength: 12,
        },
      )
      .map((parts) => parts.join(''));
    fc.assert(fc.property(arb, renderOrTemplateError), { numRuns: 1000 });
  });

  it('token soups', { timeout: 120_000 }, () => {
    const arb = fc
      .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom('', ' ')), { maxLength: 30 })
      .map((parts) => parts.map(([t, s]) => t + s).join(''));
    fc.assert(fc.property(arb, renderOrTemplateError), { numRuns: 2000 });
  });

  it('well-formed templates', { timeout: 120_000 }, () => {
    fc.assert(fc.property(body, renderOrTemplateError), { numRuns: 1500 });
  });
});
