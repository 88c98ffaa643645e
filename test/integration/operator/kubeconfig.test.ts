// `bin/sdm operator` against a real control plane, its credentials from a
// kubeconfig FILE read by our own loader (src/kube/kubeconfig.ts): a client
// certificate in files named relative to the kubeconfig, the context picked
// with --context; and a ServiceAccount token in a tokenFile found through
// $KUBECONFIG, re-read when it is replaced (bound tokens rotate). Proof of
// authentication: the operator takes its Lease and the CSR signer creates its
// CA Secret, both writes the API server refuses to an unauthenticated caller.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import {
  Client,
  isNotFound,
  type KubeObject,
  kind,
  loadClusterAccess,
  Secrets,
} from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const sdm = join(root, 'bin', 'sdm');
const Leases = kind<KubeObject & { spec?: { holderIdentity?: string } }>('coordination.k8s.io/v1', 'Lease');

function kubeconfig(o: {
  clusters: Record<string, Record<string, unknown>>;
  users: Record<string, Record<string, unknown>>;
  contexts: Record<string, Record<string, unknown>>;
  current: string;
}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: Object.entries(o.clusters).map(([name, cluster]) => ({ name, cluster })),
    users: Object.entries(o.users).map(([name, user]) => ({ name, user })),
    contexts: Object.entries(o.contexts).map(([name, context]) => ({ name, context })),
    'current-context': o.current,
  });
}

/** `sdm operator` running the CSR signer with its Lease and CA Secret in `namespace`. */
function startOperator(
  namespace: string,
  args: string[],
  env: Record<string, string | undefined>,
): ChildProcess {
  const { KUBECONFIG: _, ...rest } = process.env;
  const child = spawn(
    sdm,
    [
      'operator',
      '--controllers=csrsigner',
      `--set=csrsigner.namespace=${namespace}`,
      `--leader-election-namespace=${namespace}`,
      '--leader-election-id=sdm-test',
      '--health-port=0',
      ...args,
    ],
    { env: { ...rest, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`operator exited ${code}: ${stderr}\n`);
  });
  return child;
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('sdm operator with a kubeconfig file', () => {
  let cp: ControlPlane;
  let admin: Client;
  let dir: string;
  const children: ChildProcess[] = [];

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    // The admin kubeconfig (inline data) through our loader as well.
    admin = Client.fromKubeConfig(loadClusterAccess({ kubeconfig: cp.kubeconfigPath }));
    dir = mkdtempSync(join(tmpdir(), 'sdm-operator-kubeconfig-'));
  });

  after(async () => {
    await Promise.all(children.map(stop));
    await admin?.transport.close();
    await cp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function namespace(name: string): Promise<void> {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** The Lease is held and the CA Secret exists: the operator wrote both. */
  async function authenticated(ns: string): Promise<void> {
    await eventually(
      async () => {
        const lease = await admin.get(Leases, { namespace: ns, name: 'sdm-test' });
        assert.ok(lease.spec?.holderIdentity, 'the Lease has no holder');
        await admin.get(Secrets, { namespace: ns, name: 'csr-operator-cacerts' });
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
  }

  /** A directory holding the control plane's CA and admin cert/key under pki/; returns its kubeconfig path. */
  function withAdminPki(name: string): string {
    const kdir = join(dir, name);
    mkdirSync(join(kdir, 'pki'), { recursive: true });
    for (const f of ['ca.crt', 'admin.crt', 'admin.key'])
      copyFileSync(join(cp.dir, 'pki', f), join(kdir, 'pki', f));
    return join(kdir, 'kubeconfig');
  }

  it('client certificate from files relative to the kubeconfig, context chosen with --context', async () => {
    const ns = 'kc-cert';
    await namespace(ns);
    const file = withAdminPki('cert');
    writeFileSync(
      file,
      kubeconfig({
        clusters: {
          // current-context points at nothing that answers: only --context makes this work.
          nowhere: { server: 'https://127.0.0.1:1', 'certificate-authority': 'pki/ca.crt' },
          dev: { server: cp.server, 'certificate-authority': 'pki/ca.crt' },
        },
        users: { admin: { 'client-certificate': 'pki/admin.crt', 'client-key': 'pki/admin.key' } },
        contexts: { wrong: { cluster: 'nowhere', user: 'admin' }, right: { cluster: 'dev', user: 'admin' } },
        current: 'wrong',
      }),
      { mode: 0o600 },
    );
    const bad = spawnSync(sdm, ['operator', '--kubeconfig', file, '--context', 'nope', '--health-port=0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(bad.status, 1, bad.stderr);
    assert.equal(bad.stderr.trim(), `sdm: context "nope" not found in ${file} (contexts: wrong, right)`);

    const child = startOperator(ns, ['--kubeconfig', file, '--context', 'right'], {});
    children.push(child);
    await authenticated(ns);
    assert.equal(child.exitCode, null, 'the operator exited');
    await stop(child);
  });

  it('ServiceAccount token from a tokenFile via $KUBECONFIG, re-read when replaced', async () => {
    const ns = 'kc-token';
    await namespace(ns);
    // Any token the API server accepts will do: this one is a ServiceAccount's, bound to cluster-admin.
    const sa = await cp.serviceAccountKubeConfig(ns, 'sdm-operator');
    const token = sa.getCurrentUser()?.token;
    assert.ok(token);
    await admin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kc-token-sdm-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', namespace: ns, name: 'sdm-operator' }],
    } as KubeObject);
    const kdir = join(dir, 'token');
    mkdirSync(kdir, { recursive: true });
    copyFileSync(join(cp.dir, 'pki', 'ca.crt'), join(kdir, 'ca.crt'));
    const tokenFile = join(kdir, 'token');
    // Not a token the API server knows: every request is 401 until the file is replaced.
    writeFileSync(tokenFile, 'not-a-valid-token\n');
    const file = join(kdir, 'kubeconfig');
    writeFileSync(
      file,
      kubeconfig({
        clusters: { dev: { server: cp.server, 'certificate-authority': 'ca.crt' } },
        users: { sa: { tokenFile: 'token' } },
        contexts: { sa: { cluster: 'dev', user: 'sa' } },
        current: 'sa',
      }),
      { mode: 0o600 },
    );
    const child = startOperator(ns, [], { KUBECONFIG: `${join(kdir, 'missing')}:${file}` });
    children.push(child);
    // Long enough for an operator with a working token to take its Lease (the first test: ~1-3 s).
    await new Promise((r) => setTimeout(r, 5000));
    await assert.rejects(admin.get(Leases, { namespace: ns, name: 'sdm-test' }), isNotFound);
    assert.equal(child.exitCode, null, 'the operator gave up on a bad token instead of retrying');
    // Rotated as kubelet does: written beside, then renamed over.
    writeFileSync(join(kdir, 'token.new'), token);
    renameSync(join(kdir, 'token.new'), tokenFile);
    await authenticated(ns);
    assert.equal(child.exitCode, null, 'the operator exited');
    await stop(child);
  });

  it('impersonation with several groups and extra values reaches the API server as several values', async () => {
    const file = withAdminPki('impersonate');
    writeFileSync(
      file,
      kubeconfig({
        clusters: { dev: { server: cp.server, 'certificate-authority': 'pki/ca.crt' } },
        users: {
          admin: {
            'client-certificate': 'pki/admin.crt',
            'client-key': 'pki/admin.key',
            as: 'jane',
            'as-groups': ['team-a', 'team-b'],
            'as-user-extra': { scopes: ['read', 'write'] },
          },
        },
        contexts: { dev: { cluster: 'dev', user: 'admin' } },
        current: 'dev',
      }),
      { mode: 0o600 },
    );
    const client = Client.fromKubeConfig(loadClusterAccess({ kubeconfig: file }));
    try {
      // SelfSubjectReview answers with the user the API server authenticated (after impersonation).
      const review = await client.transport.request<{
        status?: { userInfo?: { username?: string; groups?: string[]; extra?: Record<string, string[]> } };
      }>({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      });
      const user = review.status?.userInfo;
      assert.equal(user?.username, 'jane');
      assert.ok(user?.groups?.includes('team-a') && user.groups.includes('team-b'), JSON.stringify(user));
      assert.deepEqual(user?.extra?.scopes, ['read', 'write']);
    } finally {
      await client.transport.close();
    }
  });
});
