// Several manager processes running the ConfigMap mirror with leader
// election (fixtures/mirror-manager.ts): only the lease holder reconciles, a
// standby takes over when the leader dies, a leader that lost its lease
// writes nothing more, and SIGTERM finishes the reconcile in flight and
// releases the lease. Short leases keep the test quick.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, type ConfigMap, ConfigMaps, Leases } from '../../../src/kube/index.ts';
import { LeaderElector } from '../../../src/kube/leader-election.ts';
import { writtenByAnnotation } from './fixtures/mirror.ts';
import { Child, eventually, grantRole, type LogLine, mirrorRules } from './support.ts';

// Short, but with a renew deadline that a loaded 2-core machine running two
// control planes still meets (a leader that misses it rightly steps down).
const leaseMs = 6000;
const timing = { LEASE_MS: String(leaseMs), RENEW_MS: '5000', RETRY_MS: '1000' };
const script = join(import.meta.dirname, 'fixtures', 'mirror-manager.ts');

describe('leader election across manager processes', () => {
  let cp: ControlPlane;
  let admin: Client;
  let dir: string;
  const children: Child[] = [];

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    dir = mkdtempSync(join(tmpdir(), 'sdm-kube-le-'));
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await admin?.transport.close();
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(ns: string): Promise<string> {
    await grantRole(admin, ns, 'mirror', mirrorRules);
    const file = join(dir, `${ns}.kubeconfig`);
    writeFileSync(file, (await cp.serviceAccountKubeConfig(ns, 'mirror')).exportConfig());
    return file;
  }

  function spawnManager(
    ns: string,
    kubeconfig: string,
    identity: string,
    extra: Record<string, string> = {},
  ): Child {
    const child = new Child(script, {
      KUBECONFIG_FILE: kubeconfig,
      NAMESPACE: ns,
      IDENTITY: identity,
      ...timing,
      ...extra,
    });
    children.push(child);
    return child;
  }

  const source = (ns: string, v: string) =>
    admin.apply<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'src', namespace: ns, labels: { mirror: 'true' } },
      data: { v },
    });
  const mirror = (ns: string) => admin.getIfExists(ConfigMaps, { namespace: ns, name: 'src-mirror' });
  const reconciled = (l: LogLine) => l.msg === 'reconciling';

  async function scrape(child: Child, path: string): Promise<string> {
    const port = (await child.waitFor((l) => l.msg === 'serving /healthz /readyz /metrics')).port;
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    assert.equal(res.status, 200, path);
    return res.text();
  }

  it('exactly one replica reconciles; when it is killed -9 the other takes over within the lease duration', async () => {
    const ns = 'le-failover';
    const kubeconfig = await setup(ns);
    const replicas = [spawnManager(ns, kubeconfig, 'replica-a'), spawnManager(ns, kubeconfig, 'replica-b')];
    await source(ns, '1');
    const first = await eventually(async () => {
      const m = await mirror(ns);
      assert.equal(m?.data?.v, '1');
      return m;
    });
    const leaderId = first?.metadata?.annotations?.[writtenByAnnotation];
    const leader = replicas.find((r) => r.lines.some((l) => l.name === leaderId));
    const standby = replicas.find((r) => r !== leader);
    assert.ok(leader && standby, `leader ${leaderId}`);
    await sleep(2000);
    assert.ok(leader.find(reconciled), 'the leader reconciled');
    assert.equal(
      standby.find(reconciled),
      undefined,
      `the standby did not reconcile:\n${standby.describe()}`,
    );
    const standbyWrites = standby.writes().filter((l) => !String(l.path).includes('/leases'));
    assert.deepEqual(standbyWrites, [], 'the standby wrote nothing but its attempts at the lease');
    // Both serve health and metrics; only the leader says it is master.
    assert.match(
      await scrape(leader, '/metrics'),
      /leader_election_master_status\{name="configmap-mirror-leader"\} 1/,
    );
    assert.match(
      await scrape(leader, '/metrics'),
      /controller_runtime_reconcile_total\{controller="configmap-mirror",result="success"\} [1-9]/,
    );
    assert.match(
      await scrape(standby, '/metrics'),
      /leader_election_master_status\{name="configmap-mirror-leader"\} 0/,
    );
    assert.match(await scrape(standby, '/readyz'), /readyz check passed/);
    assert.match(await scrape(standby, '/healthz'), /healthz check passed/);

    leader.kill('SIGKILL');
    const killedAt = Date.now();
    await source(ns, '2');
    const taken = await eventually(
      async () => {
        const m = await mirror(ns);
        assert.equal(m?.data?.v, '2');
        return m;
      },
      { timeoutMs: 60_000 },
    );
    const tookMs = Date.now() - killedAt;
    console.log(
      `# standby took over and reconciled ${tookMs} ms after the leader was killed (lease ${leaseMs} ms)`,
    );
    assert.equal(
      taken?.metadata?.annotations?.[writtenByAnnotation],
      standby.lines.find((l) => l.name)?.name,
    );
    // Lease duration, plus a retry period and a reconcile, with room for a slow machine.
    assert.ok(tookMs < leaseMs + 10_000, `took over after ${tookMs} ms`);
    const lease = await admin.get(Leases, { namespace: ns, name: 'configmap-mirror-leader' });
    assert.notEqual(lease.spec?.holderIdentity, leaderId);
    assert.ok((lease.spec?.leaseTransitions ?? 0) >= 1);
    standby.kill('SIGTERM');
    assert.equal((await standby.exited).code, 0);
  });

  it('a leader frozen mid-reconcile loses its lease and, once it resumes, writes nothing and exits non-zero', async () => {
    const ns = 'le-fenced';
    const kubeconfig = await setup(ns);
    // Each reconcile works 1.5 s before writing, so one can be frozen half-way.
    const slow = { DELAY_MS: '1500' };
    const replicas = [
      spawnManager(ns, kubeconfig, 'replica-c', slow),
      spawnManager(ns, kubeconfig, 'replica-d', slow),
    ];
    await source(ns, '1');
    const first = await eventually(async () => {
      const m = await mirror(ns);
      assert.equal(m?.data?.v, '1');
      return m;
    });
    const leaderId = first?.metadata?.annotations?.[writtenByAnnotation];
    const leader = replicas.find((r) => r.lines.some((l) => l.name === leaderId));
    const standby = replicas.find((r) => r !== leader);
    assert.ok(leader && standby);
    await sleep(2000);

    const mark = leader.lines.length;
    await source(ns, '2');
    await leader.waitFor((l) => reconciled(l) && l.key === `${ns}/src`, 30_000, mark);
    leader.kill('SIGSTOP'); // frozen before its write: cannot renew either
    await sleep(300); // let lines written before the freeze reach us
    const frozenAt = leader.lines.length;
    await eventually(
      async () => {
        const m = await mirror(ns);
        assert.equal(m?.data?.v, '2');
        assert.notEqual(m?.metadata?.annotations?.[writtenByAnnotation], leaderId);
      },
      { timeoutMs: 60_000 },
    );
    leader.kill('SIGCONT'); // its reconcile resumes and tries to write
    const exit = await leader.exited;
    assert.notEqual(exit.code, 0, 'exits non-zero after losing the lease');
    assert.deepEqual(leader.writes(frozenAt), [], `no write after it lost the lease:\n${leader.describe()}`);
    const standbyId = standby.lines.find((l) => l.name)?.name;
    assert.equal((await mirror(ns))?.metadata?.annotations?.[writtenByAnnotation], standbyId);
    standby.kill('SIGTERM');
    await standby.exited;
  });

  it('SIGTERM during a reconcile: the reconcile finishes, the lease is released, the process exits 0', async () => {
    const ns = 'le-sigterm';
    const kubeconfig = await setup(ns);
    const mgr = spawnManager(ns, kubeconfig, 'replica-e', { DELAY_MS: '3000' });
    await mgr.waitFor((l) => l.msg === 'acquired leader lease');
    await source(ns, '1');
    const started = await mgr.waitFor((l) => reconciled(l) && l.key === `${ns}/src`);
    assert.equal(started.controller, 'configmap-mirror', 'log lines carry the controller');
    assert.match(String(started.reconcileID), /^[0-9a-f-]{36}$/, 'and a reconcile ID');
    mgr.kill('SIGTERM');
    const exit = await mgr.exited;
    assert.equal(exit.code, 0, mgr.describe());
    const signalAt = mgr.lines.findIndex((l) => l.msg === 'signal received');
    assert.ok(signalAt >= 0);
    assert.ok(
      mgr.find((l) => l.msg === 'mirror written', signalAt),
      'the reconcile in flight completed after SIGTERM',
    );
    assert.equal((await mirror(ns))?.data?.v, '1');
    const lease = await admin.get(Leases, { namespace: ns, name: 'configmap-mirror-leader' });
    assert.ok(!lease.spec?.holderIdentity, `released: ${JSON.stringify(lease.spec)}`);
    assert.equal(lease.spec?.leaseDurationSeconds, 1);
  });

  it('a stop that lands while a renewal is in flight still leaves the lease free for a standby', async () => {
    // Renewing every 150 ms makes it likely that some of these stops arrive
    // between a renewal's read and its write; a release that raced it would
    // be overwritten (or conflict) and leave the lease held by a gone process.
    const ns = 'le-release-race';
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let i = 0; i < 30; i++) {
      const elector = new LeaderElector(admin, {
        namespace: ns,
        name: 'race',
        identity: `candidate-${i}`,
        leaseDurationMs: 2000,
        renewDeadlineMs: 1000,
        retryPeriodMs: 150,
      });
      const stop = new AbortController();
      let leading!: () => void;
      const led = new Promise<void>((resolve) => {
        leading = resolve;
      });
      const ran = elector.run(stop.signal, leading);
      await led;
      await sleep(150 + Math.random() * 300);
      stop.abort();
      await elector.release();
      assert.equal(await ran, 'stopped');
      const lease = await admin.get(Leases, { namespace: ns, name: 'race' });
      assert.ok(!lease.spec?.holderIdentity, `stop ${i}: released: ${JSON.stringify(lease.spec)}`);
    }
  });
});
