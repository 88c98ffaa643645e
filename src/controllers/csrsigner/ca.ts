// The signer's private CA: generated on first start, kept in the Secret
// `csr-operator-cacerts` (seed 000 step 7.1 reads `ca_crt.pem` from it), and
// rotated by introducing a new CA while the old one stays trusted in a bundle
// until it is retired. Everything here is a pure function of its inputs and
// `now` (plus fresh randomness for keys); reading and writing the Secret is the
// controller's job.
// Types only; the functions that need the library's values take them from
// loadX509() (loaded on first use) under the same name.
import type * as x509 from '@peculiar/x509';
import { loadX509, subtle } from './x509.ts';

export const CA_SECRET_NAME = 'csr-operator-cacerts';
export const CA_CERT_KEY = 'ca_crt.pem';
export const CA_KEY_KEY = 'ca_key.pem';
export const CA_BUNDLE_KEY = 'ca_bundle.pem';

export const CA_KEY_ALGORITHMS = ['ECDSA-P256', 'RSA-2048', 'RSA-3072', 'RSA-4096'] as const;
export type CaKeyAlgorithm = (typeof CA_KEY_ALGORITHMS)[number];

export interface CaOptions {
  /** Key type of a new CA; default ECDSA-P256 (fast, accepted everywhere). */
  algorithm?: CaKeyAlgorithm;
  /** Validity of a new CA in years; default 10. */
  validityYears?: number;
}

/** The CA that signs plus every CA certificate clients should trust. */
export interface CaState {
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  readonly privateKey: CryptoKey;
  /** PKCS#8 PEM of privateKey, kept so the Secret can be written back unchanged. */
  readonly keyPem: string;
  readonly signingAlgorithm: Algorithm | EcdsaParams;
  /** Trusted CA certificates, the signing one first, then older ones still in overlap. */
  readonly bundle: readonly x509.X509Certificate[];
}

/** Secret data as text (stringData); the controller base64-encodes for `data`. */
export type CaSecretData = {
  [CA_CERT_KEY]: string;
  [CA_KEY_KEY]: string;
  [CA_BUNDLE_KEY]: string;
};

/** A CA that cannot be loaded. Messages name the problem, never key material. */
export class CaLoadError extends Error {
  override name = 'CaLoadError';
}

// Clients tolerate a little clock skew between the signer and themselves.
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

interface KeySpec {
  import: RsaHashedImportParams | EcKeyImportParams;
  sign: Algorithm | EcdsaParams;
}

const RSA_SPEC: KeySpec = {
  import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  sign: { name: 'RSASSA-PKCS1-v1_5' },
};
const P256_SPEC: KeySpec = {
  import: { name: 'ECDSA', namedCurve: 'P-256' },
  sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
};
const P384_SPEC: KeySpec = {
  import: { name: 'ECDSA', namedCurve: 'P-384' },
  sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams,
};

function generateParams(algorithm: CaKeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams {
  if (algorithm === 'ECDSA-P256') return { name: 'ECDSA', namedCurve: 'P-256' };
  const modulusLength = Number(algorithm.slice('RSA-'.length));
  return {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    modulusLength,
    publicExponent: new Uint8Array([1, 0, 1]),
  };
}

// The key algorithm of a certificate we did not necessarily create (a loaded
// Secret): P-384 CAs are accepted too, since signing with them costs nothing extra.
function specFromCertificate(cert: x509.X509Certificate): KeySpec | undefined {
  const alg = cert.publicKey.algorithm as Algorithm & { namedCurve?: string };
  if (alg.name === 'ECDSA' && alg.namedCurve === 'P-256') return P256_SPEC;
  if (alg.name === 'ECDSA' && alg.namedCurve === 'P-384') return P384_SPEC;
  if (alg.name === 'RSASSA-PKCS1-v1_5') return RSA_SPEC;
  return undefined;
}

function caAlgorithmOf(state: CaState): CaKeyAlgorithm {
  const alg = state.cert.publicKey.algorithm as Algorithm & { modulusLength?: number };
  if (alg.name === 'RSASSA-PKCS1-v1_5') {
    const bits = alg.modulusLength ?? 2048;
    return bits >= 4096 ? 'RSA-4096' : bits >= 3072 ? 'RSA-3072' : 'RSA-2048';
  }
  return 'ECDSA-P256';
}

/** Random positive 128-bit serial as hex (the generator adds a 0x00 if the top bit is set). */
export function randomSerial(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  if (bytes[0] === 0) bytes[0] = 1; // keep it 16 bytes long once leading zeros are stripped
  return Buffer.from(bytes).toString('hex');
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function addYears(d: Date, years: number): Date {
  const out = new Date(d.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

function pemOf(der: ArrayBuffer, tag: string): string {
  const x509 = loadX509();
  return x509.PemConverter.encode(der, tag);
}

/** Creates a new self-signed CA valid from `now` (minus clock skew). */
export async function generateCa(now: Date, opts: CaOptions = {}): Promise<CaState> {
  const x509 = loadX509();
  const algorithm = opts.algorithm ?? 'ECDSA-P256';
  // The option comes from user configuration, so check it at run time too.
  if (!CA_KEY_ALGORITHMS.includes(algorithm)) {
    throw new Error(
      `unsupported CA key algorithm ${JSON.stringify(algorithm)}, use one of ${CA_KEY_ALGORITHMS.join(', ')}`,
    );
  }
  const spec = algorithm === 'ECDSA-P256' ? P256_SPEC : RSA_SPEC;
  const keys = (await subtle.generateKey(generateParams(algorithm), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    // The timestamp keeps subjects of successive CAs apart during an overlap.
    name: [{ CN: [`sdm private CA ${isoSeconds(now)}`] }, { O: ['sdm'] }],
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: addYears(now, opts.validityYears ?? 10),
    keys,
    signingAlgorithm: spec.sign,
    extensions: [
      // pathLength 0: this CA only ever signs leaf certificates.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = pemOf(await subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return {
    cert,
    certPem: cert.toString('pem'),
    privateKey: keys.privateKey,
    keyPem,
    signingAlgorithm: spec.sign,
    bundle: [cert],
  };
}

/** All trusted CA certificates as one PEM, signing CA first. */
export function bundlePem(state: CaState): string {
  return `${state.bundle.map((c) => c.toString('pem')).join('\n')}\n`;
}

export function caToSecretData(state: CaState): CaSecretData {
  return {
    [CA_CERT_KEY]: `${state.certPem.trimEnd()}\n`,
    [CA_KEY_KEY]: `${state.keyPem.trimEnd()}\n`,
    [CA_BUNDLE_KEY]: bundlePem(state),
  };
}

// Secret values arrive as PEM text (stringData, tests), as bytes, or base64 as
// in a Secret's `data` read from the API; PEM always contains its armour line.
function asText(value: string | Uint8Array | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return Buffer.from(value).toString('utf8');
  if (value.includes('-----BEGIN')) return value;
  return Buffer.from(value, 'base64').toString('utf8');
}

function pemBlocks(text: string, what: string): x509.PemStruct[] {
  const x509 = loadX509();
  let blocks: x509.PemStruct[];
  try {
    blocks = x509.PemConverter.decodeWithHeaders(text);
  } catch {
    blocks = [];
  }
  if (blocks.length === 0) throw new CaLoadError(`${what} holds no PEM block`);
  return blocks;
}

function parseCertificates(text: string, key: string): x509.X509Certificate[] {
  const x509 = loadX509();
  return pemBlocks(text, key).map((block, i) => {
    if (block.type !== 'CERTIFICATE') {
      throw new CaLoadError(`${key}: block ${i + 1} is '${block.type}', expected 'CERTIFICATE'`);
    }
    try {
      return new x509.X509Certificate(block.rawData);
    } catch {
      throw new CaLoadError(`${key}: block ${i + 1} is not a parsable X.509 certificate`);
    }
  });
}

function isCa(cert: x509.X509Certificate): boolean {
  const x509 = loadX509();
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) return false;
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  return !ku || (ku.usages & x509.KeyUsageFlags.keyCertSign) !== 0;
}

/**
 * Loads a CA from Secret data (`ca_crt.pem`, `ca_key.pem`, optional
 * `ca_bundle.pem`). Checks the certificate is a CA and that the key belongs to
 * it; throws CaLoadError otherwise.
 */
export async function loadCa(
  data: Readonly<Record<string, string | Uint8Array | undefined>>,
): Promise<CaState> {
  const x509 = loadX509();
  const certText = asText(data[CA_CERT_KEY]);
  const keyText = asText(data[CA_KEY_KEY]);
  if (!certText) throw new CaLoadError(`CA Secret has no ${CA_CERT_KEY}`);
  if (!keyText) throw new CaLoadError(`CA Secret has no ${CA_KEY_KEY}`);

  const certs = parseCertificates(certText, CA_CERT_KEY);
  if (certs.length !== 1) {
    throw new CaLoadError(`${CA_CERT_KEY} must hold exactly one certificate, found ${certs.length}`);
  }
  const cert = certs[0]!;
  if (!isCa(cert)) {
    throw new CaLoadError(
      `${CA_CERT_KEY} (${cert.subject}) is not a CA certificate (basicConstraints CA, keyCertSign)`,
    );
  }
  const spec = specFromCertificate(cert);
  if (!spec) {
    const alg = cert.publicKey.algorithm as Algorithm & { namedCurve?: string };
    throw new CaLoadError(
      `${CA_CERT_KEY} has an unsupported key type ${alg.name}${alg.namedCurve ? ` ${alg.namedCurve}` : ''} (use ECDSA P-256/P-384 or RSA)`,
    );
  }

  // Messages never echo anything from the key block's body.
  const keyBlocks = pemBlocks(keyText, CA_KEY_KEY);
  if (keyBlocks.length !== 1) {
    throw new CaLoadError(`${CA_KEY_KEY} must hold exactly one key, found ${keyBlocks.length} PEM blocks`);
  }
  const keyBlock = keyBlocks[0]!;
  if (keyBlock.type !== 'PRIVATE KEY') {
    throw new CaLoadError(
      `${CA_KEY_KEY} holds ${describeKeyBlock(keyBlock.type)}, expected an unencrypted PKCS#8 key`,
    );
  }
  let privateKey: CryptoKey;
  try {
    privateKey = await subtle.importKey('pkcs8', keyBlock.rawData, spec.import, false, ['sign']);
  } catch {
    throw new CaLoadError(
      `${CA_KEY_KEY} is not a ${describeSpec(spec)} PKCS#8 key, so it cannot belong to ${CA_CERT_KEY} (${cert.subject})`,
    );
  }
  if (!(await keyMatches(privateKey, cert, spec))) {
    throw new CaLoadError(
      `${CA_KEY_KEY} does not belong to the certificate in ${CA_CERT_KEY} (${cert.subject})`,
    );
  }

  const bundleText = asText(data[CA_BUNDLE_KEY]);
  const bundle = [cert];
  if (bundleText?.trim()) {
    for (const c of parseCertificates(bundleText, CA_BUNDLE_KEY)) {
      if (!bundle.some((b) => b.equal(c))) bundle.push(c);
    }
  }
  return {
    cert,
    certPem: cert.toString('pem'),
    privateKey,
    keyPem: x509.PemConverter.encode(keyBlock.rawData, 'PRIVATE KEY'),
    signingAlgorithm: spec.sign,
    bundle,
  };
}

// Key blocks are described in words rather than by their PEM label, so no
// message ever contains "PRIVATE KEY": a cheap check that nothing of a key leaked.
function describeKeyBlock(type: string): string {
  const convert = ' (convert it with `openssl pkcs8 -topk8 -nocrypt`)';
  if (type === 'EC PRIVATE KEY') return `a SEC1 EC key${convert}`;
  if (type === 'RSA PRIVATE KEY') return `a PKCS#1 RSA key${convert}`;
  if (type === 'ENCRYPTED PRIVATE KEY') return 'an encrypted key';
  if (type.includes('KEY')) return 'a key in an unsupported format';
  return `a '${type}' block`;
}

function describeSpec(spec: KeySpec): string {
  const alg = spec.import as Algorithm & { namedCurve?: string };
  return alg.namedCurve ? `ECDSA ${alg.namedCurve}` : 'RSA';
}

// WebCrypto cannot derive a public key from a private one portably, so prove
// possession instead: sign a random challenge and verify it with the
// certificate's public key.
async function keyMatches(
  privateKey: CryptoKey,
  cert: x509.X509Certificate,
  spec: KeySpec,
): Promise<boolean> {
  try {
    const challenge = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const signature = await subtle.sign(spec.sign, privateKey, challenge);
    const publicKey = await cert.publicKey.export(spec.import, ['verify']);
    return await subtle.verify(spec.sign, publicKey, signature, challenge);
  } catch {
    return false;
  }
}

/**
 * Introduces a new CA that signs from now on, while every CA in the current
 * bundle that has not expired stays trusted (overlap) until `retire`.
 * The new CA has the current one's key type unless `opts.algorithm` says otherwise.
 */
export async function rotate(state: CaState, now: Date, opts: CaOptions = {}): Promise<CaState> {
  const next = await generateCa(now, { ...opts, algorithm: opts.algorithm ?? caAlgorithmOf(state) });
  const stillValid = state.bundle.filter((c) => c.notAfter.getTime() > now.getTime());
  return { ...next, bundle: [next.cert, ...stillValid] };
}

/** Ends the overlap: only the signing CA stays trusted. */
export function retire(state: CaState): CaState {
  return { ...state, bundle: [state.cert] };
}
