// The certificates one local control plane needs: a CA, the API server's
// serving certificate, a client certificate per component, and the
// service-account signing key pair. ECDSA P-256 throughout: every Kubernetes
// component accepts it and it is generated in milliseconds.
import { webcrypto } from 'node:crypto';
// Types only; the functions that need the library's values take them from
// loadX509() (loaded on first use) under the same name.
import type * as x509 from '@peculiar/x509';
import { loadX509 } from '../pki/x509.ts';

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const tenYears = 10 * 365 * 24 * 3600 * 1000;

export interface PemPair {
  cert: string;
  key: string;
}

export interface CertificateAuthority extends PemPair {
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END ${label}-----\n`;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

export async function publicKeyPem(key: CryptoKey): Promise<string> {
  return pem('PUBLIC KEY', await webcrypto.subtle.exportKey('spki', key));
}

function validity() {
  // Back-dated a little so a freshly started component never sees a certificate from the future.
  const notBefore = new Date(Date.now() - 5 * 60 * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + tenYears) };
}

export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const x509 = loadX509();
  const keys = await newKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}`,
    keys,
    signingAlgorithm: algorithm,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keys, certificate, cert: certificate.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

export interface LeafRequest {
  commonName: string;
  organizations?: string[];
  usage: 'server' | 'client';
  dnsNames?: string[];
  ipAddresses?: string[];
}

export async function issueCertificate(ca: CertificateAuthority, request: LeafRequest): Promise<PemPair> {
  const x509 = loadX509();
  const keys = await newKeys();
  const subject = [`CN=${request.commonName}`, ...(request.organizations ?? []).map((o) => `O=${o}`)].join(
    ', ',
  );
  const sans: x509.JsonGeneralName[] = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([
      request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const certificate = await x509.X509CertificateGenerator.create({
    subject,
    issuer: ca.certificate.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: algorithm,
    ...validity(),
    extensions,
  });
  return { cert: certificate.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

export interface SigningKeyPair {
  privateKey: string;
  publicKey: string;
}

/** The key pair kube-apiserver signs ServiceAccount tokens with (ES256). */
export async function createSigningKeyPair(): Promise<SigningKeyPair> {
  const keys = await newKeys();
  return { privateKey: await privateKeyPem(keys.privateKey), publicKey: await publicKeyPem(keys.publicKey) };
}
