// The manager runs any runnable: those needing no leadership at start, the
// rest once leading (here: no elector, so at once); stop() stops the writers
// first and waits for each to finish; a failing runnable stops the manager.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { Controller } from '../../../src/kube/controller.ts';
import { silentLogger } from '../../../src/kube/logger.ts';
import { Manager } from '../../../src/kube/manager.ts';
import { fieldKeys, requestKeys } from '../../../src/kube/queue-key.ts';
import { type Runnable, runnable, untilAborted } from '../../../src/kube/runnable.ts';

function offlineKubeConfig(): KubeConfig {
  // Never contacted: no informers, no leader election, no health server.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

const newManager = () =>
  new Manager({ kubeConfig: offlineKubeConfig(), logger: silentLogger(), handleSignals: false });

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Records start, stop request and end, and takes `stopMs` to finish after being told to stop. */
function recorder(log: string[], name: string, needsLeaderElection: boolean, stopMs = 0): Runnable {
  return runnable(
    name,
    async (ctx) => {
      log.push(`${name} started`);
      await untilAborted(ctx.stop);
      log.push(`${name} stopping`);
      await new Promise((r) => setTimeout(r, stopMs));
      log.push(`${name} stopped`);
    },
    { needsLeaderElection },
  );
}

describe('Manager runnables', () => {
  it('starts runnables added before and after start, and stop() waits for each, writers first', async () => {
    const log: string[] = [];
    const mgr = newManager();
    mgr.add(recorder(log, 'server', false));
    mgr.add(recorder(log, 'writer', true, 20));
    const done = mgr.start();
    await flush();
    mgr.add(recorder(log, 'late', true));
    await flush();
    assert.deepEqual(log, ['server started', 'writer started', 'late started']);
    await mgr.stop();
    await done;
    // The non-leader runnable is told to stop only after every writer has finished.
    const serverStopping = log.indexOf('server stopping');
    assert.ok(serverStopping > log.indexOf('writer stopped'), log.join(', '));
    assert.ok(serverStopping > log.indexOf('late stopped'), log.join(', '));
    assert.equal(log.at(-1), 'server stopped');
  });

  it('a runnable that fails stops the others and makes start() reject with its name', async () => {
    const log: string[] = [];
    const mgr = newManager();
    mgr.add(recorder(log, 'pool', true));
    mgr.add(
      runnable('scheduler', async () => {
        await flush();
        throw new Error('boom');
      }),
    );
    await assert.rejects(mgr.start(), /scheduler: boom/);
    assert.deepEqual(log, ['pool started', 'pool stopping', 'pool stopped']);
  });

  it('runs a Controller as a runnable: reconciles while running, drains on stop', async () => {
    const seen: string[] = [];
    const mgr = newManager();
    const c = new Controller({
      name: 'c',
      reconciler: async (req) => {
        seen.push(req.name);
      },
    });
    mgr.add(c);
    const done = mgr.start();
    await flush();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await flush();
    await mgr.stop();
    await done;
    c.enqueue({ name: 'after-stop' });
    await flush();
    assert.deepEqual(seen, ['a']);
  });
});

describe('typed work-queue keys', () => {
  interface PairKey {
    rule: string;
    peer: string;
    namespace?: string;
    name: string;
  }
  const pairKeys = fieldKeys<PairKey>(['rule', 'peer', 'namespace', 'name']);

  it('round-trips every field, including separators and a missing namespace', () => {
    const keys: PairKey[] = [
      { rule: 'r~1', peer: 'p/2', namespace: 'ns', name: 'a"b' },
      { rule: 'r', peer: 'p', name: 'cluster-scoped' },
    ];
    for (const k of keys) assert.deepEqual(pairKeys.parse(pairKeys.format(k)), k);
    // Values that would collide if packed with a separator stay distinct.
    assert.notEqual(
      pairKeys.format({ rule: 'a~b', peer: 'c', name: 'n' }),
      pairKeys.format({ rule: 'a', peer: 'b~c', name: 'n' }),
    );
    assert.deepEqual(requestKeys.parse(requestKeys.format({ namespace: 'ns', name: 'x' })), {
      namespace: 'ns',
      name: 'x',
    });
  });

  it('a controller with its own key type de-duplicates on the formatted key and hands back the typed key', async () => {
    const seen: PairKey[] = [];
    let release: () => void = () => {};
    const c = new Controller<PairKey>({
      name: 'pairs',
      keys: pairKeys,
      reconciler: async (key) => {
        seen.push(key);
        if (seen.length === 1) await new Promise<void>((r) => (release = r));
      },
    });
    await c.start();
    const k = { rule: 'r', peer: 'p', namespace: 'ns', name: 'a' };
    c.enqueue(k);
    await flush();
    // Three adds of an equal key while the first is in flight: one more reconcile.
    c.enqueue({ ...k });
    c.enqueue({ name: 'a', namespace: 'ns', peer: 'p', rule: 'r' });
    c.enqueue({ ...k });
    release();
    await flush();
    await flush();
    await c.stop();
    assert.deepEqual(seen, [k, k]);
  });
});
