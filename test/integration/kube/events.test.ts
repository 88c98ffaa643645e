// Events through the manager's recorder against a real API server, the
// recorder running as a ServiceAccount that may only create and patch Events:
// client-go's correlation (combine similar, count identical, spam filter per
// object) decides how many Event objects a burst leaves behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import type { CoreEvent } from '../../../src/kube/events.ts';
import { Client, type KubeObject, Manager, silentLogger } from '../../../src/kube/index.ts';
import { grantRole } from './support.ts';

const Events = { apiVersion: 'v1', kind: 'Event' } as const;
const ns = 'events-test';

const subject = (name: string): KubeObject => ({
  apiVersion: 'sdm.example/v1',
  kind: 'Widget',
  metadata: { namespace: ns, name, uid: `uid-${name}` },
});

describe('event recorder on a real control plane', () => {
  let cp: ControlPlane;
  let admin: Client;
  let mgr: Manager;

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await grantRole(admin, ns, 'recorder', [
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
    mgr = new Manager({
      kubeConfig: await cp.serviceAccountKubeConfig(ns, 'recorder'),
      name: 'events-test',
      namespace: ns,
      logger: silentLogger(),
      handleSignals: false,
    });
  });
  after(async () => {
    await admin?.transport.close();
    await cp?.stop();
  });

  async function eventsAbout(name: string): Promise<CoreEvent[]> {
    const list = await admin.list<CoreEvent>(Events as never, {
      namespace: ns,
      fieldSelector: `involvedObject.name=${name}`,
    });
    return list.items;
  }

  it('1,000 events with differing messages about one object leave 10 Event objects', async () => {
    const r = mgr.eventRecorder('sync-controller');
    for (let i = 0; i < 1000; i++) r.normal(subject('rule'), 'Synced', `created ConfigMap bench/cm-${i}`);
    await r.flush();
    const events = await eventsAbout('rule');
    assert.equal(events.length, 10, events.map((e) => `${e.count} ${e.message}`).join('\n'));
    const combined = events.filter((e) => e.message.startsWith('(combined from similar events): '));
    assert.equal(combined.length, 1);
    assert.equal(combined[0]?.count, 16); // 25 writes allowed: 9 single, 1 create + 15 patches of the combined one
    assert.ok(events.every((e) => e.reason === 'Synced' && e.source.component === 'sync-controller'));
    assert.equal(r.stats.failed, 0);
    assert.equal(r.stats.skipped, 975);
  });

  it('1,000 events about 100 objects, 10 identical each, leave 100 Events counting 10', async () => {
    const r = mgr.eventRecorder('count-controller');
    for (let round = 0; round < 10; round++)
      for (let i = 0; i < 100; i++) r.warning(subject(`w-${i}`), 'Failed', `widget w-${i} is broken`);
    await r.flush();
    const all = (await admin.list<CoreEvent>(Events as never, { namespace: ns })).items.filter(
      (e) => e.source.component === 'count-controller',
    );
    assert.equal(all.length, 100);
    assert.ok(
      all.every((e) => e.count === 10 && e.type === 'Warning'),
      all.map((e) => e.count).join(','),
    );
    assert.equal(r.stats.created, 100);
    assert.equal(r.stats.patched, 900);
  });

  it('an Event deleted meanwhile (expired) is created again with the running count', async () => {
    const r = mgr.eventRecorder('expiry-controller');
    r.warning(subject('lonely'), 'Failed', 'still broken');
    r.warning(subject('lonely'), 'Failed', 'still broken');
    await r.flush();
    const [first] = await eventsAbout('lonely');
    assert.equal(first?.count, 2);
    await admin.delete(Events as never, { namespace: ns, name: first!.metadata!.name! });
    r.warning(subject('lonely'), 'Failed', 'still broken');
    await r.flush();
    const again = await eventsAbout('lonely');
    assert.equal(again.length, 1);
    assert.equal(again[0]?.count, 3);
    assert.equal(again[0]?.metadata?.name, first?.metadata?.name);
  });
});
