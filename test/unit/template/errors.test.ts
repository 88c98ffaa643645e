/**
 * Error cases and their messages. Execution errors are byte for byte what Go's text/template
 * (with sprig v3.3.0) reports; parse errors are Go's message at the offending token's line and
 * column, where Go prints only a line: Go's `template: t:1: unclosed action` is our
 * `template: t:1:5: unclosed action`. (Go's line is that of the last token its parser read,
 * which for a multi-line action can be a later line; in every case below it is the same.)
 * Columns are Go's: the 0-based byte offset within the line. Go's messages were recorded with
 * ./go-oracle.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate, renderTemplate, TemplateError } from '../../../src/template/index.ts';

function withMethods(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withMethods);
  if (v === null || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(v)) o[k] = withMethods(e);
  if ('__name' in o) o.GetName = () => o.__name;
  return o;
}

function errorOf(template: string, data: unknown = null): TemplateError {
  try {
    renderTemplate(template, data, { name: 't' });
  } catch (e) {
    assert.ok(e instanceof TemplateError, `expected a TemplateError, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(template)} to fail`);
}

describe('errors named in the brief', () => {
  it('unclosed action', () => {
    assert.equal(errorOf('{{ .x').message, 'template: t:1:5: unclosed action');
  });
  it('unknown function', () => {
    assert.equal(errorOf('{{ foo 1 }}').message, 'template: t:1:3: function "foo" not defined');
  });
  it('wrong argument count', () => {
    assert.equal(
      errorOf('{{ len 1 2 }}').message,
      'template: t:1:3: executing "t" at <len>: wrong number of args for len: want 1 got 2',
    );
  });
  it('undefined variable', () => {
    assert.equal(errorOf('{{ $x }}').message, 'template: t:1:3: undefined variable "$x"');
  });
});

describe('TemplateError', () => {
  it('carries name, line and column', () => {
    const e = errorOf('line one\n{{ if true }}\n  {{ .x | nosuchfn }}\n{{ end }}');
    assert.equal(e.templateName, 't');
    assert.equal(e.line, 3);
    assert.equal(e.col, 10);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'TemplateError');
  });
  it('counts columns in bytes, as Go does', () => {
    assert.equal(errorOf('é{{ nope }}').message, 'template: t:1:5: function "nope" not defined');
  });
  it('uses the default name "template"', () => {
    assert.throws(() => parseTemplate('{{'), { message: 'template: template:1:2: unclosed action' });
  });
  it('names the defined template being executed and the parse name in the location', () => {
    assert.equal(
      errorOf('{{ define "T" }}{{ .a.b }}{{ end }}{{ template "T" .x }}', { x: { a: null } }).message,
      'template: t:1:21: executing "T" at <.a.b>: nil pointer evaluating interface {}.b',
    );
  });
});

const ERRORS: Array<[string, unknown, string]> = [
  ['{{ .x', null, 'template: t:1:5: unclosed action'],
  ['{{ foo 1 }}', null, 'template: t:1:3: function "foo" not defined'],
  [
    '{{ len 1 2 }}',
    null,
    'template: t:1:3: executing "t" at <len>: wrong number of args for len: want 1 got 2',
  ],
  ['{{ $x }}', null, 'template: t:1:3: undefined variable "$x"'],
  ['{{ if 1 }}', null, 'template: t:1:10: unexpected EOF'],
  ['{{ end }}', null, 'template: t:1:3: unexpected {{end}}'],
  ['{{ else }}', null, 'template: t:1:8: unexpected {{else}}'],
  ['{{ if }}{{ end }}', null, 'template: t:1:6: missing value for if'],
  ['{{ ( }}', null, 'template: t:1:5: unclosed left paren'],
  ['{{ ) }}', null, 'template: t:1:3: unexpected right paren'],
  ['{{ 1x }}', null, 'template: t:1:3: bad number syntax: "1x"'],
  ['{{ "unterminated }}', null, 'template: t:1:3: unterminated quoted string'],
  ['{{/* abc }}', null, 'template: t:1:2: unclosed comment'],
  ['{{/* abc */ x }}', null, 'template: t:1:2: comment ends before closing delimiter'],
  ['{{ break }}', null, 'template: t:1:3: {{break}} outside {{range}}'],
  ['{{ .a. }}', null, 'template: t:1:5: unexpected <.> in operand'],
  ['{{ "a".b }}', null, 'template: t:1:6: unexpected . after term "\\"a\\""'],
  ['{{ a#b }}', null, "template: t:1:3: bad character U+0023 '#'"],
  ['{{ @ }}', null, 'template: t:1:3: unexpected "@" in command'],
  ['{{ 1 | 2 }}', null, 'template: t:1:7: non executable command in pipeline stage 2'],
  ['{{ $x := }}', null, 'template: t:1:3: missing value for command'],
  [
    '{{define "a"}}1{{end}}{{define "a"}}2{{end}}',
    null,
    'template: t:1:31: template: multiple definition of template "a"',
  ],
  ['{{if .x}}a{{define "z"}}{{end}}{{end}}', null, 'template: t:1:12: unexpected <define> in command'],
  ["{{ 'ab' }}", null, "template: t:1:3: malformed character constant: 'ab'"],
  [
    'line one\n{{ if true }}\n  {{ .x | nosuchfn }}\n{{ end }}',
    null,
    'template: t:3:10: function "nosuchfn" not defined',
  ],
  ['{{ with 1 }}\n{{ "abc\n }}{{ end }}', null, 'template: t:2:3: unterminated quoted string'],
  ['{{ $x = 1 }}', null, 'template: t:1:8: executing "t" at <1>: undefined variable: $x'],
  [
    '{{ template "nope" }}',
    null,
    'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined',
  ],
  ['{{ upper 3 }}', null, 'template: t:1:9: executing "t" at <3>: expected string; found 3'],
  [
    '{{ upper .missing }}',
    null,
    'template: t:1:9: executing "t" at <.missing>: invalid value; expected string',
  ],
  [
    '{{ upper .n }}',
    { n: 3 },
    'template: t:1:9: executing "t" at <.n>: wrong type for value; expected string; got int',
  ],
  ['{{ upper nil }}', null, 'template: t:1:9: executing "t" at <nil>: cannot assign nil to string'],
  [
    '{{ .a.b }}',
    { a: null },
    'template: t:1:5: executing "t" at <.a.b>: nil pointer evaluating interface {}.b',
  ],
  [
    '{{ .a.b.c }}',
    { a: { b: 's' } },
    'template: t:1:5: executing "t" at <.a.b.c>: can\'t evaluate field c in type interface {}',
  ],
  ['{{ .x 1 }}', { x: 1 }, 'template: t:1:3: executing "t" at <.x>: x is not a method but has arguments'],
  ['{{ "x" 1 }}', null, 'template: t:1:3: executing "t" at <"x">: can\'t give argument to non-function "x"'],
  ['{{ nil }}', null, 'template: t:1:3: executing "t" at <nil>: nil is not a command'],
  [
    '{{ eq 1 "1" }}',
    null,
    'template: t:1:3: executing "t" at <eq 1 "1">: error calling eq: incompatible types for comparison: int and string',
  ],
  [
    '{{ lt true false }}',
    null,
    'template: t:1:3: executing "t" at <lt true false>: error calling lt: invalid type for comparison',
  ],
  [
    '{{ index .l 5 }}',
    { l: [1, 2] },
    'template: t:1:3: executing "t" at <index .l 5>: error calling index: index out of range: 5',
  ],
  [
    '{{ index nil 1 }}',
    null,
    'template: t:1:3: executing "t" at <index nil 1>: error calling index: index of untyped nil',
  ],
  ['{{ len 3 }}', null, 'template: t:1:3: executing "t" at <len 3>: error calling len: len of type int'],
  [
    '{{ range "ab" }}{{ end }}',
    null,
    'template: t:1:9: executing "t" at <"ab">: range can\'t iterate over ab',
  ],
  [
    '{{ range $i, $v := 3 }}{{ end }}',
    null,
    'template: t:1:19: executing "t" at <3>: can\'t use 3 to iterate over more than one variable',
  ],
  [
    '{{ div 1 0 }}',
    null,
    'template: t:1:3: executing "t" at <div 1 0>: error calling div: runtime error: integer divide by zero',
  ],
  ['{{ fail "boom" }}', null, 'template: t:1:3: executing "t" at <fail "boom">: error calling fail: boom'],
  [
    '{{ substr 5 6 "abc" }}',
    null,
    'template: t:1:3: executing "t" at <substr 5 6 "abc">: error calling substr: runtime error: slice bounds out of range [5:3]',
  ],
  [
    '{{ repeat -1 "x" }}',
    null,
    'template: t:1:3: executing "t" at <repeat -1 "x">: error calling repeat: strings: negative Repeat count',
  ],
  [
    '{{ regexReplaceAll "(" "x" "y" }}',
    null,
    'template: t:1:3: executing "t" at <regexReplaceAll "(" "x" "y">: error calling regexReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`',
  ],
  [
    '{{ slice "abc" 1 }}',
    null,
    'template: t:1:3: executing "t" at <slice "abc" 1>: error calling slice: list should be type of slice or array but string',
  ],
  [
    '{{ .Object.GetName "x" }}',
    { Object: { __name: 'kafka' } },
    'template: t:1:10: executing "t" at <.Object.GetName>: wrong number of args for GetName: want 0 got 1',
  ],
  [
    '{{ printf }}',
    null,
    'template: t:1:3: executing "t" at <printf>: wrong number of args for printf: want at least 1 got 0',
  ],
  ['{{ trunc "a" "b" }}', null, 'template: t:1:9: executing "t" at <"a">: expected integer; found "a"'],
];

describe('error messages (Go 1.26 text/template + sprig v3.3.0)', () => {
  for (const [template, data, message] of ERRORS) {
    it(template, () => {
      assert.equal(errorOf(template, withMethods(data)).message, message);
    });
  }
});
