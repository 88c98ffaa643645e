// Missing permissions and bad input each get a clear message where the user looks (rule status,
// Cluster status, Events), and the controller keeps serving the rules that are fine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kind } from '../../../src/kube/index.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { eventually } from '../../support/eventually.ts';
import {
  aggregatedRole,
  attach,
  Clusters,
  ensureNamespace,
  KafkaClusters,
  NS,
  Rules,
  startClusters,
  startController,
  stopAll,
  type TestCluster,
} from './support.ts';

const Events = kind<KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>(
  'v1',
  'Event',
);
const ConfigMaps = kind<KubeObject & { data?: Record<string, string> }>('v1', 'ConfigMap');

const syncRule = (name: string, gvk: { group: string; version: string; kind: string }, rules: unknown[]) =>
  ({
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ResourceSyncRule',
    metadata: { name },
    spec: { groupVersionKind: gvk, rules },
  }) as KubeObject;

const KAFKA = { group: 'kafka.banzaicloud.io', version: 'v1beta1', kind: 'KafkaCluster' };

describe('missing permissions and bad input', () => {
  let a: TestCluster;
  let b: TestCluster;

  const entry = async (rule: string) =>
    eventually(async () => {
      const r = await a.admin.get(Rules, { name: rule });
      const e = r.status?.peers?.find((p) => p.cluster === 'cluster-b');
      assert.ok(e, `no status for cluster-b on ${rule} yet`);
      return { ...e, ready: r.status?.conditions?.find((x) => x.type === 'Ready') };
    });

  before(async () => {
    const cs = await startClusters(['cluster-a', 'cluster-b']);
    [a, b] = [cs[0]!, cs[1]!];
    for (const tc of cs) {
      await tc.admin.apply(aggregatedRole('sync-kafka', 'controller', ['*']));
      await tc.admin.apply(aggregatedRole('read-kafka', 'reader', ['get', 'list', 'watch']));
      await ensureNamespace(tc, 'kafka');
      await ensureNamespace(tc, 'shared');
    }
    await startController(a);
    await attach(a, cs);
    await b.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'k1', namespace: 'kafka' },
      spec: { size: 1 },
    } as KubeObject);
  });
  after(async () => {
    await stopAll([a, b].filter(Boolean));
  });

  it('names the missing permission on the peer, then locally, and syncs once both are granted', async () => {
    await b.admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shared' },
      data: { color: 'blue' },
    } as KubeObject);
    await a.admin.apply(
      syncRule('configmaps', { group: '', version: 'v1', kind: 'ConfigMap' }, [
        { match: [{ objectKey: { namespace: 'shared', name: 'settings' } }] },
      ]),
    );
    await eventually(async () => {
      const e = await entry('configmaps');
      assert.equal(e.state, 'Failed');
      assert.match(
        e.lastError ?? '',
        /missing permission on peer cluster cluster-b: cannot get, list, watch configmaps/,
      );
      assert.equal(e.ready?.status, 'False');
    });
    await b.admin.apply(
      aggregatedRole('read-configmaps', 'reader', ['get', 'list', 'watch'], {
        group: '',
        resources: ['configmaps'],
      }),
    );
    await eventually(
      async () => {
        const e = await entry('configmaps');
        assert.match(
          e.lastError ?? '',
          /missing permission on the local cluster: cannot get, list, watch, create, update, delete configmaps/,
        );
      },
      { timeoutMs: 90_000 },
    );
    await a.admin.apply(
      aggregatedRole(
        'sync-configmaps',
        'controller',
        ['get', 'list', 'watch', 'create', 'update', 'delete'],
        {
          group: '',
          resources: ['configmaps'],
        },
      ),
    );
    await eventually(
      async () => {
        const cm = await a.admin.get(ConfigMaps, { namespace: 'shared', name: 'settings' });
        assert.deepEqual(cm.data, { color: 'blue' });
        const e = await entry('configmaps');
        assert.equal(e.state, 'Synced');
      },
      { timeoutMs: 90_000 },
    );
  });

  it('reports bad rules on their status and keeps serving the good one', async () => {
    await a.admin.apply(syncRule('good', KAFKA, [{}]));
    await a.admin.apply(
      syncRule('bad-template', KAFKA, [
        {
          mutations: {
            overrides: [{ type: 'replace', path: '/metadata/name', value: '{{ .Object.GetName' }],
          },
        },
      ]),
    );
    await a.admin.apply(
      syncRule('bad-path', KAFKA, [
        { mutations: { overrides: [{ type: 'replace', path: '/spec/nope/deeper', value: 'x' }] } },
      ]),
    );
    await a.admin.apply(
      syncRule('unknown-gvk', { group: 'nope.example.com', version: 'v1', kind: 'Nope' }, [{}]),
    );

    await eventually(async () => {
      const e = await entry('bad-template');
      assert.equal(e.state, 'Failed');
      assert.match(
        e.lastError ?? '',
        /kafka\/k1: ResourceSyncRule "bad-template": rules\[0\]\.mutations\.overrides\[0\]/,
      );
      assert.match(e.lastError ?? '', /template/i);
    });
    await eventually(async () => {
      const e = await entry('bad-path');
      assert.equal(e.state, 'Failed');
      assert.match(e.lastError ?? '', /replace \/spec\/nope\/deeper/);
    });
    await eventually(async () => {
      const e = await entry('unknown-gvk');
      assert.equal(e.state, 'Failed');
      assert.match(
        e.lastError ?? '',
        /unknown kind: nope\.example\.com\/v1, Kind=Nope is not served by peer cluster cluster-b/,
      );
    });
    // The good rule is unaffected, also for objects created after the bad rules arrived.
    await b.admin.create({
      apiVersion: 'kafka.banzaicloud.io/v1beta1',
      kind: 'KafkaCluster',
      metadata: { name: 'k2', namespace: 'kafka' },
      spec: { size: 2 },
    } as KubeObject);
    await eventually(async () => {
      const names = (await a.admin.list(KafkaClusters)).items.map((o) => o.metadata?.name).sort();
      assert.deepEqual(names, ['k1', 'k2']);
      const e = await entry('good');
      assert.equal(e.state, 'Synced');
      assert.equal(e.objectsSynced, 2);
    });
    // Each problem is also an Event on its rule.
    await eventually(async () => {
      const events = (await a.admin.list(Events, { namespace: 'default' })).items;
      for (const [rule, reason] of [
        ['bad-template', 'InvalidMutation'],
        ['bad-path', 'InvalidMutation'],
        ['unknown-gvk', 'SyncFailed'],
      ]) {
        assert.ok(
          events.some((e) => e.involvedObject?.name === rule && e.reason === reason),
          `no ${reason} event for ${rule}`,
        );
      }
    });
  });

  it('reports a bad or missing kubeconfig Secret on the Cluster, without its content', async () => {
    const secretValue = 'super-secret-token-value';
    await a.admin.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'k8s.cisco.com/cluster-registry-secret',
      metadata: { name: 'cluster-bad', namespace: NS },
      data: {
        kubeconfig: Buffer.from(`users: [ {name: x, user: {token: ${secretValue}}`).toString('base64'),
      },
    } as KubeObject);
    for (const [name, secret] of [
      ['cluster-bad', 'cluster-bad'],
      ['cluster-nosecret', 'missing'],
    ]) {
      await a.admin.apply({
        apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
        kind: 'Cluster',
        metadata: { name },
        spec: { clusterID: `${name}-id`, authInfo: { secretRef: { name: secret, namespace: NS } } },
      } as KubeObject);
    }
    await eventually(async () => {
      const bad = await a.admin.get(Clusters, { name: 'cluster-bad' });
      assert.equal(bad.status?.state, 'InvalidAuthInfo');
      assert.match(
        bad.status?.message ?? '',
        /Secret cluster-registry\/cluster-bad: the kubeconfig cannot be parsed/,
      );
      assert.equal(bad.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'False');
      assert.doesNotMatch(JSON.stringify(bad.status), new RegExp(secretValue));
      const missing = await a.admin.get(Clusters, { name: 'cluster-nosecret' });
      assert.equal(missing.status?.state, 'MissingAuthInfo');
      assert.match(missing.status?.message ?? '', /Secret cluster-registry\/missing not found/);
    });
    await eventually(async () => {
      const events = (await a.admin.list(Events, { namespace: 'default' })).items;
      const e = events.find(
        (x) => x.involvedObject?.name === 'cluster-bad' && x.reason === 'InvalidAuthInfo',
      );
      assert.ok(e);
      assert.doesNotMatch(e.message ?? '', new RegExp(secretValue));
    });
    // The real peer is unaffected.
    const peer = await a.admin.get(Clusters, { name: 'cluster-b' });
    assert.equal(peer.status?.state, 'Ready');
  });
});
