// Helm hooks with Helm's semantics, on a real control plane, with a small
// chart of ours (test/fixtures/charts/sdm-hooks-test): pre-install before the
// release's objects, post-install after them by weight, Jobs waited for,
// delete policies honoured, test hooks never applied, pre-delete only at
// removal, and nothing re-created by passes with nothing changed. The order
// is read from watch events: resourceVersions are etcd's one global sequence.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Engine } from '../../../src/installer/engine.ts';
import type { ComponentDef, ComponentResult } from '../../../src/installer/types.ts';
import { Client, type KubeObject, kind, sleep, watchOnce } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { chartsDir, installOurCrds } from './support.ts';

const NS = 'hooks';
const Jobs = kind('batch/v1', 'Job');
const Pods = kind('v1', 'Pod');
const state = { enabled: true, override: '' };
const hooksTest: ComponentDef = {
  name: 'hooksTest',
  statusKey: 'hooksTest',
  release: 'hooks-test',
  chart: { name: 'sdm-hooks-test', repository: 'test/fixtures/charts/sdm-hooks-test' },
  dependsOn: [],
  block: () => ({
    enabled: state.enabled,
    namespace: NS,
    valuesOverride: state.override,
    path: 'spec.hooksTest',
  }),
  defaultValues: {},
};
const manifest = {
  apiVersion: ApplicationManifestKind.apiVersion,
  kind: ApplicationManifestKind.kind,
  metadata: { name: 'hooks', namespace: 'supertubes-control-plane' },
  spec: {},
} as ApplicationManifest;

interface Seen {
  type: string;
  kind: string;
  name: string;
  rv: number;
  uid: string;
}

describe('Helm hooks', () => {
  let cp: ControlPlane;
  let admin: Client;
  let engine: Engine;
  const seen: Seen[] = [];
  const stopWatching = new AbortController();

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    await admin.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'supertubes-control-plane' },
    });
    engine = new Engine({ client: admin, catalog: [hooksTest], chartsDir, hookWaitMs: 60_000 });
    // The new CRD's storage answers 429 for a moment after Established.
    await eventually(() => admin.list(ApplicationManifestKind));
    for (const k of [Jobs, Pods, kind('apps/v1', 'Deployment'), kind('v1', 'ConfigMap')]) {
      const path = await admin.collectionPath(k, NS);
      void (async () => {
        while (!stopWatching.signal.aborted) {
          await watchOnce(
            admin.transport,
            { path, signal: stopWatching.signal, timeoutSeconds: 600 },
            (e) => {
              if (e.type === 'BOOKMARK') return;
              const m = e.object.metadata ?? {};
              if (e.object.kind === 'Pod' && m.ownerReferences?.length) return;
              seen.push({
                type: e.type,
                kind: k.kind,
                name: m.name ?? '',
                rv: Number(m.resourceVersion),
                uid: m.uid ?? '',
              });
            },
          ).catch(() => sleep(200));
        }
      })();
    }
  });
  after(async () => {
    stopWatching.abort();
    await admin?.transport.close();
    await cp?.stop();
  });

  async function settle(want: ComponentResult['status']): Promise<{ message: string }> {
    for (let i = 0; i < 60; i++) {
      const pass = await engine.reconcile(manifest);
      const r = pass.results.find((x) => x.name === 'hooksTest');
      if (r?.status === want) return { message: r.message };
      if (r?.status === 'Failed') assert.fail(`hooksTest failed: ${r.message}`);
      await sleep(300);
    }
    assert.fail(`hooksTest not ${want} after 60 passes`);
  }
  const added = (name: string) => seen.filter((s) => s.type === 'ADDED' && s.name === name);
  const deleted = (name: string) => seen.filter((s) => s.type === 'DELETED' && s.name === name);
  const job = (name: string) => admin.getIfExists(Jobs, { namespace: NS, name });

  it('runs pre-install before the release, post-install after it by weight, and never a test hook', async () => {
    await settle('Available');
    await sleep(500); // the watch events of the last writes
    const [pre] = added('pre-install');
    const [app] = added('app');
    const [first] = added('post-first');
    const [second] = added('post-second');
    assert.ok(pre && app && first && second, `all created: ${JSON.stringify(seen.map((s) => s.name))}`);
    assert.ok(pre.rv < app.rv, 'the pre-install hook is created before the Deployment');
    assert.ok(app.rv < first.rv, 'post-install hooks after the release');
    assert.ok(first.rv < second.rv, 'weight 1 before weight 2');
    const firstDone = seen.find((s) => s.name === 'post-first' && s.type === 'MODIFIED');
    assert.ok(
      firstDone && firstDone.rv < second.rv,
      'post-first ran (its Job progressed) before post-second was created',
    );
    assert.equal(added('test-connection').length, 0, 'a test hook is never applied');
    assert.equal(await admin.getIfExists(Pods, { namespace: NS, name: 'test-connection' }), undefined);
    assert.equal(added('pre-delete').length, 0, 'pre-delete only at removal');
    assert.equal(added('post-delete').length, 0, 'post-delete only at removal');
  });

  it('honours delete policies: hook-succeeded deleted after the event, before-hook-creation kept', async () => {
    assert.equal(await job('post-second'), undefined, 'hook-succeeded: gone once the event succeeded');
    assert.equal(deleted('post-second').length, 1);
    const kept = (await job('post-first')) as KubeObject & { status?: { conditions?: { type: string }[] } };
    assert.ok(
      kept?.status?.conditions?.some((c) => c.type === 'Complete'),
      'post-first stays, Complete',
    );
    assert.ok(await job('pre-install'), 'the default policy keeps the pre-install Job');
  });

  it('re-creates nothing on passes with nothing changed', async () => {
    const before = seen.length;
    const uids = [(await job('pre-install'))?.metadata?.uid, (await job('post-first'))?.metadata?.uid];
    let writes = 0;
    for (let i = 0; i < 3; i++) writes += (await engine.reconcile(manifest)).writes;
    await sleep(500);
    assert.equal(writes, 0, 'a pass with nothing changed writes nothing');
    const hookEvents = seen.slice(before).filter((s) => s.type !== 'MODIFIED');
    assert.deepEqual(hookEvents, [], 'no hook created or deleted');
    assert.deepEqual(
      [(await job('pre-install'))?.metadata?.uid, (await job('post-first'))?.metadata?.uid],
      uids,
    );
  });

  it('runs the upgrade hooks once for a new revision: before-hook-creation replaces the old Job', async () => {
    const oldFirst = (await job('post-first'))?.metadata?.uid;
    const oldPre = (await job('pre-install'))?.metadata?.uid;
    state.override = 'message: changed';
    await settle('Available');
    await sleep(500);
    assert.equal(deleted('post-first').length, 1, 'the old post-first deleted before its re-creation');
    assert.equal(added('post-first').length, 2);
    assert.notEqual((await job('post-first'))?.metadata?.uid, oldFirst);
    assert.equal(
      (await job('pre-install'))?.metadata?.uid,
      oldPre,
      'a pre-install hook is not an upgrade hook',
    );
    assert.equal(added('post-second').length, 2);
    const count = seen.length;
    for (let i = 0; i < 2; i++) await engine.reconcile(manifest);
    await sleep(300);
    assert.deepEqual(
      seen.slice(count).filter((s) => s.type !== 'MODIFIED'),
      [],
      'the same revision runs no hook again',
    );
  });

  it('stops at a failing hook: hook-failed deletes it, earlier hook-succeeded ones go, and it is not retried', async () => {
    state.override = 'message: changed\nfailingHook: true';
    let failed: ComponentResult | undefined;
    for (let i = 0; i < 60 && !failed; i++) {
      failed = (await engine.reconcile(manifest)).results.find((x) => x.status === 'Failed');
      if (!failed) await sleep(300);
    }
    assert.match(failed?.message ?? '', /^post-upgrade hook Job hooks\/post-fails failed/);
    assert.equal(await job('post-fails'), undefined, 'hook-failed: deleted');
    assert.equal(await job('post-second'), undefined, 'the earlier hook-succeeded hook deleted too');
    for (let i = 0; i < 2; i++) {
      const again = (await engine.reconcile(manifest)).results.find((x) => x.name === 'hooksTest');
      assert.equal(again?.status, 'Failed', 'the same revision stays failed');
    }
    assert.equal(added('post-fails').length, 1, 'a failed hook is not retried for the same revision');
    state.override = 'message: fixed';
    await settle('Available');
  });

  it('runs pre-delete at removal before the release objects go, post-delete after', async () => {
    state.enabled = false;
    await settle('Removed');
    await sleep(500);
    const [pre] = added('pre-delete');
    const [gone] = deleted('app');
    assert.ok(pre && gone, 'pre-delete ran and the Deployment was deleted');
    assert.ok(pre.rv < gone.rv, 'pre-delete before the Deployment is deleted');
    assert.equal(await job('pre-delete'), undefined, 'hook-succeeded');
    const [post] = added('post-delete');
    assert.ok(post && gone.rv < post.rv, 'post-delete after the release objects are gone');
    assert.equal(await job('post-delete'), undefined, 'hook-succeeded');
    assert.equal(added('post-delete').length, 1);
  });
});
