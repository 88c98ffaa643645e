// Our kubeconfig loader (src/kube/kubeconfig.ts): kubectl's merge rules for
// $KUBECONFIG, --context, relative file references, in-cluster credentials
// from a ServiceAccount directory, token files re-read when they rotate, and
// errors that name the file and field but never a credential.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { AccessOptions } from '../../../src/kube/cluster-access.ts';
import {
  inClusterAccess,
  KubeconfigAccess,
  KubeconfigError,
  loadClusterAccess,
  mergeKubeconfigs,
  parseKubeconfig,
  selectContext,
} from '../../../src/kube/kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'sdm-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Writes a file under a fresh directory of its own; returns its path. */
function file(content: string, name = 'config'): string {
  const d = join(dir, String(n++));
  mkdirSync(d, { recursive: true });
  const p = join(d, name);
  writeFileSync(p, content);
  return p;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function config(o: {
  clusters?: Record<string, Record<string, unknown>>;
  users?: Record<string, Record<string, unknown>>;
  contexts?: Record<string, Record<string, unknown>>;
  current?: string;
}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: Object.entries(o.clusters ?? {}).map(([name, cluster]) => ({ name, cluster })),
    users: Object.entries(o.users ?? {}).map(([name, user]) => ({ name, user })),
    contexts: Object.entries(o.contexts ?? {}).map(([name, context]) => ({ name, context })),
    ...(o.current ? { 'current-context': o.current } : {}),
  });
}

async function optionsOf(access: KubeconfigAccess): Promise<AccessOptions> {
  const opts: AccessOptions = {};
  await access.applyToHTTPSOptions(opts);
  return opts;
}

const noEnv = { env: {}, homeDir: join(dir, 'no-home') };

/** The KubeconfigError message `fn` throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof KubeconfigError, `not a KubeconfigError: ${err}`);
    return err.message;
  }
  assert.fail('did not throw');
}

describe('kubeconfig: one file', () => {
  it('gives server, TLS material and a token from inline data', async () => {
    const path = file(
      config({
        clusters: {
          c: {
            server: 'https://10.0.0.1:6443/',
            'certificate-authority-data': b64('CA PEM'),
            'tls-server-name': 'kubernetes',
            'proxy-url': 'http://proxy:3128',
          },
        },
        users: {
          u: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY'), token: 'tok-1' },
        },
        contexts: { x: { cluster: 'c', user: 'u', namespace: 'team' } },
        current: 'x',
      }),
    );
    const access = loadClusterAccess({ kubeconfig: path }, noEnv);
    assert.deepEqual(access.getCurrentCluster(), {
      server: 'https://10.0.0.1:6443',
      skipTLSVerify: false,
      tlsServerName: 'kubernetes',
      proxyUrl: 'http://proxy:3128',
    });
    assert.equal(access.contextName, 'x');
    assert.equal(access.namespace, 'team');
    const opts = await optionsOf(access);
    assert.equal(String(opts.ca), 'CA PEM');
    assert.equal(String(opts.cert), 'CERT');
    assert.equal(String(opts.key), 'KEY');
    assert.equal(opts.servername, 'kubernetes');
    assert.equal(opts.rejectUnauthorized, undefined);
    assert.deepEqual(opts.headers, { Authorization: 'Bearer tok-1' });
  });

  it('reads file references relative to the kubeconfig, and --context picks another context', async () => {
    const path = file(
      config({
        clusters: {
          a: { server: 'https://a:6443', 'certificate-authority': 'pki/ca.crt' },
          b: { server: 'https://b:6443', 'insecure-skip-tls-verify': true },
        },
        users: {
          certs: { 'client-certificate': 'pki/user.crt', 'client-key': 'pki/user.key' },
          basic: { username: 'alice', password: 'pw' },
        },
        contexts: { one: { cluster: 'a', user: 'certs' }, two: { cluster: 'b', user: 'basic' } },
        current: 'one',
      }),
    );
    const pki = join(path, '..', 'pki');
    mkdirSync(pki);
    writeFileSync(join(pki, 'ca.crt'), 'CA FROM FILE');
    writeFileSync(join(pki, 'user.crt'), 'CERT FROM FILE');
    writeFileSync(join(pki, 'user.key'), 'KEY FROM FILE');
    const one = await optionsOf(loadClusterAccess({ kubeconfig: path }, noEnv));
    assert.equal(String(one.ca), 'CA FROM FILE');
    assert.equal(String(one.cert), 'CERT FROM FILE');
    assert.equal(String(one.key), 'KEY FROM FILE');
    const twoAccess = loadClusterAccess({ kubeconfig: path, context: 'two' }, noEnv);
    assert.equal(twoAccess.getCurrentCluster().server, 'https://b:6443');
    const two = await optionsOf(twoAccess);
    assert.equal(two.rejectUnauthorized, false);
    assert.equal(two.ca, undefined);
    assert.equal(two.auth, 'alice:pw');
  });

  it('sends impersonation headers (as, as-uid, groups and extras as repeated lines, extra keys escaped as client-go does)', async () => {
    const text = config({
      clusters: { c: { server: 'https://c' } },
      users: {
        u: {
          token: 't',
          as: 'jane',
          'as-uid': '1234',
          'as-groups': ['devs', 'ops'],
          'as-user-extra': { 'example.com/scope s': ['read', 'write'] },
        },
      },
      contexts: { x: { cluster: 'c', user: 'u' } },
      current: 'x',
    });
    const opts = await optionsOf(new KubeconfigAccess(selectContext(parseKubeconfig(text, 'k'))));
    assert.deepEqual(opts.headers, {
      Authorization: 'Bearer t',
      'Impersonate-User': 'jane',
      'Impersonate-Uid': '1234',
      'Impersonate-Group': ['devs', 'ops'],
      'Impersonate-Extra-example.com%2Fscope%20s': ['read', 'write'],
    });
  });

  it('a context without a user makes anonymous requests', async () => {
    const text = config({ clusters: { c: { server: 'http://c:8080' } }, contexts: { x: { cluster: 'c' } } });
    const access = new KubeconfigAccess(selectContext(parseKubeconfig(text, 'k'), 'x'));
    assert.deepEqual(await optionsOf(access), {});
  });
});

describe('kubeconfig: $KUBECONFIG merged as kubectl does', () => {
  const first = file(
    config({
      clusters: { shared: { server: 'https://first:6443' } },
      users: { u: { token: 'first-token' } },
      contexts: { a: { cluster: 'shared', user: 'u' } },
    }),
  );
  const second = file(
    config({
      clusters: { shared: { server: 'https://second:6443' }, only2: { server: 'https://only2:6443' } },
      users: { u: { token: 'second-token' } },
      contexts: { a: { cluster: 'only2', user: 'u' }, b: { cluster: 'only2', user: 'u' } },
      current: 'a',
    }),
  );
  const third = file(config({ contexts: { c: { cluster: 'shared' } }, current: 'c' }));
  const missing = join(dir, 'does-not-exist');

  it('first file to set a name wins; current-context from the first file that sets it', async () => {
    const env = { KUBECONFIG: [first, missing, '', second, third].join(':') };
    const access = loadClusterAccess({}, { env, homeDir: dir });
    // current-context "a" comes from the second file, context "a" from the first.
    assert.equal(access.contextName, 'a');
    assert.equal(access.getCurrentCluster().server, 'https://first:6443');
    assert.deepEqual((await optionsOf(access)).headers, { Authorization: 'Bearer first-token' });
    const b = loadClusterAccess({ context: 'b' }, { env, homeDir: dir });
    assert.equal(b.getCurrentCluster().server, 'https://only2:6443');
    // The third file's current-context does not override the second's.
    const reversed = loadClusterAccess({}, { env: { KUBECONFIG: `${third}:${second}` }, homeDir: dir });
    assert.equal(reversed.contextName, 'c');
    assert.equal(reversed.getCurrentCluster().server, 'https://second:6443');
  });

  it('merges as pure data too (entries are never merged field by field)', () => {
    const a = parseKubeconfig(
      config({ clusters: { c: { server: 'https://a', 'tls-server-name': 'x' } } }),
      'a',
    );
    const b = parseKubeconfig(
      config({ clusters: { c: { server: 'https://b', 'proxy-url': 'http://p' } } }),
      'b',
    );
    const m = mergeKubeconfigs([a, b]);
    assert.deepEqual(m.sources, ['a', 'b']);
    assert.equal(m.clusters.get('c')?.value.server, 'https://a');
    assert.equal(m.clusters.get('c')?.value.proxyUrl, undefined);
    assert.equal(m.clusters.get('c')?.source, 'a');
  });

  it('--kubeconfig wins over $KUBECONFIG, which wins over ~/.kube/config', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(
      join(home, '.kube', 'config'),
      config({
        clusters: { h: { server: 'https://home' } },
        contexts: { h: { cluster: 'h' } },
        current: 'h',
      }),
    );
    const viaHome = loadClusterAccess({}, { env: {}, homeDir: home });
    assert.equal(viaHome.getCurrentCluster().server, 'https://home');
    assert.equal(viaHome.source, join(home, '.kube', 'config'));
    const viaEnv = loadClusterAccess({}, { env: { KUBECONFIG: second }, homeDir: home });
    assert.equal(viaEnv.getCurrentCluster().server, 'https://only2:6443');
    const viaFlag = loadClusterAccess(
      { kubeconfig: first, context: 'a' },
      { env: { KUBECONFIG: second }, homeDir: home },
    );
    assert.equal(viaFlag.getCurrentCluster().server, 'https://first:6443');
  });

  it('errors name the files and the context, and list the contexts there are', () => {
    const env = { KUBECONFIG: `${first}:${second}` };
    const msg = errorOf(() => loadClusterAccess({ context: 'nope' }, { env, homeDir: dir }));
    assert.equal(msg, `context "nope" not found in ${first}, ${second} (contexts: a, b)`);
    const none = errorOf(() => loadClusterAccess({}, { env: { KUBECONFIG: first }, homeDir: dir }));
    assert.equal(none, `${first}: no current-context is set; pass --context (contexts: a)`);
    assert.match(
      errorOf(() => loadClusterAccess({}, { env: { KUBECONFIG: `${missing}:` }, homeDir: dir })),
      /none of the files in \$KUBECONFIG exists: .*does-not-exist/,
    );
    assert.equal(
      errorOf(() => loadClusterAccess({ kubeconfig: missing }, noEnv)),
      `cannot read kubeconfig ${missing} (ENOENT)`,
    );
  });
});

describe('kubeconfig: in-cluster', () => {
  function serviceAccountDir(token: string): string {
    const d = join(dir, `sa-${n++}`);
    mkdirSync(d);
    writeFileSync(join(d, 'token'), `${token}\n`);
    writeFileSync(join(d, 'ca.crt'), 'CLUSTER CA');
    writeFileSync(join(d, 'namespace'), 'sdm-system');
    return d;
  }

  it('uses KUBERNETES_SERVICE_HOST/PORT, the token, ca.crt and the namespace file', async () => {
    const saDir = serviceAccountDir('sa-token-1');
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    // No kubeconfig anywhere: in-cluster is the fallback.
    const access = loadClusterAccess({}, { env, homeDir: join(dir, 'nohome'), serviceAccountDir: saDir });
    assert.equal(access.getCurrentCluster().server, 'https://10.96.0.1:443');
    assert.equal(access.namespace, 'sdm-system');
    const opts = await optionsOf(access);
    assert.equal(String(opts.ca), 'CLUSTER CA');
    assert.deepEqual(opts.headers, { Authorization: 'Bearer sa-token-1' });
    const v6 = inClusterAccess({
      env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' },
      serviceAccountDir: saDir,
    });
    assert.equal(v6.getCurrentCluster().server, 'https://[fd00::1]:6443');
  });

  it('re-reads the token when kubelet rotates it (atomic replace), keeps the last one if it vanishes', async () => {
    const saDir = serviceAccountDir('before-rotation');
    const env = { KUBERNETES_SERVICE_HOST: 'k', KUBERNETES_SERVICE_PORT: '443' };
    const access = inClusterAccess({ env, serviceAccountDir: saDir, recheckMs: 0 });
    assert.deepEqual((await optionsOf(access)).headers, { Authorization: 'Bearer before-rotation' });
    // kubelet writes the new token beside it and swaps it in.
    writeFileSync(join(saDir, 'token.new'), 'after-rotation');
    renameSync(join(saDir, 'token.new'), join(saDir, 'token'));
    assert.deepEqual((await optionsOf(access)).headers, { Authorization: 'Bearer after-rotation' });
    rmSync(join(saDir, 'token'));
    assert.deepEqual((await optionsOf(access)).headers, { Authorization: 'Bearer after-rotation' });
  });

  it('checks a token file at most every recheckMs', async () => {
    const saDir = serviceAccountDir('first');
    const env = { KUBERNETES_SERVICE_HOST: 'k', KUBERNETES_SERVICE_PORT: '443' };
    const access = inClusterAccess({ env, serviceAccountDir: saDir, recheckMs: 60_000 });
    writeFileSync(join(saDir, 'token'), 'second, written right away');
    assert.deepEqual((await optionsOf(access)).headers, { Authorization: 'Bearer first' });
  });

  it('a kubeconfig tokenFile is re-read too, and wins over an inline token', async () => {
    const path = file(
      config({
        clusters: { c: { server: 'https://c' } },
        users: { u: { tokenFile: 'token', token: 'inline' } },
        contexts: { x: { cluster: 'c', user: 'u' } },
        current: 'x',
      }),
    );
    writeFileSync(join(path, '..', 'token'), 'from-file-1');
    const access = loadClusterAccess({ kubeconfig: path }, { ...noEnv, recheckMs: 0 });
    assert.deepEqual((await optionsOf(access)).headers, { Authorization: 'Bearer from-file-1' });
    writeFileSync(join(path, '..', 'token'), 'from-file-2-longer');
    assert.deepEqual((await optionsOf(access)).headers, { Authorization: 'Bearer from-file-2-longer' });
  });

  it('says what is missing outside a pod, and refuses --context there', () => {
    assert.equal(
      errorOf(() => loadClusterAccess({}, noEnv)),
      'no kubeconfig: pass --kubeconfig, set $KUBECONFIG, create ~/.kube/config, or run in a pod',
    );
    const env = { KUBERNETES_SERVICE_HOST: 'k', KUBERNETES_SERVICE_PORT: '443' };
    assert.match(
      errorOf(() => loadClusterAccess({ context: 'x' }, { env, homeDir: dir })),
      /context "x" not found/,
    );
    const empty = join(dir, `empty-sa-${n++}`);
    mkdirSync(empty);
    assert.equal(
      errorOf(() => inClusterAccess({ env, serviceAccountDir: empty })),
      `in-cluster: service account.cluster.certificate-authority: cannot read ${join(empty, 'ca.crt')} (ENOENT)`,
    );
  });
});

describe('kubeconfig: refusals and messages without secrets', () => {
  const SECRET = 'very-secret-credential-4711';
  const base = {
    clusters: { c: { server: 'https://c' } },
    contexts: { x: { cluster: 'c', user: 'u' } },
    current: 'x',
  };
  const cases: [string, string, RegExp][] = [
    ['broken YAML', `users: [ {name: u, user: {token: ${SECRET}}\n  - :`, /^k: not valid YAML at line \d+$/],
    ['not a map', `- ${SECRET}`, /^k: not a kubeconfig \(expected a YAML map\)$/],
    [
      'token of the wrong type',
      config({ ...base, users: { u: { token: [SECRET] } } }),
      /^k: users\[0\]\.user\.token: not a string$/,
    ],
    [
      'data that is not base64',
      config({
        ...base,
        users: { u: { 'client-certificate-data': `${SECRET}!`, 'client-key-data': 'QQ==' } },
      }),
      /^k: users\[0\]\.user\.client-certificate-data: not valid base64$/,
    ],
    [
      'a certificate without its key',
      config({ ...base, users: { u: { 'client-certificate-data': b64(SECRET) } } }),
      /^k: users\[0\]\.user: client-certificate without client-key$/,
    ],
    [
      'basic auth and a token',
      config({ ...base, users: { u: { token: SECRET, username: 'a', password: SECRET } } }),
      /^k: users\[0\]\.user: username\/password or a token may be set, not both$/,
    ],
    [
      'a duplicate user name',
      config({ ...base, users: { u: { token: SECRET } } }).replace(
        'users:\n',
        'users:\n  - name: u\n    user: {}\n',
      ),
      /^k: users\[1\]: duplicate name "u"$/,
    ],
    [
      'a context naming no known cluster',
      config({ ...base, clusters: {}, users: { u: { token: SECRET } } }),
      /^k: contexts\[0\]\.context\.cluster: cluster "c" not found in k$/,
    ],
    [
      'a context naming no known user',
      config({ ...base }),
      /^k: contexts\[0\]\.context\.user: user "u" not found in k$/,
    ],
    [
      'a cluster without a server',
      config({
        ...base,
        clusters: { c: { 'certificate-authority-data': b64(SECRET) } },
        users: { u: { token: SECRET } },
      }),
      /^k: clusters\[0\]\.cluster\.server: missing$/,
    ],
    [
      'a server that is not a URL',
      config({ ...base, clusters: { c: { server: 'not a url' } }, users: { u: { token: SECRET } } }),
      /^k: clusters\[0\]\.cluster\.server: not a URL$/,
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(`refuses ${what}, naming the field and not the value`, () => {
      const msg = errorOf(() => new KubeconfigAccess(selectContext(parseKubeconfig(text, 'k'))));
      assert.match(msg, expected);
      assert.ok(!msg.includes(SECRET), msg);
    });
  }

  it('names an unreadable token file by path, not by content', () => {
    const text = config({ ...base, users: { u: { tokenFile: '/nonexistent/token' } } });
    assert.equal(
      errorOf(() => new KubeconfigAccess(selectContext(parseKubeconfig(text, 'k')))),
      'k: users[0].user.tokenFile: cannot read /nonexistent/token (ENOENT)',
    );
  });

  it('refuses every file reference and exec when files are not allowed (peer kubeconfigs)', () => {
    const tokenFile = file(SECRET, 'token');
    for (const user of [
      { tokenFile },
      { 'client-certificate': tokenFile, 'client-key': tokenFile },
      { exec: { command: 'true', apiVersion: 'client.authentication.k8s.io/v1' } },
    ]) {
      const text = config({ ...base, users: { u: user } });
      const msg = errorOf(
        () => new KubeconfigAccess(selectContext(parseKubeconfig(text, 'k')), { allowFiles: false }),
      );
      assert.match(msg, /not allowed here/);
      assert.ok(!msg.includes(SECRET));
    }
    const ca = config({
      ...base,
      clusters: { c: { server: 'https://c', 'certificate-authority': tokenFile } },
      users: { u: { token: 't' } },
    });
    assert.match(
      errorOf(() => new KubeconfigAccess(selectContext(parseKubeconfig(ca, 'k')), { allowFiles: false })),
      /certificate-authority: file references are not allowed here/,
    );
  });
});

describe('kubeconfig: exec plugins go to client-node', () => {
  it('runs the exec plugin and sends the token it prints', async () => {
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'token-from-exec' },
    });
    const path = file(
      config({
        clusters: { c: { server: 'https://c:6443', 'certificate-authority-data': b64('CA') } },
        users: {
          u: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: process.execPath,
              args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`],
              interactiveMode: 'Never',
            },
            as: 'someone',
          },
        },
        contexts: { x: { cluster: 'c', user: 'u' } },
        current: 'x',
      }),
    );
    const access = loadClusterAccess({ kubeconfig: path }, noEnv);
    assert.equal(access.getCurrentCluster().server, 'https://c:6443');
    const opts = await optionsOf(access);
    assert.equal(opts.headers?.Authorization, 'Bearer token-from-exec');
    assert.equal(opts.headers?.['Impersonate-User'], 'someone');
    assert.equal(String(opts.ca), 'CA');
  });
});
