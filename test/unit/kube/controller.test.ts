import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Controller } from '../../../src/kube/controller.ts';
import { TerminalError } from '../../../src/kube/errors.ts';
import { RuntimeMetrics } from '../../../src/kube/metrics.ts';
import type { Request } from '../../../src/kube/types.ts';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Advances fake time 1 ms at a time, letting async work run, until done() or the limit. */
async function advance(ms: number, done: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < ms && !done(); i++) {
    mock.timers.tick(1);
    await flush();
  }
}

async function reconcileCounts(metrics: RuntimeMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.reconcileTotal.get()).values) out[String(v.labels.result)] = v.value;
  return out;
}

describe('Controller', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
  afterEach(() => mock.timers.reset());

  it('retries a failing reconcile with growing delays, then stops retrying once it succeeds', async () => {
    const calls: number[] = [];
    const metrics = new RuntimeMetrics();
    const c = new Controller({
      name: 't',
      metrics,
      reconciler: async () => {
        calls.push(Date.now());
        if (calls.length <= 4) throw new Error('transient');
      },
    });
    await c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await flush();
    await advance(200, () => calls.length >= 5);
    const gaps = calls.slice(1).map((t, i) => t - (calls[i] as number));
    assert.deepEqual(gaps, [5, 10, 20, 40]);
    await advance(2000);
    assert.equal(calls.length, 5, 'no retry after success');
    assert.deepEqual(await reconcileCounts(metrics), { error: 4, success: 1 });
    assert.equal((await metrics.reconcileErrors.get()).values[0]?.value, 4);
    await c.stop();
  });

  it('does not retry a terminal error, but reconciles the key again when it is enqueued again', async () => {
    let calls = 0;
    const metrics = new RuntimeMetrics();
    const c = new Controller({
      name: 't',
      metrics,
      reconciler: async () => {
        calls++;
        throw new TerminalError('spec.replicas must be positive');
      },
    });
    await c.start();
    c.enqueue({ name: 'a' });
    await flush();
    await advance(5000);
    assert.equal(calls, 1);
    c.enqueue({ name: 'a' });
    await flush();
    assert.equal(calls, 2);
    assert.equal((await metrics.terminalReconcileErrors.get()).values[0]?.value, 2);
    await c.stop();
  });

  it('requeueAfter reconciles the key again after that delay', async () => {
    const calls: number[] = [];
    const c = new Controller({
      name: 't',
      reconciler: async () => {
        calls.push(Date.now());
        return calls.length < 3 ? { requeueAfter: 30_000 } : undefined;
      },
    });
    await c.start();
    c.enqueue({ name: 'a' });
    await flush();
    mock.timers.tick(29_999);
    await flush();
    assert.equal(calls.length, 1);
    mock.timers.tick(1);
    await flush();
    assert.equal(calls.length, 2);
    mock.timers.tick(30_000);
    await flush();
    assert.equal(calls.length, 3);
    mock.timers.tick(60_000);
    await flush();
    assert.equal(calls.length, 3, 'no requeue once it returns nothing');
    await c.stop();
  });
});

describe('Controller concurrency', () => {
  /** A reconciler whose calls stay in flight until released. */
  function gated() {
    const inFlight = new Map<string, () => void>();
    let max = 0;
    const started: string[] = [];
    return {
      inFlight,
      started,
      get max() {
        return max;
      },
      reconcile: (req: Request) =>
        new Promise<void>((resolve) => {
          started.push(req.name);
          inFlight.set(req.name, () => {
            inFlight.delete(req.name);
            resolve();
          });
          max = Math.max(max, inFlight.size);
        }),
      release(name: string) {
        inFlight.get(name)?.();
      },
    };
  }

  it('runs at most `concurrency` reconciles at once, and never the same key twice at once', async () => {
    const g = gated();
    const c = new Controller({ name: 't', concurrency: 3, reconciler: g.reconcile });
    await c.start();
    for (const n of ['a', 'b', 'c', 'd', 'e']) c.enqueue({ name: n });
    await flush();
    assert.deepEqual([...g.inFlight.keys()].sort(), ['a', 'b', 'c']);
    c.enqueue({ name: 'a' }); // changed while in flight
    g.release('b');
    await flush();
    assert.deepEqual([...g.inFlight.keys()].sort(), ['a', 'c', 'd']);
    g.release('a');
    await flush();
    // 'a' is queued again behind 'e', and runs after its first reconcile ended.
    assert.deepEqual([...g.inFlight.keys()].sort(), ['c', 'd', 'e']);
    g.release('c');
    await flush();
    assert.deepEqual([...g.inFlight.keys()].sort(), ['a', 'd', 'e']);
    assert.deepEqual(g.started, ['a', 'b', 'c', 'd', 'e', 'a']);
    assert.equal(g.max, 3);
    for (const n of ['a', 'd', 'e']) g.release(n);
    await c.stop();
  });

  it('stop() takes no new work and resolves only after in-flight reconciles finish', async () => {
    const g = gated();
    const c = new Controller({ name: 't', concurrency: 2, reconciler: g.reconcile });
    await c.start();
    for (const n of ['a', 'b', 'c']) c.enqueue({ name: n });
    await flush();
    let stopped = false;
    const stopping = c.stop().then(() => {
      stopped = true;
    });
    await flush();
    assert.equal(stopped, false, 'waits for a and b');
    g.release('a');
    await flush();
    assert.equal(stopped, false);
    assert.deepEqual(g.started, ['a', 'b'], 'c was not started after stop()');
    g.release('b');
    await stopping;
    assert.equal(stopped, true);
    c.enqueue({ name: 'd' });
    await flush();
    assert.deepEqual(g.started, ['a', 'b']);
  });
});
