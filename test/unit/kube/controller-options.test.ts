import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../../src/apis/schema.ts';
import { type ControllerEntry, defineController } from '../../../src/kube/controller-entry.ts';
import { describeOptions, parseSetFlags, resolveOptions } from '../../../src/kube/controller-options.ts';

const registered: unknown[] = [];
const alpha = defineController({
  name: 'alpha',
  description: 'a',
  options: Type.Object({
    namespace: Type.Optional(Type.String({ minLength: 1 })),
    intervalMs: Type.Integer({
      minimum: 1,
      default: 1000,
      env: 'ALPHA_INTERVAL_MS',
      aliases: ['interval-ms'],
    }),
    enabled: Type.Boolean({ default: true }),
    mode: Type.Optional(StringEnum(['fast', 'safe'], { env: 'ALPHA_MODE' })),
    usages: Type.Optional(Type.Array(Type.String())),
  }),
  register(_m, options) {
    // Typed: options.intervalMs is a number here.
    registered.push(options.intervalMs + 0);
  },
});
const beta = defineController({
  name: 'beta',
  description: 'b',
  options: Type.Object({ namespace: Type.Optional(Type.String()) }),
  register() {},
});
const entries = [alpha, beta] as ControllerEntry[];
const sets = (...kv: string[]) => parseSetFlags(kv);

describe('controller options', () => {
  it('defaults when nothing is set, and converts text by the schema type', () => {
    assert.deepEqual(resolveOptions(entries, [], {}).get('alpha'), { intervalMs: 1000, enabled: true });
    const o = resolveOptions(
      entries,
      sets('alpha.intervalMs=250', 'alpha.enabled=false', 'alpha.mode=safe', 'alpha.usages=a, b,,c'),
      {},
    ).get('alpha');
    assert.deepEqual(o, { intervalMs: 250, enabled: false, mode: 'safe', usages: ['a', 'b', 'c'] });
  });

  it('the namespaced key wins over an older un-prefixed one or alias, which win over the environment', () => {
    const env = { ALPHA_INTERVAL_MS: '7', ALPHA_MODE: 'fast' };
    assert.equal(resolveOptions(entries, [], env).get('alpha')?.intervalMs, 7);
    assert.equal(resolveOptions(entries, [], env).get('alpha')?.mode, 'fast');
    assert.equal(resolveOptions(entries, sets('interval-ms=8'), env).get('alpha')?.intervalMs, 8);
    assert.equal(
      resolveOptions(entries, sets('intervalMs=9', 'interval-ms=8'), env).get('alpha')?.intervalMs,
      9,
    );
    assert.equal(
      resolveOptions(entries, sets('alpha.intervalMs=10', 'intervalMs=9'), env).get('alpha')?.intervalMs,
      10,
    );
    assert.equal(resolveOptions(entries, [], { ALPHA_INTERVAL_MS: '' }).get('alpha')?.intervalMs, 1000);
  });

  it('an un-prefixed key goes to every running controller that declares it', () => {
    const r = resolveOptions(entries, sets('namespace=ns1', 'beta.namespace=ns2'), {});
    assert.equal(r.get('alpha')?.namespace, 'ns1');
    assert.equal(r.get('beta')?.namespace, 'ns2');
  });

  it('bad values, unknown keys and keys of controllers not running are refused, all named in one message', () => {
    assert.throws(
      () =>
        resolveOptions(
          entries,
          sets(
            'alpha.intervalMs=soon',
            'alpha.mode=quick',
            'alpha.enabled=yes',
            'alpha.bogus=1',
            'gamma.x=1',
          ),
          { ALPHA_INTERVAL_MS: '0' },
        ),
      (err: Error) => {
        assert.match(
          err.message,
          /--set alpha\.intervalMs=soon: alpha\.intervalMs must be a number, got "soon"/,
        );
        assert.match(err.message, /--set alpha\.mode=quick: alpha\.mode must be one of fast, safe/);
        assert.match(err.message, /alpha\.enabled must be true or false, got "yes"/);
        assert.match(
          err.message,
          /--set alpha\.bogus: unknown option \(known: alpha\.namespace, alpha\.intervalMs/,
        );
        assert.match(err.message, /--set gamma\.x: controller gamma is not running \(running: alpha, beta\)/);
        return true;
      },
    );
    assert.throws(
      () => resolveOptions(entries, [], { ALPHA_INTERVAL_MS: '0' }),
      /\$ALPHA_INTERVAL_MS=0: alpha\.intervalMs must be an integer >= 1/,
    );
    assert.throws(() => parseSetFlags(['novalue']), /--set novalue: expected key=value/);
  });

  it('describes each option with its type, default, environment variable and older keys', () => {
    const lines = describeOptions(alpha as ControllerEntry);
    assert.ok(
      lines.includes(
        '--set alpha.intervalMs=<integer>  (default 1000)  [env ALPHA_INTERVAL_MS]  [also interval-ms]',
      ),
      lines.join('\n'),
    );
    assert.ok(lines.includes('--set alpha.mode=<fast|safe>  [env ALPHA_MODE]'), lines.join('\n'));
  });
});
