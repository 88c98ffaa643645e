// Informer recovery from a partition long enough for its resourceVersion to be
// compacted away: the resumed watch gets 410 Gone, and the relist must report
// what changed meanwhile, deletes included. The API server runs without its
// watch cache, so a watch from a compacted revision reaches etcd and gets 410
// every time (the watch cache would otherwise keep serving recent history).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import {
  byNamespace,
  Client,
  type ConfigMap,
  ConfigMaps,
  Informer,
  silentLogger,
} from '../../../src/kube/index.ts';
import { eventually, kubeConfigVia, TcpProxy } from './support.ts';

describe('informer', () => {
  let cp: ControlPlane;
  let admin: Client;
  let proxy: TcpProxy;

  before(async () => {
    cp = await startControlPlane({ nodes: 1, extraArgs: { 'kube-apiserver': ['--watch-cache=false'] } });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    proxy = new TcpProxy(cp.server);
    await proxy.start();
  });
  after(async () => {
    await proxy?.close();
    await admin?.transport.close();
    await cp?.stop();
  });

  const cm = (ns: string, name: string, data: Record<string, string> = {}): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, labels: { app: 'x' } },
    data,
  });

  it('relists after 410 Gone and delivers the adds, updates and deletes it missed', async () => {
    const ns = 'informer-gone';
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const n of ['a', 'b', 'c', 'd']) await admin.apply(cm(ns, n, { v: '1' }));

    // The informer reaches the API server only through the proxy.
    const client = Client.fromKubeConfig(kubeConfigVia(cp.kubeConfig(), proxy.url));
    const informer = new Informer(client, {
      kind: ConfigMaps,
      namespace: ns,
      labelSelector: 'app=x',
      indexers: { ns: byNamespace },
      logger: silentLogger(),
      backoff: { initialMs: 100, maxMs: 1000 },
    });
    const seen = { added: [] as string[], updated: [] as string[], deleted: [] as string[] };
    informer.addHandler({
      onAdd: (o) => seen.added.push(o.metadata?.name ?? ''),
      onUpdate: (_old, o) => seen.updated.push(`${o.metadata?.name}=${o.data?.v}`),
      onDelete: (o) => seen.deleted.push(o.metadata?.name ?? ''),
    });
    informer.start();
    try {
      assert.equal(await informer.waitForSync(), true);
      assert.deepEqual(seen.added.sort(), ['a', 'b', 'c', 'd']);

      await proxy.cut();
      await admin.delete(ConfigMaps, { namespace: ns, name: 'a' });
      await admin.delete(ConfigMaps, { namespace: ns, name: 'b' });
      await admin.apply(cm(ns, 'c', { v: '2' }));
      await admin.apply(cm(ns, 'e', { v: '1' }));
      await cp.compactEtcd();
      await proxy.restore();

      await eventually(() => {
        assert.deepEqual(seen.deleted.sort(), ['a', 'b']);
        assert.ok(seen.added.includes('e'));
        assert.ok(seen.updated.includes('c=2'));
      });
      assert.ok(informer.stats.gone >= 1, 'the resumed watch got 410 Gone');
      assert.ok(informer.stats.lists >= 2, 'and relisted');
      assert.deepEqual(
        informer
          .byIndex('ns', ns)
          .map((o) => o.metadata?.name)
          .sort(),
        ['c', 'd', 'e'],
      );

      // And it keeps watching afterwards.
      await admin.apply(cm(ns, 'd', { v: '3' }));
      await eventually(() => assert.equal(informer.get({ namespace: ns, name: 'd' })?.data?.v, '3'));
    } finally {
      await informer.stop();
      await client.transport.close();
    }
  });

  it('never stops: a watch that keeps failing (RBAC) is retried until it is allowed', async () => {
    const ns = 'informer-forbidden';
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin.apply(cm(ns, 'a'));
    const client = Client.fromKubeConfig(await cp.serviceAccountKubeConfig(ns, 'reader'));
    const informer = new Informer(client, {
      kind: ConfigMaps,
      namespace: ns,
      logger: silentLogger(),
      backoff: { initialMs: 100, maxMs: 500 },
    });
    informer.start();
    try {
      await eventually(() => assert.ok(informer.stats.errors >= 3, 'forbidden, retrying'));
      assert.equal(informer.hasSynced(), false);
      await admin.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'reader', namespace: ns },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] }],
      } as never);
      await admin.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'reader', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
      } as never);
      assert.equal(await informer.waitForSync(AbortSignal.timeout(30_000)), true);
      assert.ok(informer.get({ namespace: ns, name: 'a' }));
    } finally {
      await informer.stop();
      await client.transport.close();
    }
  });
});
