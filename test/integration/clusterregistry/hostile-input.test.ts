// Issue 13, cluster registry items, on real control planes:
//   1. a peer kubeconfig that names local files or programs is refused before anything reads them;
//   5. a go-patch path thousands of segments deep: refused at admission, and a deep one under the
//      limit reaches the rule's status (no stack overflow, no endless retry);
//   7. a huge template is refused at admission; a rule with an expensive template does not keep a
//      benign rule beside it from syncing;
//   8. three peers that answer /version and hang on everything else do not delay a healthy peer.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_SECRET_TYPE } from '../../../src/apis/clusterregistry.k8s.cisco.com/keys.ts';
import { ConfigMaps } from '../../../src/kube/index.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { eventually } from '../../support/eventually.ts';
import { type FakePeer, startFakePeer } from './fake-peer.ts';
import {
  aggregatedRole,
  attach,
  Clusters,
  ensureNamespace,
  kubectl,
  NS,
  Rules,
  startClusters,
  startController,
  stopAll,
  type TestCluster,
} from './support.ts';

const CONFIGMAP = { group: '', version: 'v1', kind: 'ConfigMap' };

function rule(name: string, rules: unknown[]): KubeObject {
  return {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ResourceSyncRule',
    metadata: { name },
    spec: { groupVersionKind: CONFIGMAP, rules },
  } as KubeObject;
}

function peerSecret(name: string, kubeconfig: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: CLUSTER_SECRET_TYPE,
    metadata: { name, namespace: NS },
    data: { kubeconfig: Buffer.from(kubeconfig).toString('base64') },
  } as KubeObject;
}

function peerCluster(name: string, clusterID: string): KubeObject {
  return {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'Cluster',
    metadata: { name },
    spec: { clusterID, authInfo: { secretRef: { name, namespace: NS } } },
  } as KubeObject;
}

describe('hostile and careless input (issue 13)', () => {
  let a: TestCluster;
  let b: TestCluster;
  const fakes: FakePeer[] = [];
  let dir: string;

  const peerEntry = (ruleName: string, peer: string) =>
    eventually(async () => {
      const r = await a.admin.get(Rules, { name: ruleName });
      const e = r.status?.peers?.find((p) => p.cluster === peer);
      assert.ok(e, `no status for ${peer} on ${ruleName} yet`);
      return e;
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sdm-hostile-'));
    const cs = await startClusters(['cluster-a', 'cluster-b']);
    [a, b] = [cs[0]!, cs[1]!];
    for (const tc of cs) {
      await tc.admin.apply(
        aggregatedRole('sync-configmaps', 'controller', ['*'], { group: '', resources: ['configmaps'] }),
      );
      await tc.admin.apply(
        aggregatedRole('read-configmaps', 'reader', ['get', 'list', 'watch'], {
          group: '',
          resources: ['configmaps'],
        }),
      );
      await ensureNamespace(tc, 'apps');
    }
    await startController(a, { 'core-sync': 'false' });
    await attach(a, cs);
  });
  after(async () => {
    await stopAll([a, b].filter(Boolean));
    await Promise.all(fakes.map((f) => f.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses token-file, client-certificate and exec in a peer kubeconfig before reading or running anything', async () => {
    const listener = await startFakePeer();
    fakes.push(listener);
    const marker = `h2-marker-${Date.now()}`;
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, marker);
    const ran = join(dir, 'exec-ran');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['evil-token-file', { 'token-file': tokenFile }, 'users[0].user.token-file'],
      [
        'evil-client-cert',
        { 'client-certificate': tokenFile, 'client-key': tokenFile },
        'users[0].user.client-certificate',
      ],
      [
        'evil-exec',
        {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: '/bin/sh',
            args: ['-c', `echo ran > ${ran}`],
            interactiveMode: 'Never',
          },
        },
        'users[0].user.exec',
      ],
    ];
    for (const [name, user] of cases) {
      await a.admin.apply(peerSecret(name, listener.kubeconfig(user)));
      await a.admin.apply(peerCluster(name, `${name}-id`));
    }
    // The positive control: the same listener with an inline token is reached, and records it, so
    // an empty record below means nothing was sent, not that nothing could be seen.
    await a.admin.apply(peerSecret('inline-token', listener.kubeconfig({ token: `inline-${marker}` })));
    await a.admin.apply(peerCluster('inline-token', 'inline-token-id'));
    for (const [name, , field] of cases) {
      const c = await eventually(async () => {
        const c = await a.admin.get(Clusters, { name });
        assert.equal(c.status?.state, 'InvalidAuthInfo', `${name}: ${c.status?.message}`);
        return c;
      });
      assert.match(c.status?.message ?? '', new RegExp(field.replace(/[[\].]/g, '\\$&')));
      assert.doesNotMatch(c.status?.message ?? '', new RegExp(marker));
    }
    await eventually(async () => {
      assert.ok(
        listener.received.some((r) => r.authorization === `Bearer inline-${marker}`),
        'the inline-token peer was probed',
      );
    });
    // Several probe intervals later: nothing carried the file's content, and the program never ran.
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(
      listener.received.filter(
        (r) => r.authorization?.includes(marker) && !r.authorization.includes('inline-'),
      ),
      [],
    );
    assert.equal(existsSync(ran), false, 'the exec plugin must never run');
    for (const name of [...cases.map((c) => c[0]), 'inline-token']) {
      await a.admin.delete(Clusters, { name });
    }
  });

  it('refuses a 5,000-segment go-patch path at admission, and reports a deep one on the rule without retrying it forever', async () => {
    const tooLong = `/data${'/a?'.repeat(5000)}`;
    assert.throws(
      () =>
        kubectl(
          a.cp,
          ['apply', '-f', '-'],
          JSON.stringify(
            rule('too-long', [
              { mutations: { overrides: [{ type: 'replace', path: tooLong, value: 'x' }] } },
            ]),
          ),
        ),
      /spec\.rules\[0\]\.mutations\.overrides\[0\]\.path/,
    );
    await b.admin.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'deep-source', namespace: 'apps', labels: { test: 'deep' } },
      data: { k: 'v' },
    } as KubeObject);
    const deep = `/data${'/a?'.repeat(1000)}`;
    await a.admin.apply(
      rule('deep-path', [
        {
          match: [{ labels: [{ matchLabels: { test: 'deep' } }] }],
          mutations: { overrides: [{ type: 'replace', path: deep, value: 'x' }] },
        },
      ]),
    );
    const e = await eventually(async () => {
      const e = await peerEntry('deep-path', 'cluster-b');
      assert.equal(e.state, 'Failed');
      return e;
    });
    assert.match(e.lastError ?? '', /overrides\[0\].*nest deeper than 100 levels/);
    const errors = async () => {
      const text = await a.manager!.metrics.registry.metrics();
      const m = /^clusterregistry_sync_errors_total\{rule="deep-path",peer="cluster-b"\} (\d+)/m.exec(text);
      return Number(m?.[1] ?? 0);
    };
    const first = await errors();
    assert.ok(first >= 1);
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(await errors(), first, 'an invalid mutation is reported once, not retried in a loop');
    assert.equal(
      await a.admin.getIfExists(ConfigMaps, { namespace: 'apps', name: 'deep-source' }),
      undefined,
    );
    await a.admin.delete(Rules, { name: 'deep-path' });
  });

  it('refuses a 700 KB template at admission, and an expensive rule does not stop a benign one beside it', async () => {
    const huge = `{{ .Object.GetName }}${'x'.repeat(700 * 1024)}`;
    assert.throws(
      () =>
        kubectl(
          a.cp,
          ['apply', '-f', '-'],
          JSON.stringify(
            rule('huge', [
              { mutations: { overrides: [{ type: 'replace', path: '/data/x?', value: huge }] } },
            ]),
          ),
        ),
      /spec\.rules\[0\]\.mutations\.overrides\[0\]\.value/,
    );
    // Expensive but allowed: near the step limit on every render.
    const heavy = '{{ range $i := until 3000 }}{{ $i | printf "%05d" | sha256sum | trunc 1 }}{{ end }}';
    for (let i = 0; i < 20; i++) {
      await b.admin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `heavy-${i}`, namespace: 'apps', labels: { test: 'heavy' } },
        data: { i: String(i) },
      } as KubeObject);
    }
    await a.admin.apply(
      rule('heavy', [
        {
          match: [{ labels: [{ matchLabels: { test: 'heavy' } }] }],
          mutations: { overrides: [{ type: 'replace', path: '/data/rendered?', value: heavy }] },
        },
      ]),
    );
    await a.admin.apply(rule('benign', [{ match: [{ labels: [{ matchLabels: { test: 'benign' } }] }] }]));
    await b.admin.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'benign-1', namespace: 'apps', labels: { test: 'benign' } },
      data: { ok: 'yes' },
    } as KubeObject);
    await eventually(async () => {
      const copy = await a.admin.getIfExists(ConfigMaps, { namespace: 'apps', name: 'benign-1' });
      assert.equal(copy?.data?.ok, 'yes');
    });
    // Both rules read ConfigMaps from cluster-b through one shared watch.
    const text = await a.manager!.metrics.registry.metrics();
    assert.match(text, /^clusterregistry_watches\{side="source"\} 1$/m);
    // And the heavy rule gets there too, on its own budget.
    await eventually(
      async () => {
        const e = await peerEntry('heavy', 'cluster-b');
        assert.equal(e.objectsSynced, 20, `${e.state} ${e.lastError ?? ''}`);
      },
      { timeoutMs: 120_000 },
    );
    const copy = await a.admin.get(ConfigMaps, { namespace: 'apps', name: 'heavy-3' });
    assert.equal(copy.data?.rendered?.length, 3000);
    // /healthz kept answering throughout (the lease holder is still us).
    assert.equal(a.manager!.isLeader(), true);
    await a.admin.delete(Rules, { name: 'heavy' });
    await a.admin.delete(Rules, { name: 'benign' });
  });

  it('three peers that hang after /version do not delay a healthy peer, and get a status themselves', async () => {
    await a.admin.delete(Clusters, { name: 'cluster-b' });
    await eventually(async () =>
      assert.equal(await a.admin.getIfExists(Clusters, { name: 'cluster-b' }), undefined),
    );
    for (let i = 0; i < 3; i++) {
      const f = await startFakePeer({ hang: true });
      fakes.push(f);
      await a.admin.apply(peerSecret(`hanging-${i}`, f.kubeconfig({ token: 'reader' })));
      await a.admin.apply(peerCluster(`hanging-${i}`, `hanging-${i}-id`));
    }
    // Let the hanging peers get stuck in their first probes.
    await eventually(async () => assert.ok(fakes.slice(-3).every((f) => f.received.length > 1)));
    const started = Date.now();
    await a.admin.apply({
      apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'cluster-b' },
      spec: {
        clusterID: b.id,
        authInfo: { secretRef: { name: 'cluster-b', namespace: NS } },
        kubernetesApiEndpoints: [{ serverAddress: b.cp.server }],
      },
    } as KubeObject);
    // A bound, not a timing goal: without the fix this took minutes (one worker, 60 s timeouts).
    await eventually(
      async () => {
        const c = await a.admin.get(Clusters, { name: 'cluster-b' });
        assert.equal(c.status?.state, 'Ready', c.status?.message);
      },
      { timeoutMs: 20_000 },
    );
    const healthySeconds = (Date.now() - started) / 1000;
    // The hanging peers answer /version, so they are up, and say what they could not read.
    for (let i = 0; i < 3; i++) {
      await eventually(
        async () => {
          const c = await a.admin.get(Clusters, { name: `hanging-${i}` });
          const synced = c.status?.conditions?.find((x) => x.type === 'ClustersSynced');
          assert.equal(synced?.status, 'Unknown', JSON.stringify(c.status));
          assert.match(synced?.message ?? '', /cannot list Clusters on the peer/);
        },
        { timeoutMs: 30_000 },
      );
    }
    console.log(
      `# healthy peer Ready ${healthySeconds.toFixed(1)} s after its Cluster was created, beside 3 hanging peers`,
    );
  });
});
