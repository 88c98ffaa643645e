// Issue 13 item 1: a peer kubeconfig is checked as raw YAML before any library sees it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import {
  checkPeerKubeconfig,
  KubeconfigRefused,
} from '../../../src/controllers/clusterregistry/kubeconfig-guard.ts';
import { AuthInfoError, peerKubeConfig } from '../../../src/controllers/clusterregistry/peers.ts';
import { cluster2 } from './fixtures.ts';

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, extra = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
    ...extra,
  });
}

function refusedField(text: string, options?: { allowProxy?: boolean }): string {
  try {
    checkPeerKubeconfig(text, options);
  } catch (err) {
    assert.ok(err instanceof KubeconfigRefused, String(err));
    return err.field;
  }
  return '(accepted)';
}

describe('peer kubeconfig guard', () => {
  it('accepts inline credentials, as the reader Secret and client-node write them', () => {
    assert.equal(
      refusedField(kubeconfig({ 'certificate-authority-data': 'QUJD' }, { token: 'abc' })),
      '(accepted)',
    );
    assert.equal(
      refusedField(
        kubeconfig(
          { 'insecure-skip-tls-verify': true },
          { 'client-certificate-data': 'QQ==', 'client-key-data': 'QQ==' },
        ),
      ),
      '(accepted)',
    );
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'a', server: 'https://x:6443', caData: 'QUJD', skipTLSVerify: false }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'c', cluster: 'a', user: 'u' }],
      currentContext: 'c',
    });
    assert.equal(refusedField(kc.exportConfig()), '(accepted)');
  });

  for (const [field, cluster, user] of [
    ['users[0].user.token-file', {}, { 'token-file': '/var/run/secrets/kubernetes.io/serviceaccount/token' }],
    ['users[0].user.client-certificate', {}, { 'client-certificate': '/etc/hostname' }],
    ['users[0].user.client-key', {}, { 'client-key': '/etc/hostname' }],
    ['users[0].user.exec', {}, { exec: { command: 'sh', apiVersion: 'client.authentication.k8s.io/v1' } }],
    ['users[0].user.auth-provider', {}, { 'auth-provider': { name: 'oidc' } }],
    ['users[0].user.as', {}, { token: 't', as: 'system:admin' }],
    [
      'clusters[0].cluster.certificate-authority',
      { 'certificate-authority': '/etc/hostname' },
      { token: 't' },
    ],
    ['clusters[0].cluster.proxy-url', { 'proxy-url': 'http://evil:3128' }, { token: 't' }],
  ] as const) {
    it(`refuses ${field}, naming it`, () => {
      const text = kubeconfig(cluster, user);
      assert.equal(refusedField(text), field);
      assert.throws(
        () => checkPeerKubeconfig(text),
        (err: Error) => err.message.includes(field),
      );
      // The Cluster's status gets it through peerKubeConfig, before client-node reads anything.
      assert.throws(
        () => peerKubeConfig(cluster2, text),
        (err: Error) => err instanceof AuthInfoError && err.message.includes(field),
      );
    });
  }

  it('allows proxy-url only when told to', () => {
    assert.equal(
      refusedField(kubeconfig({ 'proxy-url': 'http://proxy:3128' }, { token: 't' }), { allowProxy: true }),
      '(accepted)',
    );
  });

  it('refuses a second user with a file reference even when the current one is clean', () => {
    const text = stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://a' } }],
      users: [
        { name: 'u', user: { token: 't' } },
        { name: 'v', user: { tokenFile: '/etc/hostname' } },
      ],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    });
    assert.equal(refusedField(text), 'users[1].user.tokenFile');
  });

  it('refuses broken YAML, alias bombs and oversized text without quoting them', () => {
    const secret = 'sekret-token-value';
    const broken = `users: [{name: u, user: {token: ${secret}}\n  - :`;
    assert.throws(
      () => checkPeerKubeconfig(broken),
      (err: Error) => !err.message.includes(secret),
    );
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    assert.throws(() => checkPeerKubeconfig(bomb), KubeconfigRefused);
    assert.throws(() => checkPeerKubeconfig(`token: ${'x'.repeat(300 * 1024)}`), /larger than/);
  });
});
