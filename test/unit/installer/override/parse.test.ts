import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parsedOnWorker,
  parseOverride,
  prepareOverride,
  WORKER_MIN_CHARS,
} from '../../../../src/installer/override/parse.ts';
import { parseValuesOverride } from '../../../../src/installer/values.ts';

function big(keys: number, extra = ''): string {
  const lines = ['unused:'];
  for (let i = 0; i < keys; i++) lines.push(`  key${i}: {a: v-${i}, b: [${i}, 2]}`);
  return `${lines.join('\n')}\n${extra}`;
}

describe('valuesOverride parsed once, big ones off the event loop', () => {
  it('parses a big override on a worker thread, with the same result as on the loop', async () => {
    const text = big(2000, 'replicaCount: 3');
    assert.ok(text.length > WORKER_MIN_CHARS);
    const before = parsedOnWorker.count;
    let ticks = 0;
    let on = true;
    const ticker = (async () => {
      while (on) {
        await new Promise((r) => setImmediate(r));
        ticks++;
      }
    })();
    await prepareOverride(text, 'spec.kafkaMinion');
    on = false;
    await ticker;
    assert.equal(parsedOnWorker.count, before + 1);
    assert.ok(ticks > 0, 'the event loop ran while the worker parsed');
    const cached = parseOverride(text, 'spec.kafkaMinion');
    assert.deepEqual(cached, parseValuesOverride(text, 'spec.kafkaMinion'));
    assert.equal(parseOverride(text, 'spec.kafkaMinion'), cached, 'no second parse');
    await prepareOverride(text, 'spec.kafkaMinion');
    assert.equal(parsedOnWorker.count, before + 1, 'known texts are not parsed again');
  });

  it('carries the errors back from the worker, naming the place', async () => {
    const text = big(2000, 'x: .nan');
    await prepareOverride(text, 'spec.supertubes');
    const r = parseOverride(text, 'spec.supertubes');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /^spec\.supertubes\.valuesOverride: x: \.nan/);
    const bad = big(2000, 'y: [unclosed');
    await prepareOverride(bad, 'spec.supertubes');
    const b = parseOverride(bad, 'spec.supertubes');
    assert.match(!b.ok ? b.error : '', /is not valid YAML at line \d+/);
  });

  it('keys the cache by block too (the message names it)', () => {
    const a = parseOverride('x: .inf', 'spec.a');
    const b = parseOverride('x: .inf', 'spec.b');
    assert.match(!a.ok ? a.error : '', /^spec\.a\./);
    assert.match(!b.ok ? b.error : '', /^spec\.b\./);
  });
});
