// Issues leaf certificates from the private CA for validated CSRs, and tells
// the controller what to write for a given CSR (sign, fail, or leave alone) so
// that the controller itself is only API plumbing. istiod waits at most 60 s
// for a certificate, so this is a single in-memory pass without I/O.

// Types only; the functions that need the library's values take them from
// loadX509() (loaded on first use) under the same name.
import type * as x509 from '@peculiar/x509';
import { type CaState, CLOCK_SKEW_MS, randomSerial } from './ca.ts';
import {
  activeCondition,
  DEFAULT_SIGNER_NAME,
  type KubeCsr,
  type SignerOptions,
  type SigningParams,
  validateCsr,
} from './request.ts';
import { loadX509 } from './x509.ts';

export type CsrDecision =
  | { action: 'skip'; why: string }
  | { action: 'sign'; certificatePem: string }
  | { action: 'fail'; reason: string; message: string };

async function authorityKeyIdentifier(
  ca: x509.X509Certificate,
): Promise<x509.AuthorityKeyIdentifierExtension> {
  const x509 = loadX509();
  // Reuse the CA's own SKI when it has one, so chain builders match them
  // byte for byte even for CAs created by other tools.
  const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(ca.publicKey);
}

/**
 * Signs a certificate for validated request params. Returns the PEM chain:
 * the leaf, followed by the signing CA when params.fullChain.
 * notBefore allows for clock skew; notAfter never passes the CA's.
 */
export async function signCertificate(params: SigningParams, ca: CaState, now: Date): Promise<string> {
  const x509 = loadX509();
  const caCert = ca.cert;
  if (now.getTime() >= caCert.notAfter.getTime()) {
    throw new Error(`the CA certificate (${caCert.subject}) expired at ${caCert.notAfter.toISOString()}`);
  }
  const notBefore = new Date(Math.max(now.getTime() - CLOCK_SKEW_MS, caCert.notBefore.getTime()));
  const notAfter = new Date(
    Math.min(now.getTime() + params.durationSeconds * 1000, caCert.notAfter.getTime()),
  );

  const subjectEmpty = params.subject.toJSON().length === 0;
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (params.keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(params.keyUsage, true));
  if (params.extendedKeyUsages.length > 0) {
    extensions.push(new x509.ExtendedKeyUsageExtension(params.extendedKeyUsages));
  }
  if (params.subjectAltNames.length > 0) {
    // RFC 5280 4.2.1.6: with an empty subject the SAN extension must be critical
    // (Istio workload certificates carry only a SPIFFE URI).
    extensions.push(new x509.SubjectAlternativeNameExtension(params.subjectAltNames, subjectEmpty));
  }
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(params.request.publicKey));
  extensions.push(await authorityKeyIdentifier(caCert));

  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: params.subject,
    issuer: caCert.subjectName,
    notBefore,
    notAfter,
    publicKey: params.request.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ca.signingAlgorithm,
    extensions,
  });
  const chain = params.fullChain ? [leaf, caCert] : [leaf];
  return `${chain.map((c) => c.toString('pem')).join('\n')}\n`;
}

/**
 * What the controller should do with a CSR it sees: leave it alone (not ours,
 * not approved yet, already done), sign it, or mark it Failed with a reason.
 */
export async function decideForCsr(
  csr: KubeCsr,
  ca: CaState,
  opts: SignerOptions = {},
  now: Date = new Date(),
): Promise<CsrDecision> {
  const signerName = opts.signerName ?? DEFAULT_SIGNER_NAME;
  if (csr.spec?.signerName !== signerName) {
    return { action: 'skip', why: `signer is ${csr.spec?.signerName ?? '(none)'}, not ${signerName}` };
  }
  if (csr.status?.certificate) return { action: 'skip', why: 'already has a certificate' };
  if (activeCondition(csr, 'Failed')) return { action: 'skip', why: 'already failed' };
  if (activeCondition(csr, 'Denied')) return { action: 'skip', why: 'denied' };
  if (!activeCondition(csr, 'Approved')) return { action: 'skip', why: 'not approved yet' };

  const validation = await validateCsr(csr, opts);
  if (!validation.ok) return { action: 'fail', reason: validation.reason, message: validation.message };

  if (now.getTime() >= ca.cert.notAfter.getTime()) {
    return {
      action: 'fail',
      reason: 'CAExpired',
      message: `the signer's CA (${ca.cert.subject}) expired at ${ca.cert.notAfter.toISOString()}; rotate the CA`,
    };
  }
  try {
    return { action: 'sign', certificatePem: await signCertificate(validation.params, ca, now) };
  } catch (err) {
    // Errors from certificate encoding or WebCrypto name the operation, not key bytes.
    return { action: 'fail', reason: 'SigningFailed', message: `signing failed: ${(err as Error).message}` };
  }
}
