import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_MAX_DURATION_SECONDS,
  type ValidationResult,
  validateCsr,
} from '../../../src/controllers/csrsigner/request.ts';
import { loadX509 } from '../../../src/controllers/csrsigner/x509.ts';
import { csrPem, kubeCsr } from './helpers.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

function refused(result: ValidationResult, reason: string): string {
  assert.equal(result.ok, false, `expected a refusal with ${reason}`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.reason, reason, result.message);
  assert.match(result.reason, /^[A-Z][A-Za-z]+$/, 'reason is one CamelCase word');
  assert.ok(result.message.length > 0);
  assert.ok(!result.message.includes('PRIVATE KEY'));
  return result.message;
}

// Corrupts the last byte of the DER, which lies inside the signature value, so
// the request still parses but its self-signature no longer verifies.
async function tamperedPem(): Promise<string> {
  const der = new Uint8Array(x509.PemConverter.decodeFirst(await csrPem()));
  der[der.length - 1]! ^= 0x01;
  return x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
}

describe('validateCsr accepts', () => {
  it('an approved request with SANs of every supported type, copying usages and duration', async () => {
    const pem = await csrPem({
      sans: [
        { type: 'dns', value: 'kafka.kafka.svc' },
        { type: 'ip', value: '10.1.2.3' },
        { type: 'url', value: 'spiffe://cluster.local/ns/kafka/sa/kafka' },
        { type: 'email', value: 'ops@example.com' },
      ],
    });
    const result = await validateCsr(await kubeCsr({ pem, expirationSeconds: 3600 }));
    assert.ok(result.ok, result.ok ? '' : result.message);
    const p = result.params;
    assert.equal(p.durationSeconds, 3600);
    assert.equal(p.keyUsage, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    assert.deepEqual(p.extendedKeyUsages, [
      x509.ExtendedKeyUsage.serverAuth,
      x509.ExtendedKeyUsage.clientAuth,
    ]);
    assert.deepEqual(
      p.subjectAltNames.map((n) => `${n.type}:${n.value}`),
      [
        'dns:kafka.kafka.svc',
        'ip:10.1.2.3',
        'url:spiffe://cluster.local/ns/kafka/sa/kafka',
        'email:ops@example.com',
      ],
    );
    assert.equal(p.subject.toString(), 'CN=kafka-0, O=sdm-test');
    assert.equal(p.fullChain, false);
  });

  it('P-384, Ed25519 and RSA 2048 keys', async () => {
    for (const key of ['P-384', 'Ed25519', 'RSA-2048'] as const) {
      const result = await validateCsr(await kubeCsr({ pem: await csrPem({ key }) }));
      assert.ok(result.ok, `${key}: ${result.ok ? '' : result.message}`);
    }
  });

  it('an Istio-style request: no subject, a SPIFFE URI only', async () => {
    const pem = await csrPem({
      name: '',
      sans: [{ type: 'url', value: 'spiffe://cluster.local/ns/a/sa/b' }],
    });
    const result = await validateCsr(await kubeCsr({ pem }));
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.deepEqual(result.params.subject.toJSON(), []);
  });

  it('the fullchain annotation', async () => {
    const result = await validateCsr(
      await kubeCsr({ annotations: { 'csr.banzaicloud.io/fullchain': 'true' } }),
    );
    assert.ok(result.ok);
    assert.equal(result.params.fullChain, true);
  });

  it('a custom signer name, allowed usages and maximum duration', async () => {
    const result = await validateCsr(
      await kubeCsr({
        signerName: 'example.com/ca',
        usages: ['signing', 'client auth'],
        expirationSeconds: 7200,
      }),
      { signerName: 'example.com/ca', allowedUsages: ['signing', 'client auth'], maxDurationSeconds: 600 },
    );
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.params.durationSeconds, 600);
    assert.deepEqual(result.params.extendedKeyUsages, [x509.ExtendedKeyUsage.clientAuth]);
  });
});

describe('validateCsr duration', () => {
  it('caps an over-long expirationSeconds at the maximum instead of refusing', async () => {
    const result = await validateCsr(await kubeCsr({ expirationSeconds: 10 * 365 * 24 * 3600 }));
    assert.ok(result.ok);
    assert.equal(result.params.durationSeconds, DEFAULT_MAX_DURATION_SECONDS);
    assert.equal(DEFAULT_MAX_DURATION_SECONDS, 365 * 24 * 3600);
  });

  it('uses the maximum when the request names no duration', async () => {
    const result = await validateCsr(await kubeCsr());
    assert.ok(result.ok);
    assert.equal(result.params.durationSeconds, DEFAULT_MAX_DURATION_SECONDS);
  });

  it('refuses a non-integer duration', async () => {
    refused(await validateCsr(await kubeCsr({ expirationSeconds: 1.5 })), 'InvalidRequest');
  });
});

describe('validateCsr refuses', () => {
  it('an unapproved request', async () => {
    refused(await validateCsr(await kubeCsr({ conditions: [] })), 'NotApproved');
    refused(
      await validateCsr(await kubeCsr({ conditions: [{ type: 'Approved', status: 'False' }] })),
      'NotApproved',
    );
  });

  it('a denied request, even if also approved', async () => {
    const conditions = [
      { type: 'Approved', status: 'True' },
      { type: 'Denied', status: 'True', reason: 'PolicyDenied' },
    ];
    refused(await validateCsr(await kubeCsr({ conditions })), 'Denied');
  });

  it('a request that already failed', async () => {
    const conditions = [
      { type: 'Approved', status: 'True' },
      { type: 'Failed', status: 'True', reason: 'WeakKey' },
    ];
    refused(await validateCsr(await kubeCsr({ conditions })), 'AlreadyFailed');
  });

  it('another signer', async () => {
    const msg = refused(
      await validateCsr(await kubeCsr({ signerName: 'kubernetes.io/kube-apiserver-client' })),
      'WrongSigner',
    );
    assert.match(msg, /kubernetes\.io\/kube-apiserver-client/);
  });

  it('malformed base64', async () => {
    refused(await validateCsr(await kubeCsr({ request: 'not base64 at all!' })), 'InvalidRequest');
    refused(await validateCsr(await kubeCsr({ request: '' })), 'InvalidRequest');
  });

  it('base64 of something that is not a CSR PEM', async () => {
    const notPem = Buffer.from('hello').toString('base64');
    assert.match(
      refused(await validateCsr(await kubeCsr({ request: notPem })), 'InvalidRequest'),
      /CERTIFICATE REQUEST/,
    );
    const wrongBlock = (await csrPem()).replaceAll('CERTIFICATE REQUEST', 'CERTIFICATE');
    refused(await validateCsr(await kubeCsr({ pem: wrongBlock })), 'InvalidRequest');
    const garbageDer = x509.PemConverter.encode(
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
      'CERTIFICATE REQUEST',
    );
    assert.match(refused(await validateCsr(await kubeCsr({ pem: garbageDer })), 'InvalidRequest'), /PKCS#10/);
  });

  it('a bad self-signature', async () => {
    refused(await validateCsr(await kubeCsr({ pem: await tamperedPem() })), 'SignatureInvalid');
  });

  it('an RSA 1024 key', async () => {
    const msg = refused(
      await validateCsr(await kubeCsr({ pem: await csrPem({ key: 'RSA-1024' }) })),
      'WeakKey',
    );
    assert.match(msg, /1024/);
  });

  it('an unsupported curve', async () => {
    refused(await validateCsr(await kubeCsr({ pem: await csrPem({ key: 'P-521' }) })), 'UnsupportedKey');
  });

  it('a disallowed or unknown usage, and no usages', async () => {
    const msg = refused(
      await validateCsr(await kubeCsr({ usages: ['digital signature', 'cert sign'] })),
      'UnsupportedUsage',
    );
    assert.match(msg, /cert sign/);
    refused(
      await validateCsr(await kubeCsr({ usages: ['server auth', 'world domination'] })),
      'UnsupportedUsage',
    );
    refused(await validateCsr(await kubeCsr({ usages: [] })), 'InvalidRequest');
  });

  it('a request with neither subject nor SANs', async () => {
    refused(
      await validateCsr(await kubeCsr({ pem: await csrPem({ name: '', sans: [] }) })),
      'InvalidRequest',
    );
  });
});
