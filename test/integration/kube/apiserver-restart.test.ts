// kube-apiserver killed and restarted under a running controller: its
// informers must ride out the outage (never stop), and every change made
// around it must be reconciled. Own control plane: this test restarts it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, type ConfigMap, ConfigMaps, Manager, silentLogger } from '../../../src/kube/index.ts';
import { addMirrorController, sourceSelector } from './fixtures/mirror.ts';
import { eventually, grantRole, mirrorRules } from './support.ts';

describe('API server restart', () => {
  let cp: ControlPlane;
  let admin: Client;
  let mgr: Manager | undefined;

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
  });
  after(async () => {
    await mgr?.stop();
    await admin?.transport.close();
    await cp?.stop();
  });

  it('informers survive kube-apiserver being killed and restarted; changes around the outage are reconciled', async () => {
    const ns = 'restart';
    await grantRole(admin, ns, 'mirror', mirrorRules);
    mgr = new Manager({
      kubeConfig: await cp.serviceAccountKubeConfig(ns, 'mirror'),
      namespace: ns,
      logger: silentLogger(),
      handleSignals: false,
      informerBackoff: { initialMs: 200, maxMs: 2000 },
    });
    addMirrorController(mgr);
    void mgr.start();
    const sources = mgr.informer(ConfigMaps, { labelSelector: sourceSelector });

    const source = (name: string, v: string) =>
      admin.apply<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: ns, labels: { mirror: 'true' } },
        data: { v },
      });
    const mirrorV = async (name: string) =>
      (await admin.getIfExists(ConfigMaps, { namespace: ns, name: `${name}-mirror` }))?.data?.v;

    await source('one', '1');
    await source('two', '1');
    await eventually(async () => {
      assert.equal(await mirrorV('one'), '1');
      assert.equal(await mirrorV('two'), '1');
    });
    const errorsBefore = sources.stats.errors;

    await cp.stopComponent('kube-apiserver');
    await sleep(3000);
    await cp.startComponent('kube-apiserver');
    // Made at once, while the informers are still backing off / reconnecting.
    await source('one', '2');
    await source('three', '1');
    await admin.delete(ConfigMaps, { namespace: ns, name: 'two' });

    await eventually(
      async () => {
        assert.equal(await mirrorV('one'), '2');
        assert.equal(await mirrorV('three'), '1');
        assert.equal(sources.get({ namespace: ns, name: 'two' }), undefined, 'the delete reached the cache');
      },
      { timeoutMs: 60_000 },
    );
    assert.ok(sources.stats.errors > errorsBefore, 'the informer did see the outage');

    // And long after: still watching.
    await sleep(2000);
    await source('three', '2');
    await source('four', '1');
    await eventually(async () => {
      assert.equal(await mirrorV('three'), '2');
      assert.equal(await mirrorV('four'), '1');
    });
  });
});
