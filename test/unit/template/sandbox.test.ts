/**
 * The sandbox: bounded steps, output and template depth; no clock, randomness, environment or
 * I/O functions; no way from a template to JavaScript internals (prototypes, constructors).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate, renderTemplate, TemplateError } from '../../../src/template/index.ts';

function failsWith(template: string, pattern: RegExp, data: unknown = null, opts = {}): void {
  assert.throws(
    () => renderTemplate(template, data, opts),
    (e: unknown) => {
      assert.ok(e instanceof TemplateError, `not a TemplateError: ${String(e)}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('limits', () => {
  it('stops runaway nested ranges at maxSteps', () => {
    const started = Date.now();
    failsWith(
      '{{ range 1000000 }}{{ range 1000000 }}{{ end }}{{ end }}',
      /exceeded the limit of 100000 steps \(maxSteps\)/,
    );
    assert.ok(Date.now() - started < 5000);
  });

  it('honours a custom maxSteps', () => {
    assert.equal(renderTemplate('{{ range 5 }}.{{ end }}', null, { maxSteps: 50 }), '.....');
    failsWith('{{ range 100 }}.{{ end }}', /limit of 50 steps/, null, { maxSteps: 50 });
  });

  it('charges derivePassword (scrypt, 32 MiB) a quarter of the steps: a loop stops at the fifth call', () => {
    const started = Date.now();
    failsWith(
      '{{ range 1000 }}{{ derivePassword 1 "long" "pw" "user" "site" }}{{ end }}',
      /^template: t:1:\d+: executing "t" at <derivePassword 1 "long" "pw" "user" "site">: evaluation exceeded the limit of 100000 steps \(maxSteps\)$/,
      null,
      { name: 't' },
    );
    // Four calls ran (about 0.1 s of CPU each), not a thousand.
    assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
    assert.equal(
      renderTemplate('{{ derivePassword 1 "long" "password" "user" "example.com" }}', null),
      'ZedaFaxcZaso9*',
    );
  });

  it('charges deepCopy a step per element copied', () => {
    // 2,000 elements copied 100 times is 200,000 steps: over the limit although the loop is short.
    failsWith(
      '{{ $l := until 2000 }}{{ range 100 }}{{ $c := deepCopy $l }}{{ end }}',
      /at <deepCopy \$l>: evaluation exceeded the limit of 100000 steps \(maxSteps\)/,
    );
    assert.equal(
      renderTemplate('{{ $l := until 20 }}{{ range 10 }}{{ $c := deepCopy $l }}{{ end }}ok', null),
      'ok',
    );
  });

  it('stops wrapWith with a long separator before it outgrows the output limit', () => {
    const started = Date.now();
    failsWith(
      '{{ wrapWith 1 (repeat 100000 "y") (repeat 100000 "x") }}',
      /at <wrapWith 1 \(repeat 100000 "y"\) \(repeat 100000 "x"\)>: result of more than 1048576 bytes exceeds the output limit of 1048576 bytes/,
    );
    assert.ok(Date.now() - started < 5000);
  });

  it('re-cases long text in linear time', () => {
    const started = Date.now();
    const long = 'HTTPServer2xx_foo-Bar baz '.repeat(4000);
    assert.equal(renderTemplate('{{ snakecase .s | len }}', { s: long }), String(4000 * 28));
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  });

  it('refuses a huge repeat before building it', () => {
    failsWith(
      '{{ repeat 100000000 "x" }}',
      /result of 100000000 bytes exceeds the output limit of 1048576 bytes/,
    );
  });

  it('stops output at maxOutputBytes', () => {
    failsWith(
      '{{ range 2000 }}{{ repeat 1000 "x" }}{{ end }}',
      /output exceeded the limit of 1048576 bytes \(maxOutputBytes\)/,
    );
    assert.equal(renderTemplate('{{ repeat 10 "é" }}', null, { maxOutputBytes: 20 }), 'éééééééééé');
    failsWith('{{ repeat 11 "é" }}', /maxOutputBytes/, null, { maxOutputBytes: 20 });
  });

  it('stops values that double themselves', () => {
    // Whichever comes first: the steps charged for building big strings, or their size.
    const doubling = '{{ $v := "aaaaaaaa" }}{{ range 40 }}{{ $v = printf "%s%s" $v $v }}{{ end }}';
    failsWith(doubling, /maxSteps|exceeds the output limit/);
    failsWith(doubling, /exceeds the output limit/, null, { maxSteps: 10_000_000 });
    failsWith(
      '{{ $l := list 1 }}{{ range 60 }}{{ $l = list $l $l }}{{ end }}{{ toJson $l }}',
      /exceeds the output limit/,
    );
    failsWith('{{ $l := list 1 }}{{ range 60 }}{{ $l = list $l $l }}{{ end }}{{ $l }}', /maxOutputBytes/);
  });

  it('charges steps for work on big strings and lists, so loops over them stop early', () => {
    const started = Date.now();
    failsWith('{{ $s := repeat 1000000 "a" }}{{ range 100000 }}{{ len $s }}{{ end }}', /maxSteps/);
    failsWith('{{ splitList "" (repeat 500000 "a") | sortAlpha | len }}', /maxSteps/);
    failsWith('{{ fromYaml (repeat 100000 "- a\\n") }}', /fromYaml input exceeds 262144 characters/);
    assert.ok(Date.now() - started < 5000);
  });

  it('bounds recursion through {{template}}', () => {
    failsWith(
      '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}',
      /exceeded maximum template depth \(100\)/,
    );
    failsWith('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', /depth \(3\)/, null, {
      maxDepth: 3,
    });
  });

  it('bounds nesting depth while parsing', () => {
    failsWith(`{{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}`, /max expression depth exceeded/);
    failsWith(`${'{{ if 1 }}'.repeat(5000)}${'{{ end }}'.repeat(5000)}`, /max expression depth exceeded/);
  });

  it('reports cyclic values instead of looping', () => {
    failsWith('{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ $d }}', /nested too deeply/);
    // Go's toJson returns "" for a cycle; sdm says why instead of returning nothing.
    failsWith('{{ $d := dict }}{{ $_ := set $d "self" $d }}[{{ toJson $d }}]', /too deep to encode/);
    failsWith('{{ $d := dict }}{{ $_ := set $d "self" $d }}[{{ toYaml $d }}]', /too deep to encode/);
  });

  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const started = Date.now();
    const t = '{{ regexMatch "^(a+)+$" (printf "%sb" (repeat 100000 "a")) }}';
    assert.equal(renderTemplate(t, null), 'false');
    assert.ok(Date.now() - started < 2000);
  });
});

describe('big and deep inputs: bounded, and never a silently empty result', () => {
  it('encodes values nested past 200 levels, and fails with a message past 1000', () => {
    const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    assert.equal(renderTemplate('{{ toJson (fromJson .j) }}', { j: deep(300) }), deep(300));
    assert.equal(renderTemplate('{{ toYaml (fromJson .j) | len }}', { j: deep(300) }), String(2 * 300));
    failsWith('{{ toJson (fromJson .j) }}', /nested more than 1000 levels deep: too deep to encode/, {
      j: deep(1100),
    });
    failsWith('{{ toYaml (fromJson .j) }}', /too deep to encode/, { j: deep(1100) });
  });

  it("refuses a deeply nested YAML document up front, in fromYaml's Error entry", () => {
    const out = renderTemplate('{{ fromYaml .y }}', { y: `${'['.repeat(130_000)}${']'.repeat(130_000)}` });
    assert.equal(out, 'map[Error:error converting YAML to JSON: yaml: exceeded max depth of 500]');
    const dashes = renderTemplate('{{ fromYaml .y }}', { y: `${'- '.repeat(600)}x` });
    assert.match(dashes, /exceeded max depth of 500/);
    // Ordinary nesting still parses.
    assert.equal(
      renderTemplate('{{ fromYaml .y }}', { y: 'a:\n  b:\n    - [1, {c: d}]' }),
      'map[a:map[b:[[1 map[c:d]]]]]',
    );
  });

  it('decodes long quoted literals in one pass, escapes and raw bytes included', () => {
    const n = 200_000;
    const t = `{{ "${'a\\n'.repeat(n)}\\xc3\\xa9\\u00e9" | len }}`;
    assert.equal(renderTemplate(t, null, { maxSteps: 10_000_000 }), String(2 * n + 4));
  });

  it('refuses a template over maxTemplateBytes before parsing it', () => {
    failsWith(
      `{{ "${'x'.repeat(2 * 1024 * 1024)}" }}`,
      /the template is 2097160 bytes, over the limit of 1048576 bytes \(maxTemplateBytes\)/,
    );
    assert.equal(renderTemplate('{{ "abc" }}', null, { maxTemplateBytes: 11 }), 'abc');
  });
});

describe('no clock, randomness, environment or I/O', () => {
  for (const name of [
    'now',
    'date',
    'uuidv4',
    'randAlphaNum',
    'randInt',
    'env',
    'expandenv',
    'getHostByName',
  ]) {
    it(`refuses ${name} by design, and says so`, () => {
      assert.throws(() => parseTemplate(`{{ ${name} }}`), {
        message: new RegExp(
          `^template: template:1:3: function "${name}" is refused by design: it (reads|is|does) .*, and sdm templates must render the same output on every reconcile$`,
        ),
      });
    });
  }

  it('has no call (templates receive no function values)', () => {
    assert.throws(() => parseTemplate('{{ call }}'), {
      message: 'template: template:1:3: function "call" not defined',
    });
  });

  it('renders the same output every time', () => {
    const t = parseTemplate(
      '{{ range $k, $v := . }}{{ $k }}={{ $v | toJson }};{{ end }}{{ keys . | join "," }}',
    );
    const data = { z: [1, 2], a: { y: 1, x: 2 }, m: 'q' };
    const first = renderTemplate(t, data);
    for (let i = 0; i < 5; i++) assert.equal(renderTemplate(t, data), first);
    assert.equal(first, 'a={"x":2,"y":1};m="q";z=[1,2];a,m,z');
  });
});

describe('no way out to JavaScript', () => {
  it('does not see prototype members of plain objects', () => {
    assert.equal(
      renderTemplate('{{ .constructor }}|{{ .toString }}|{{ .__proto__ }}|{{ .hasOwnProperty }}', {}),
      '<no value>|<no value>|<no value>|<no value>',
    );
  });

  it('does not expose constructors or Object.prototype methods of class instances', () => {
    class K {
      name = 'n';
      GetName(): string {
        return 'k';
      }
    }
    assert.equal(renderTemplate('{{ .o.GetName }}/{{ .o.name }}', { o: new K() }), 'k/n');
    failsWith('{{ .o.constructor }}', /can't evaluate field constructor/, { o: new K() });
    failsWith('{{ .o.toString }}', /can't evaluate field toString/, { o: new K() });
  });

  it('does not call Map or Array methods', () => {
    const m = new Map([['a', 1]]);
    assert.equal(renderTemplate('{{ .m.get }}|{{ .m.size }}|{{ .m.a }}', { m }), '<no value>|<no value>|1');
    failsWith('{{ .l.push }}', /can't evaluate field push in type interface \{\}/, { l: [1] });
    failsWith('{{ .s.length }}', /can't evaluate field length/, { s: 'abc' });
  });

  it('treats "__proto__" as an ordinary key', () => {
    assert.equal(
      renderTemplate('{{ dict "__proto__" 1 }}|{{ set (dict) "__proto__" 5 }}', null),
      'map[__proto__:1]|map[__proto__:5]',
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    renderTemplate('{{ $d := dict }}{{ $_ := set $d "__proto__" (dict "polluted" 1) }}', null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
