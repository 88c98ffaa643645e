// The runtime driven through the example ConfigMap mirror controller, running
// in-process under its own ServiceAccount with a least-privilege Role, against
// a real control plane (one for this file; each test has its own namespace).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import {
  Client,
  type ConfigMap,
  ConfigMaps,
  type KubeList,
  type KubeObject,
  Manager,
  type Request,
  silentLogger,
} from '../../../src/kube/index.ts';
import { addMirrorController, mirrorOfLabel, notBeforeAnnotation } from './fixtures/mirror.ts';
import { eventually, grantRole, mirrorRules, type PolicyRule } from './support.ts';

interface CoreEvent extends KubeObject {
  reason?: string;
  count?: number;
  type?: string;
  involvedObject?: { name?: string };
}
const Events = { apiVersion: 'v1', kind: 'Event' } as const;

describe('controller runtime with the ConfigMap mirror', () => {
  let cp: ControlPlane;
  let admin: Client;
  const managers: Manager[] = [];

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
  });
  after(async () => {
    await Promise.all(managers.map((m) => m.stop()));
    await admin?.transport.close();
    await cp?.stop();
  });

  /** Starts the mirror in namespace ns as ServiceAccount "mirror"; records every reconcile. */
  async function startMirror(ns: string, opts: { delayMs?: number; rules?: PolicyRule[] } = {}) {
    await grantRole(admin, ns, 'mirror', opts.rules ?? mirrorRules);
    const kubeConfig = await cp.serviceAccountKubeConfig(ns, 'mirror');
    const mgr = new Manager({
      kubeConfig,
      name: 'configmap-mirror',
      namespace: ns,
      logger: silentLogger(),
      handleSignals: false,
    });
    const reconciles: { req: Request; at: number }[] = [];
    addMirrorController(mgr, {
      delayMs: opts.delayMs,
      onReconcile: (req) => reconciles.push({ req, at: Date.now() }),
    });
    managers.push(mgr);
    void mgr.start();
    const forKey = (name: string) => reconciles.filter((r) => r.req.name === name);
    return { mgr, reconciles, forKey };
  }

  const source = (
    ns: string,
    name: string,
    data: Record<string, string>,
    annotations?: Record<string, string>,
  ) =>
    admin.apply<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns, labels: { mirror: 'true' }, annotations },
      data,
    });
  const mirror = (ns: string, name: string) =>
    admin.getIfExists(ConfigMaps, { namespace: ns, name: `${name}-mirror` });
  const mirrorData = async (ns: string, name: string) => (await mirror(ns, name))?.data;

  /** Waits until no reconcile happened for quietMs. */
  async function quiet(reconciles: unknown[], quietMs = 1500) {
    let n = -1;
    while (n !== reconciles.length) {
      n = reconciles.length;
      await sleep(quietMs);
    }
  }

  it('mirrors a labelled ConfigMap, owned by its source, and a no-op reconcile writes nothing', async () => {
    const ns = 'mirror-basic';
    const { mgr, reconciles, forKey } = await startMirror(ns);
    await source(ns, 'app', { a: '1' });
    const m = await eventually(async () => {
      const got = await mirror(ns, 'app');
      assert.deepEqual(got?.data, { a: '1' });
      return got;
    });
    assert.equal(m?.metadata?.labels?.[mirrorOfLabel], 'app');
    assert.equal(m?.metadata?.ownerReferences?.[0]?.name, 'app');
    assert.equal(m?.metadata?.ownerReferences?.[0]?.controller, true);
    await admin.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'unlabelled', namespace: ns },
      data: {},
    });

    await quiet(reconciles);
    const writesBefore = await mgr.metrics.writeRequests();
    const byMethodBefore = await mgr.metrics.requestsByMethod();
    const reconcilesBefore = forKey('app').length;
    // A change that does not affect the mirror: reconciled, but nothing to write.
    await admin.patch(
      ConfigMaps,
      { namespace: ns, name: 'app' },
      { metadata: { annotations: { note: 'x' } } },
    );
    await eventually(() => assert.ok(forKey('app').length > reconcilesBefore));
    await quiet(reconciles);
    assert.equal(await mgr.metrics.writeRequests(), writesBefore, 'no write request for a no-op reconcile');
    assert.deepEqual(
      await mgr.metrics.requestsByMethod(),
      byMethodBefore,
      'not even a read: it reads from the cache',
    );

    await admin.patch(ConfigMaps, { namespace: ns, name: 'app' }, { data: { a: '2', b: '3' } });
    await eventually(async () => assert.deepEqual(await mirrorData(ns, 'app'), { a: '2', b: '3' }));
    assert.equal(forKey('unlabelled').length, 0, 'unlabelled ConfigMaps are not reconciled');

    await admin.delete(ConfigMaps, { namespace: ns, name: 'app' });
    await eventually(async () => assert.equal(await mirror(ns, 'app'), undefined), { timeoutMs: 90_000 });
  });

  it('1,000 rapid updates to one object are collapsed into far fewer reconciles, ending in the final state', async () => {
    const ns = 'mirror-burst';
    // 100 ms of simulated work per reconcile, as a reconcile making a few API calls would take.
    const { forKey } = await startMirror(ns, { delayMs: 100 });
    await source(ns, 'hot', { n: 'start' });
    await eventually(async () => assert.deepEqual(await mirrorData(ns, 'hot'), { n: 'start' }));
    const before = forKey('hot').length;
    const updates = 1000;
    const inFlight = 5; // more would mostly make the API server retry conflicting writes
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < updates) {
          const i = next++;
          await admin.patch(ConfigMaps, { namespace: ns, name: 'hot' }, { data: { n: String(i) } });
        }
      }),
    );
    const final = (await admin.get(ConfigMaps, { namespace: ns, name: 'hot' })).data;
    await eventually(async () => assert.deepEqual(await mirrorData(ns, 'hot'), final));
    await quiet(forKey('hot'));
    const reconciles = forKey('hot').length - before;
    console.log(`# ${updates} updates -> ${reconciles} reconciles`);
    assert.ok(reconciles >= 1);
    assert.ok(reconciles < updates / 5, `${reconciles} reconciles for ${updates} updates`);
  });

  it('retries a failing reconcile with growing delays, aggregates its Warning events, and recovers once fixed', async () => {
    const ns = 'mirror-retry';
    // Allowed to read but not to write ConfigMaps: every reconcile fails with 403.
    const readOnly = mirrorRules.map((r) =>
      r.resources.includes('configmaps') ? { ...r, verbs: ['get', 'list', 'watch'] } : r,
    );
    const { forKey } = await startMirror(ns, { rules: readOnly });
    await source(ns, 'blocked', { a: '1' });
    await eventually(() => assert.ok(forKey('blocked').length >= 7));
    const at = forKey('blocked').map((r) => r.at);
    const gaps = at.slice(1, 7).map((t, i) => t - (at[i] as number));
    // Each retry waits at least its backoff: 5, 10, 20, 40, 80, 160 ms.
    for (const [i, gap] of gaps.entries())
      assert.ok(gap >= 5 * 2 ** i - 1, `gap ${i} = ${gap} ms: ${gaps.join(', ')}`);
    assert.ok((gaps[5] as number) > (gaps[0] as number) * 4, `delays grow: ${gaps.join(', ')}`);

    const failures = await eventually(async () => {
      const events = await admin.list<CoreEvent>(Events, {
        namespace: ns,
        fieldSelector: 'involvedObject.name=blocked,reason=MirrorFailed',
      });
      assert.equal(events.items.length, 1, 'one aggregated Event');
      assert.ok((events.items[0]?.count ?? 0) >= 3, `count ${events.items[0]?.count}`);
      return events.items[0];
    });
    assert.equal(failures?.type, 'Warning');

    await grantRole(admin, ns, 'mirror', mirrorRules);
    await eventually(async () => assert.deepEqual(await mirrorData(ns, 'blocked'), { a: '1' }));
  });

  it('does not retry a terminal error', async () => {
    const ns = 'mirror-terminal';
    const { mgr, forKey } = await startMirror(ns);
    const long = `x${'y'.repeat(249)}`; // 250 chars: valid, but "<name>-mirror" is not
    await source(ns, long, { a: '1' });
    await eventually(async () => {
      const events: KubeList<CoreEvent> = await admin.list(Events, {
        namespace: ns,
        fieldSelector: 'reason=MirrorNameTooLong',
      });
      assert.equal(events.items.length, 1);
    });
    await sleep(3000);
    assert.equal(forKey(long).length, 1, 'reconciled once, not retried');
    const terminal = (await mgr.metrics.terminalReconcileErrors.get()).values[0]?.value;
    assert.equal(terminal, 1);
  });

  it('requeueAfter reconciles again at the requested time with no event to trigger it', async () => {
    const ns = 'mirror-later';
    const { forKey } = await startMirror(ns);
    const notBefore = new Date(Date.now() + 4000);
    await source(ns, 'later', { a: '1' }, { [notBeforeAnnotation]: notBefore.toISOString() });
    await eventually(() => assert.ok(forKey('later').length >= 1));
    await sleep(1000);
    assert.equal(await mirror(ns, 'later'), undefined, 'not mirrored before its time');
    await eventually(async () => assert.deepEqual(await mirrorData(ns, 'later'), { a: '1' }));
    const reconciledAt = forKey('later').map((r) => r.at);
    assert.ok(
      reconciledAt.some((t) => t >= notBefore.getTime()),
      'the mirror was written by a reconcile at or after not-before',
    );
    assert.equal(
      reconciledAt.filter((t) => t < notBefore.getTime()).length,
      1,
      'only the initial reconcile happened before: nothing polled in between',
    );
  });
});
