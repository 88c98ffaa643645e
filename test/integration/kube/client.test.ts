// The client and the builder against a real API server: CRUD, dry run,
// optimistic concurrency, and a controller for a CRD that is installed only
// after the manager started (discovery must find it), with watches(),
// finalizers and status conditions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import {
  ApiError,
  applyIfChanged,
  Client,
  type Condition,
  type ConfigMap,
  ConfigMaps,
  conditions,
  ensureFinalizer,
  isBeingDeleted,
  isConflict,
  type KubeObject,
  kind,
  Manager,
  removeFinalizer,
  silentLogger,
} from '../../../src/kube/index.ts';
import { eventually } from './support.ts';

interface Widget extends KubeObject {
  spec?: { size?: number };
  status?: { observedGeneration?: number; configMaps?: number; conditions?: Condition[] };
}
const Widgets = kind<Widget>('test.sdm.io/v1', 'Widget');
const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.sdm.io' },
  spec: {
    group: 'test.sdm.io',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

describe('client and builder', () => {
  let cp: ControlPlane;
  let admin: Client;

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
  });
  after(async () => {
    await admin?.transport.close();
    await cp?.stop();
  });

  it('creates, reads, lists page by page, dry-runs and deletes any kind', async () => {
    const ns = 'client-crud';
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let i = 0; i < 7; i++) {
      await admin.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `c${i}`, namespace: ns },
      });
    }
    const got = await admin.get(ConfigMaps, { namespace: ns, name: 'c3' });
    assert.equal(got.kind, 'ConfigMap');
    const page = await admin.list(ConfigMaps, { namespace: ns, limit: 3 });
    assert.equal(page.items.length, 3);
    assert.ok(page.metadata?.continue);
    const all = await admin.listAll(ConfigMaps, { namespace: ns, pageSize: 2 });
    assert.equal(all.items.filter((c) => c.metadata?.name?.startsWith('c')).length, 7);
    assert.ok(all.items.every((c) => c.apiVersion === 'v1' && c.kind === 'ConfigMap'));

    const dry = await admin.create<ConfigMap>(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: ns } },
      { dryRun: true },
    );
    assert.equal(dry.metadata?.name, 'dry');
    assert.equal(
      await admin.getIfExists(ConfigMaps, { namespace: ns, name: 'dry' }),
      undefined,
      'not persisted',
    );

    assert.equal(await admin.delete(ConfigMaps, { namespace: ns, name: 'c0' }), true);
    assert.equal(await admin.delete(ConfigMaps, { namespace: ns, name: 'c0' }), false, 'already gone');
    await assert.rejects(
      admin.get(ConfigMaps, { namespace: ns, name: 'c0' }),
      (e) => e instanceof ApiError && e.statusCode === 404,
    );
  });

  it('a stale update fails with 409; modify() retries concurrent read-modify-writes until all apply', async () => {
    const ns = 'client-conflict';
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const cm = await admin.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'counter', namespace: ns },
      data: { n: '0' },
    });
    await admin.update({ ...cm, data: { n: 'changed' } });
    await assert.rejects(admin.update({ ...cm, data: { n: 'stale' } }), isConflict);

    const key = { namespace: ns, name: 'counter' };
    await admin.update({ ...(await admin.get(ConfigMaps, key)), data: { n: '0' } });
    await Promise.all(
      Array.from({ length: 4 }, () =>
        admin.modify(ConfigMaps, key, (c) => ({ ...c, data: { n: String(Number(c.data?.n) + 1) } })),
      ),
    );
    assert.equal((await admin.get(ConfigMaps, key)).data?.n, '4', 'no increment lost');
  });

  it('runs a controller for a CRD installed after it started, with watches(), finalizers and status conditions', async () => {
    const ns = 'client-crd';
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const mgr = new Manager({
      kubeConfig: cp.kubeConfig(),
      namespace: ns,
      logger: silentLogger(),
      handleSignals: false,
      informerBackoff: { initialMs: 100, maxMs: 1000 },
    });
    const finalizer = 'test.sdm.io/cleanup';
    const widgets = mgr.informer(Widgets);
    const configMaps = mgr.informer(ConfigMaps, {
      labelSelector: 'widget',
      indexers: { widget: (c) => [c.metadata?.labels?.widget ?? ''] },
    });
    mgr
      .controller('widget')
      .for(Widgets)
      .watches(
        ConfigMaps,
        (c) => [{ namespace: c.metadata?.namespace, name: c.metadata?.labels?.widget ?? '' }],
        {
          labelSelector: 'widget',
        },
      )
      .complete(async (req) => {
        const w = widgets.get(req);
        if (!w) return;
        if (isBeingDeleted(w)) {
          await removeFinalizer(mgr.client, w, finalizer);
          return;
        }
        const current = await ensureFinalizer(mgr.client, w, finalizer);
        const gen = current.metadata?.generation;
        const count = configMaps.byIndex('widget', req.name).length;
        const desired: Widget = {
          apiVersion: Widgets.apiVersion,
          kind: Widgets.kind,
          metadata: { name: req.name, namespace: req.namespace },
          status: {
            observedGeneration: gen,
            configMaps: count,
            conditions: conditions.markReady(
              current.status?.conditions,
              gen,
              'Reconciled',
              `${count} config maps`,
            ),
          },
        };
        await applyIfChanged(mgr.client, desired, current, { subresource: 'status' });
      });
    const running = mgr.start();
    try {
      await widgetLifecycle();
    } finally {
      await mgr.stop();
      await running;
    }

    async function widgetLifecycle() {
      await admin.apply(widgetCrd as never);
      await eventually(async () => {
        const crd = await admin.get(
          kind<KubeObject & { status?: { conditions?: Condition[] } }>(
            'apiextensions.k8s.io/v1',
            'CustomResourceDefinition',
          ),
          {
            name: 'widgets.test.sdm.io',
          },
        );
        assert.ok(conditions.isTrue(crd.status?.conditions, 'Established'));
      });
      // Established comes slightly before discovery serves the new group: retry, as kubectl does.
      await eventually(() =>
        admin.create<Widget>({ ...Widgets, metadata: { name: 'w1', namespace: ns }, spec: { size: 1 } }),
      );

      const ready = await eventually(async () => {
        const w = await admin.get(Widgets, { namespace: ns, name: 'w1' });
        assert.deepEqual(w.metadata?.finalizers, [finalizer]);
        assert.equal(w.status?.configMaps, 0);
        assert.equal(conditions.findCondition(w.status?.conditions, 'Ready')?.observedGeneration, 1);
        return w;
      });
      const readySince = conditions.findCondition(ready.status?.conditions, 'Ready')?.lastTransitionTime;

      // A ConfigMap that names the widget reaches it through watches().
      await admin.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'part', namespace: ns, labels: { widget: 'w1' } },
      });
      await admin.patch(Widgets, { namespace: ns, name: 'w1' }, { spec: { size: 2 } });
      await eventually(async () => {
        const w = await admin.get(Widgets, { namespace: ns, name: 'w1' });
        assert.equal(w.status?.configMaps, 1);
        const readyCond = conditions.findCondition(w.status?.conditions, 'Ready');
        assert.equal(readyCond?.observedGeneration, 2);
        assert.equal(readyCond?.lastTransitionTime, readySince, 'still Ready: transition time unchanged');
      });

      await admin.delete(Widgets, { namespace: ns, name: 'w1' });
      await eventually(async () =>
        assert.equal(await admin.getIfExists(Widgets, { namespace: ns, name: 'w1' }), undefined),
      );
    }
  });
});
