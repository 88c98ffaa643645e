// Runnables under leader election, two managers in one process on one Lease
// as the same ServiceAccount (a Role granting leases only): work that needs
// no leadership runs on both, work that does runs on the lease holder only,
// and moves to the standby once the holder stops and releases the Lease.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, Manager, runnable, silentLogger, untilAborted } from '../../../src/kube/index.ts';
import { eventually, grantRole } from './support.ts';

const NS = 'runnables';

describe('runnables under leader election', () => {
  let cp: ControlPlane;
  let admin: Client;
  const managers: Manager[] = [];

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await grantRole(admin, NS, 'elector', [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
  });
  after(async () => {
    await Promise.all(managers.map((m) => m.stop()));
    await admin?.transport.close();
    await cp?.stop();
  });

  it('runs needsLeaderElection=false on every replica and the rest on the lease holder only', async () => {
    const kubeConfig = await cp.serviceAccountKubeConfig(NS, 'elector');
    const running = new Set<string>();
    const start = (id: string) => {
      const mgr = new Manager({
        kubeConfig,
        name: `runnables-${id}`,
        logger: silentLogger(),
        handleSignals: false,
        leaderElection: {
          namespace: NS,
          name: 'runnables',
          identity: id,
          leaseDurationMs: 4000,
          renewDeadlineMs: 3000,
          retryPeriodMs: 500,
        },
      });
      const track = (what: string) => async (ctx: { stop: AbortSignal }) => {
        running.add(`${id}/${what}`);
        await untilAborted(ctx.stop);
        running.delete(`${id}/${what}`);
      };
      mgr.add(runnable('cache-warmer', track('everyone'), { needsLeaderElection: false }));
      mgr.add(runnable('writer', track('leader')));
      managers.push(mgr);
      const done = mgr.start();
      return { mgr, done };
    };

    const a = start('a');
    await eventually(() => assert.ok(running.has('a/leader')), { timeoutMs: 30_000 });
    const b = start('b');
    await eventually(() => assert.ok(running.has('b/everyone')), { timeoutMs: 30_000 });
    // b is a standby: it warms up but never writes while a holds the Lease.
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual([...running].sort(), ['a/everyone', 'a/leader', 'b/everyone']);
    assert.equal(b.mgr.isLeader(), false);

    // A graceful stop releases the Lease: b takes over well within a lease duration.
    await a.mgr.stop();
    await a.done;
    assert.ok(!running.has('a/everyone') && !running.has('a/leader'), 'a stopped both');
    await eventually(() => assert.ok(running.has('b/leader')), { timeoutMs: 10_000 });
    assert.deepEqual([...running].sort(), ['b/everyone', 'b/leader']);
  });
});
