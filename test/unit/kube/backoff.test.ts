import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JitterBackoff, KeyBackoff } from '../../../src/kube/backoff.ts';

describe('KeyBackoff', () => {
  it('doubles per failure from 5 ms to a 1000 s ceiling, independently per key', () => {
    const b = new KeyBackoff();
    const seq = Array.from({ length: 30 }, () => b.when('a'));
    assert.deepEqual(seq.slice(0, 4), [5, 10, 20, 40]);
    assert.equal(Math.max(...seq), 1_000_000);
    assert.equal(seq.at(-1), 1_000_000);
    assert.equal(b.when('b'), 5);
    b.forget('a');
    assert.equal(b.numRequeues('a'), 0);
    assert.equal(b.when('a'), 5);
  });

  it('does not overflow to NaN/Infinity after very many failures', () => {
    const b = new KeyBackoff();
    for (let i = 0; i < 5000; i++) b.when('k');
    assert.equal(b.when('k'), 1_000_000);
  });
});

describe('JitterBackoff', () => {
  it('grows exponentially within [d, d*(1+jitter)) and resets', () => {
    const low = new JitterBackoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 });
    assert.deepEqual(
      Array.from({ length: 6 }, () => low.next()),
      [100, 200, 400, 800, 1000, 1000],
    );
    const high = new JitterBackoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.999 });
    const first = high.next();
    assert.ok(first >= 149 && first < 150);
    high.reset();
    assert.ok(high.next() < 150);
  });
});
