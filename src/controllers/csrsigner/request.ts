// Decides whether a Kubernetes CertificateSigningRequest (certificates.k8s.io/v1,
// as plain JSON) is one this signer may sign, and extracts what signing needs.
// Refusals carry a CamelCase reason for the CSR's Failed condition and a
// message a human can act on. No API calls and no signing here.

// Types only; the functions that need the library's values take them from
// loadX509() (loaded on first use) under the same name.
import type * as x509 from '@peculiar/x509';
import {
  PRIVATE_CA_SIGNER_NAME as DEFAULT_SIGNER_NAME,
  FULLCHAIN_ANNOTATION,
} from '../../apis/csr.banzaicloud.io/keys.ts';
import { loadX509 } from './x509.ts';

export {
  FULLCHAIN_ANNOTATION,
  PRIVATE_CA_SIGNER_NAME as DEFAULT_SIGNER_NAME,
} from '../../apis/csr.banzaicloud.io/keys.ts';
export const DEFAULT_ALLOWED_USAGES: readonly string[] = [
  'digital signature',
  'key encipherment',
  'server auth',
  'client auth',
];
export const DEFAULT_MAX_DURATION_SECONDS = 365 * 24 * 3600;

export interface CsrCondition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** The parts of a certificates.k8s.io/v1 CertificateSigningRequest we read. */
export interface KubeCsr {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: {
    /** base64 of a PEM `CERTIFICATE REQUEST` (the JSON form of []byte). */
    request?: string;
    signerName?: string;
    usages?: string[];
    expirationSeconds?: number;
    username?: string;
  };
  status?: { conditions?: CsrCondition[]; certificate?: string };
}

export interface SignerOptions {
  signerName?: string;
  /** Kubernetes usage strings a request may ask for. */
  allowedUsages?: readonly string[];
  /** Upper bound on the certificate lifetime; also the default when the request names none. */
  maxDurationSeconds?: number;
}

/** A subject alternative name copied from the request into the certificate. */
export interface SubjectAltName {
  type: 'dns' | 'ip' | 'url' | 'email';
  value: string;
}

export interface SigningParams {
  request: x509.Pkcs10CertificateRequest;
  subject: x509.Name;
  subjectAltNames: SubjectAltName[];
  /** x509.KeyUsageFlags bits. */
  keyUsage: number;
  /** Extended key usage OIDs. */
  extendedKeyUsages: string[];
  durationSeconds: number;
  fullChain: boolean;
}

export type Refusal = { ok: false; reason: string; message: string };
export type ValidationResult = { ok: true; params: SigningParams } | Refusal;

interface UsageTables {
  key: Readonly<Record<string, number>>;
  extended: Readonly<Record<string, string>>;
}
let usageTables: UsageTables | undefined;

// Kubernetes KeyUsage strings (certificates.k8s.io/v1) and what they become in
// the certificate, the same mapping kube-controller-manager's signer uses.
// Built on first use: the flags and OIDs come from the library, loaded lazily.
function usageTablesOf(): UsageTables {
  if (usageTables) return usageTables;
  const x509 = loadX509();
  const key: Readonly<Record<string, number>> = {
    signing: x509.KeyUsageFlags.digitalSignature,
    'digital signature': x509.KeyUsageFlags.digitalSignature,
    'content commitment': x509.KeyUsageFlags.nonRepudiation,
    'key encipherment': x509.KeyUsageFlags.keyEncipherment,
    'key agreement': x509.KeyUsageFlags.keyAgreement,
    'data encipherment': x509.KeyUsageFlags.dataEncipherment,
    'cert sign': x509.KeyUsageFlags.keyCertSign,
    'crl sign': x509.KeyUsageFlags.cRLSign,
    'encipher only': x509.KeyUsageFlags.encipherOnly,
    'decipher only': x509.KeyUsageFlags.decipherOnly,
  };
  const extended: Readonly<Record<string, string>> = {
    any: '2.5.29.37.0',
    'server auth': x509.ExtendedKeyUsage.serverAuth,
    'client auth': x509.ExtendedKeyUsage.clientAuth,
    'code signing': x509.ExtendedKeyUsage.codeSigning,
    'email protection': x509.ExtendedKeyUsage.emailProtection,
    's/mime': x509.ExtendedKeyUsage.emailProtection,
    'ipsec end system': '1.3.6.1.5.5.7.3.5',
    'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
    'ipsec user': '1.3.6.1.5.5.7.3.7',
    timestamping: x509.ExtendedKeyUsage.timeStamping,
    'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
    'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
    'netscape sgc': '2.16.840.1.113730.4.1',
  };
  usageTables = { key, extended };
  return usageTables;
}

const SAN_OID = '2.5.29.17';

function refuse(reason: string, message: string): Refusal {
  return { ok: false, reason, message };
}

/** The condition of that type if it is in effect (status True; v1beta1 objects may omit status). */
export function activeCondition(csr: KubeCsr, type: string): CsrCondition | undefined {
  return csr.status?.conditions?.find((c) => c.type === type && (c.status ?? 'True') === 'True');
}

function csrName(csr: KubeCsr): string {
  return csr.metadata?.name ? `CSR ${csr.metadata.name}` : 'CSR';
}

// Strict: Buffer.from(..., 'base64') silently skips junk, which would turn a
// corrupted request into a confusing PEM error further on.
function decodeBase64(s: string): Buffer | undefined {
  const compact = s.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact))
    return undefined;
  return Buffer.from(compact, 'base64');
}

function parseRequest(encoded: string): x509.Pkcs10CertificateRequest | Refusal {
  const x509 = loadX509();
  const pem = decodeBase64(encoded);
  if (!pem) return refuse('InvalidRequest', 'spec.request is not valid base64');
  let blocks: x509.PemStruct[];
  try {
    blocks = x509.PemConverter.decodeWithHeaders(pem.toString('utf8'));
  } catch {
    blocks = [];
  }
  const block = blocks.find((b) => b.type === 'CERTIFICATE REQUEST');
  if (!block) return refuse('InvalidRequest', "spec.request holds no PEM 'CERTIFICATE REQUEST' block");
  try {
    return new x509.Pkcs10CertificateRequest(block.rawData);
  } catch {
    return refuse('InvalidRequest', 'spec.request is not a parsable PKCS#10 certificate request');
  }
}

function checkKey(req: x509.Pkcs10CertificateRequest): Refusal | undefined {
  let alg: Algorithm & { modulusLength?: number; namedCurve?: string };
  try {
    alg = req.publicKey.algorithm;
  } catch {
    return refuse('UnsupportedKey', 'the request carries a public key of an unknown type');
  }
  if (alg.name === 'RSASSA-PKCS1-v1_5' || alg.name === 'RSA-PSS' || alg.name === 'RSA-OAEP') {
    const bits = alg.modulusLength ?? 0;
    if (bits < 2048)
      return refuse('WeakKey', `RSA key of ${bits} bits is too small, at least 2048 are required`);
    return undefined;
  }
  if (alg.name === 'ECDSA') {
    if (alg.namedCurve === 'P-256' || alg.namedCurve === 'P-384') return undefined;
    return refuse(
      'UnsupportedKey',
      `ECDSA curve ${alg.namedCurve ?? 'unknown'} is not supported, use P-256 or P-384`,
    );
  }
  if (alg.name === 'Ed25519') return undefined;
  return refuse(
    'UnsupportedKey',
    `${alg.name} keys are not supported, use RSA (2048+), ECDSA P-256/P-384 or Ed25519`,
  );
}

function checkUsages(
  usages: readonly unknown[] | undefined,
  allowed: readonly string[],
): { keyUsage: number; extendedKeyUsages: string[] } | Refusal {
  if (!Array.isArray(usages) || usages.length === 0) return refuse('InvalidRequest', 'spec.usages is empty');
  let keyUsage = 0;
  const extendedKeyUsages: string[] = [];
  const { key: KEY_USAGES, extended: EXTENDED_KEY_USAGES } = usageTablesOf();
  for (const usage of usages) {
    if (typeof usage !== 'string' || (!(usage in KEY_USAGES) && !(usage in EXTENDED_KEY_USAGES))) {
      return refuse('UnsupportedUsage', `unknown usage ${JSON.stringify(usage)}`);
    }
    if (!allowed.includes(usage)) {
      return refuse(
        'UnsupportedUsage',
        `usage "${usage}" is not allowed by this signer (allowed: ${allowed.join(', ')})`,
      );
    }
    const flag = KEY_USAGES[usage];
    if (flag !== undefined) keyUsage |= flag;
    const oid = EXTENDED_KEY_USAGES[usage];
    if (oid !== undefined && !extendedKeyUsages.includes(oid)) extendedKeyUsages.push(oid);
  }
  return { keyUsage, extendedKeyUsages };
}

function subjectAltNames(req: x509.Pkcs10CertificateRequest): SubjectAltName[] | Refusal {
  const x509 = loadX509();
  let ext: x509.Extension | null;
  try {
    ext = req.getExtension(SAN_OID);
  } catch {
    return refuse('InvalidRequest', 'the subject alternative names in the request cannot be parsed');
  }
  if (!ext) return [];
  let names: x509.JsonGeneralNames;
  try {
    names = new x509.SubjectAlternativeNameExtension(ext.rawData).names.toJSON();
  } catch {
    return refuse(
      'InvalidRequest',
      'the request has subject alternative names of a type this signer does not issue',
    );
  }
  const out: SubjectAltName[] = [];
  for (const n of names) {
    if (n.type !== 'dns' && n.type !== 'ip' && n.type !== 'url' && n.type !== 'email') {
      return refuse(
        'InvalidRequest',
        `subject alternative name of type ${n.type} is not supported (DNS, IP, URI and email are)`,
      );
    }
    out.push({ type: n.type, value: n.value });
  }
  return out;
}

function duration(requested: unknown, max: number): number | Refusal {
  if (requested === undefined || requested === null) return max;
  if (typeof requested !== 'number' || !Number.isInteger(requested) || requested <= 0) {
    return refuse(
      'InvalidRequest',
      `spec.expirationSeconds must be a positive integer, got ${JSON.stringify(requested)}`,
    );
  }
  return Math.min(requested, max);
}

function isRefusal(v: unknown): v is Refusal {
  return typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;
}

/**
 * Checks a CSR completely: signer, approval, request encoding and signature,
 * key, usages and duration. The duration is capped, never refused for being long.
 */
export async function validateCsr(csr: KubeCsr, opts: SignerOptions = {}): Promise<ValidationResult> {
  const signerName = opts.signerName ?? DEFAULT_SIGNER_NAME;
  const spec = csr.spec ?? {};
  if (spec.signerName !== signerName) {
    return refuse(
      'WrongSigner',
      `${csrName(csr)} is for signer ${spec.signerName ?? '(none)'}, not ${signerName}`,
    );
  }
  if (activeCondition(csr, 'Failed')) return refuse('AlreadyFailed', `${csrName(csr)} has already failed`);
  if (activeCondition(csr, 'Denied')) return refuse('Denied', `${csrName(csr)} was denied`);
  if (!activeCondition(csr, 'Approved')) return refuse('NotApproved', `${csrName(csr)} is not approved yet`);

  if (typeof spec.request !== 'string' || spec.request.length === 0) {
    return refuse('InvalidRequest', 'spec.request is empty');
  }
  const request = parseRequest(spec.request);
  if (isRefusal(request)) return request;

  const weak = checkKey(request);
  if (weak) return weak;
  let signatureOk = false;
  try {
    signatureOk = await request.verify();
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) {
    return refuse(
      'SignatureInvalid',
      'the signature of the certificate request does not verify with its own public key',
    );
  }

  const usages = checkUsages(spec.usages, opts.allowedUsages ?? DEFAULT_ALLOWED_USAGES);
  if (isRefusal(usages)) return usages;
  const sans = subjectAltNames(request);
  if (isRefusal(sans)) return sans;
  const subject = request.subjectName;
  if (subject.toJSON().length === 0 && sans.length === 0) {
    return refuse('InvalidRequest', 'the request names neither a subject nor any subject alternative name');
  }
  const durationSeconds = duration(
    spec.expirationSeconds,
    opts.maxDurationSeconds ?? DEFAULT_MAX_DURATION_SECONDS,
  );
  if (isRefusal(durationSeconds)) return durationSeconds;

  return {
    ok: true,
    params: {
      request,
      subject,
      subjectAltNames: sans,
      keyUsage: usages.keyUsage,
      extendedKeyUsages: usages.extendedKeyUsages,
      durationSeconds,
      fullChain: csr.metadata?.annotations?.[FULLCHAIN_ANNOTATION] === 'true',
    },
  };
}
