import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { WorkQueue } from '../../../src/kube/workqueue.ts';

/** Let pending promise callbacks run (setImmediate is not faked). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WorkQueue', () => {
  it('de-duplicates: a key added many times is handed out once', async () => {
    const q = new WorkQueue();
    for (let i = 0; i < 100; i++) q.add('ns/a');
    q.add('ns/b');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'ns/a');
    assert.equal(await q.get(), 'ns/b');
    assert.equal(q.len(), 0);
  });

  it('never hands out a key that is being processed; a re-add is queued after done()', async () => {
    const q = new WorkQueue();
    q.add('k');
    const first = await q.get();
    assert.equal(first, 'k');
    q.add('k');
    q.add('k');
    assert.equal(q.len(), 0, 'held back while a worker has it');
    let second: string | undefined;
    void q.get().then((k) => {
      second = k;
    });
    await flush();
    assert.equal(second, undefined, 'a second worker must not get the same key');
    q.done('k');
    await flush();
    assert.equal(second, 'k', 'reconciled again after the in-flight one');
    q.done('k');
    assert.equal(q.len(), 0, 'and only once more');
  });

  it('waiting workers are woken in turn by adds', async () => {
    const q = new WorkQueue();
    const got: (string | undefined)[] = [];
    const a = q.get().then((k) => got.push(k));
    const b = q.get().then((k) => got.push(k));
    q.add('x');
    q.add('y');
    await Promise.all([a, b]);
    assert.deepEqual(got.sort(), ['x', 'y']);
  });

  describe('with fake timers', () => {
    beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
    afterEach(() => mock.timers.reset());

    it('addAfter queues the key after the delay, keeping the earliest deadline', () => {
      const q = new WorkQueue();
      q.addAfter('k', 1000);
      q.addAfter('k', 5000); // later: ignored
      mock.timers.tick(999);
      assert.equal(q.len(), 0);
      mock.timers.tick(1);
      assert.equal(q.len(), 1);
      mock.timers.tick(10_000);
      assert.equal(q.len(), 1, 'the later deadline did not add it again');

      const r = new WorkQueue();
      r.addAfter('k', 5000);
      r.addAfter('k', 100); // earlier: replaces
      mock.timers.tick(100);
      assert.equal(r.len(), 1);
    });

    it('addRateLimited backs off exponentially per key from 5 ms, capped, reset by forget', () => {
      const q = new WorkQueue();
      const delays = Array.from({ length: 5 }, () => q.addRateLimited('k'));
      assert.deepEqual(delays, [5, 10, 20, 40, 80]);
      assert.equal(q.addRateLimited('other'), 5, 'backoff is per key');
      assert.equal(q.numRequeues('k'), 5);
      for (let i = 0; i < 40; i++) q.addRateLimited('k');
      assert.equal(q.addRateLimited('k'), 1_000_000, 'capped at 1000 s');
      q.forget('k');
      assert.equal(q.addRateLimited('k'), 5);
    });

    it('backoff base and cap are configurable', () => {
      const q = new WorkQueue({ backoff: { baseMs: 100, maxMs: 300 } });
      assert.deepEqual(
        [q.addRateLimited('k'), q.addRateLimited('k'), q.addRateLimited('k')],
        [100, 200, 300],
      );
    });
  });

  it('shutdown: waiting workers get undefined, queued and delayed keys are dropped, in-flight keys drain', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.addAfter('c', 60_000);
    const held = await q.get();
    assert.equal(held, 'a');
    q.shutdown();
    assert.equal(await q.get(), undefined);
    q.add('d');
    assert.equal(q.len(), 0, 'no adds after shutdown');
    let drained = false;
    const d = q.drained().then(() => {
      drained = true;
    });
    await flush();
    assert.equal(drained, false, 'waits for the in-flight key');
    q.done('a');
    await d;
    assert.equal(drained, true);
  });
});
