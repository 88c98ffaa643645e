// Builders for the CSR signer tests: real WebCrypto keys, real PKCS#10
// requests from @peculiar/x509, and CertificateSigningRequest objects shaped
// the way the API server returns them.

// Types only; csrPem() takes the library's values from loadX509() under the same name.
import type * as x509 from '@peculiar/x509';
import type { CsrCondition, KubeCsr } from '../../../src/controllers/csrsigner/request.ts';
import { loadX509 } from '../../../src/controllers/csrsigner/x509.ts';

export type KeyKind = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | 'RSA-1024' | 'RSA-2048';

export interface TestKey {
  keys: CryptoKeyPair;
  signingAlgorithm: Algorithm | EcdsaParams;
}

const cache = new Map<KeyKind, TestKey>();

/** Key pairs are cached per kind: generating RSA keys is the slow part of these tests. */
export async function testKey(kind: KeyKind): Promise<TestKey> {
  const hit = cache.get(kind);
  if (hit) return hit;
  let made: TestKey;
  if (kind.startsWith('RSA-')) {
    const keys = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: Number(kind.slice(4)),
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    made = { keys, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' } };
  } else if (kind === 'Ed25519') {
    const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    made = { keys, signingAlgorithm: { name: 'Ed25519' } };
  } else {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: kind }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const hash = kind === 'P-256' ? 'SHA-256' : kind === 'P-384' ? 'SHA-384' : 'SHA-512';
    made = { keys, signingAlgorithm: { name: 'ECDSA', hash } as EcdsaParams };
  }
  cache.set(kind, made);
  return made;
}

export interface RequestOptions {
  key?: KeyKind;
  name?: string;
  sans?: x509.JsonGeneralNames;
}

/** PEM of a real PKCS#10 request. */
export async function csrPem(opts: RequestOptions = {}): Promise<string> {
  const x509 = loadX509();
  const { keys, signingAlgorithm } = await testKey(opts.key ?? 'P-256');
  const extensions: x509.Extension[] = [];
  const sans = opts.sans ?? [{ type: 'dns', value: 'kafka-0.kafka.svc.cluster.local' }];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    ...(opts.name === '' ? {} : { name: opts.name ?? 'CN=kafka-0, O=sdm-test' }),
    keys,
    signingAlgorithm,
    extensions,
  });
  return req.toString('pem');
}

export interface KubeCsrOptions {
  pem?: string;
  /** Raw spec.request, overriding pem. */
  request?: string;
  signerName?: string;
  usages?: string[];
  expirationSeconds?: number;
  conditions?: CsrCondition[];
  certificate?: string;
  annotations?: Record<string, string>;
}

export const APPROVED: CsrCondition[] = [
  { type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'approved by test' },
];

export async function kubeCsr(opts: KubeCsrOptions = {}): Promise<KubeCsr> {
  const pem = opts.pem ?? (await csrPem());
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'csr-test', ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      request: opts.request ?? Buffer.from(pem).toString('base64'),
      signerName: opts.signerName ?? 'csr.banzaicloud.io/privateca',
      usages: opts.usages ?? ['digital signature', 'key encipherment', 'server auth', 'client auth'],
      ...(opts.expirationSeconds !== undefined ? { expirationSeconds: opts.expirationSeconds } : {}),
      username: 'system:serviceaccount:istio-system:istiod',
    },
    status: {
      conditions: opts.conditions ?? APPROVED,
      ...(opts.certificate ? { certificate: opts.certificate } : {}),
    },
  };
}

/** Node's parser for the certificates we issue: an independent check of what we built. */
export { X509Certificate as NodeCertificate } from 'node:crypto';

export function splitPem(chain: string): string[] {
  return chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}
