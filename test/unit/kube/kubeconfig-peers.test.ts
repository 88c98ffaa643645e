// A peer's kubeconfig (from a Secret another cluster may plant) becomes our
// own ClusterAccess (src/kube/kubeconfig.ts) in peerKubeConfig: the Cluster's
// endpoint and caBundle override the kubeconfig's, nothing is read from our
// files, and every refusal is an AuthInfoError that quotes no credential.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Cluster } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { AuthInfoError, peerKubeConfig } from '../../../src/controllers/clusterregistry/peers.ts';
import type { AccessOptions } from '../../../src/kube/cluster-access.ts';
import { cluster2 } from '../clusterregistry/fixtures.ts';

const SECRET = 'peer-secret-token-0815';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function text(cluster: Record<string, unknown>, user: Record<string, unknown>, current = 'x'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://from-kubeconfig:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': current,
  });
}

function withEndpoints(endpoints: Cluster['spec']['kubernetesApiEndpoints']): Cluster {
  return { ...cluster2, spec: { ...cluster2.spec, kubernetesApiEndpoints: endpoints } };
}

async function optionsOf(access: ReturnType<typeof peerKubeConfig>): Promise<AccessOptions> {
  const opts: AccessOptions = {};
  await access.applyToHTTPSOptions(opts);
  return opts;
}

function authError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AuthInfoError, `not an AuthInfoError: ${err}`);
    assert.ok(!err.message.includes(SECRET), err.message);
    return err.message;
  }
  assert.fail('accepted');
}

describe('peerKubeConfig builds our own access', () => {
  it("takes the Cluster's endpoint and caBundle over the kubeconfig's", async () => {
    const access = peerKubeConfig(
      withEndpoints([
        { serverAddress: 'other-net:6443', clientNetwork: 'other', caBundle: b64('OTHER CA') },
        { serverAddress: 'peer.example:6443', caBundle: b64('ENDPOINT CA') },
      ]),
      text({ 'certificate-authority-data': b64('KUBECONFIG CA') }, { token: SECRET }),
    );
    assert.equal(access.getCurrentCluster()?.server, 'https://peer.example:6443');
    const opts = await optionsOf(access);
    assert.equal(String(opts.ca), 'ENDPOINT CA');
    assert.deepEqual(opts.headers, { Authorization: `Bearer ${SECRET}` });
    const onOther = peerKubeConfig(
      withEndpoints([{ serverAddress: 'https://other-net:6443', clientNetwork: 'other' }]),
      text({ 'certificate-authority-data': b64('KUBECONFIG CA') }, { token: SECRET }),
      'other',
    );
    assert.equal(onOther.getCurrentCluster()?.server, 'https://other-net:6443');
    assert.equal(String((await optionsOf(onOther)).ca), 'KUBECONFIG CA');
  });

  it("uses the kubeconfig's server and inline client certificate without endpoints", async () => {
    const access = peerKubeConfig(
      withEndpoints([]),
      text(
        { 'insecure-skip-tls-verify': true },
        { 'client-certificate-data': b64('CERT'), 'client-key-data': b64(SECRET) },
      ),
    );
    assert.equal(access.getCurrentCluster()?.server, 'https://from-kubeconfig:6443');
    const opts = await optionsOf(access);
    assert.equal(opts.rejectUnauthorized, false);
    assert.equal(String(opts.cert), 'CERT');
    assert.equal(String(opts.key), SECRET);
  });

  it('refuses what it cannot use, with the old wording and no credential in the message', () => {
    assert.match(
      authError(() => peerKubeConfig(cluster2, text({}, { token: SECRET }, 'missing'))),
      /^the kubeconfig has no current context with a cluster and user: current-context "missing" not found/,
    );
    assert.match(
      authError(() => peerKubeConfig(cluster2, text({}, { token: SECRET, username: 'a', password: SECRET }))),
      /^the kubeconfig has no current context with a cluster and user: .*not both$/,
    );
    assert.match(
      authError(() =>
        peerKubeConfig(
          cluster2,
          text({}, { 'client-certificate-data': `${SECRET}!`, 'client-key-data': 'QQ==' }),
        ),
      ),
      /^the kubeconfig cannot be parsed: the kubeconfig: users\[0\]\.user\.client-certificate-data: not valid base64$/,
    );
    assert.match(
      authError(() =>
        peerKubeConfig(withEndpoints([{ serverAddress: 'https://bad host' }]), text({}, { token: SECRET })),
      ),
      /^invalid API server address "https:\/\/bad host"$/,
    );
    const noUser = stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://a' } }],
      contexts: [{ name: 'x', context: { cluster: 'c' } }],
      'current-context': 'x',
    });
    assert.equal(
      authError(() => peerKubeConfig(cluster2, noUser)),
      'the kubeconfig has no current context with a cluster and user',
    );
  });
});
