import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CA_BUNDLE_KEY,
  CA_CERT_KEY,
  CA_KEY_KEY,
  CaLoadError,
  caToSecretData,
  generateCa,
  loadCa,
  retire,
  rotate,
} from '../../../src/controllers/csrsigner/ca.ts';
import { validateCsr } from '../../../src/controllers/csrsigner/request.ts';
import { signCertificate } from '../../../src/controllers/csrsigner/sign.ts';
import { loadX509 } from '../../../src/controllers/csrsigner/x509.ts';
import { kubeCsr, NodeCertificate, splitPem } from './helpers.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

const NOW = new Date('2025-03-01T12:00:00Z');
const YEAR_MS = 365 * 24 * 3600 * 1000;

async function loadError(data: Record<string, string | undefined>): Promise<CaLoadError> {
  try {
    await loadCa(data);
  } catch (err) {
    assert.ok(err instanceof CaLoadError, `expected CaLoadError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /PRIVATE KEY-----|PRIVATE KEY/);
    return err;
  }
  assert.fail('loadCa accepted bad data');
}

async function leafFrom(ca: Awaited<ReturnType<typeof generateCa>>, now: Date): Promise<string> {
  const v = await validateCsr(await kubeCsr());
  assert.ok(v.ok);
  return splitPem(await signCertificate(v.params, ca, now))[0]!;
}

describe('generateCa', () => {
  it('creates a self-signed ECDSA P-256 CA by default with CA constraints and 10 y validity', async () => {
    const ca = await generateCa(NOW);
    const cert = new NodeCertificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.subject, 'CN=sdm private CA 2025-03-01T12:00:00Z\nO=sdm');
    assert.equal(cert.issuer, cert.subject);
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(cert.validToDate.toISOString(), '2035-03-01T12:00:00.000Z');
    assert.ok(cert.validFromDate.getTime() <= NOW.getTime() - 60_000, 'notBefore allows clock skew');

    const ku = ca.cert.getExtension(x509.KeyUsagesExtension);
    assert.equal(ku?.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    assert.equal(ku?.critical, true);
    const bc = ca.cert.getExtension(x509.BasicConstraintsExtension);
    assert.equal(bc?.ca, true);
    assert.equal(bc?.critical, true);
    assert.ok(ca.cert.getExtension(x509.SubjectKeyIdentifierExtension));
    assert.deepEqual(ca.bundle, [ca.cert]);
  });

  it('creates an RSA CA when asked, with the configured validity', async () => {
    const ca = await generateCa(NOW, { algorithm: 'RSA-2048', validityYears: 2 });
    const cert = new NodeCertificate(ca.certPem);
    assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(cert.validToDate.toISOString(), '2027-03-01T12:00:00.000Z');
    // It signs leaves that verify.
    const leaf = new NodeCertificate(await leafFrom(ca, NOW));
    assert.ok(leaf.verify(cert.publicKey));
  });

  it('refuses an unknown key algorithm from configuration', async () => {
    await assert.rejects(
      generateCa(NOW, { algorithm: 'RSA-1024' as 'RSA-2048' }),
      /unsupported CA key algorithm "RSA-1024"/,
    );
  });

  it('uses a fresh key and serial every time', async () => {
    const a = await generateCa(NOW);
    const b = await generateCa(NOW);
    assert.notEqual(a.cert.serialNumber, b.cert.serialNumber);
    assert.notEqual(a.keyPem, b.keyPem);
  });
});

describe('Secret layout and loadCa', () => {
  it('round-trips through ca_crt.pem / ca_key.pem / ca_bundle.pem', async () => {
    const ca = await generateCa(NOW);
    const data = caToSecretData(ca);
    assert.deepEqual(Object.keys(data).sort(), [CA_BUNDLE_KEY, CA_CERT_KEY, CA_KEY_KEY].sort());
    assert.match(data[CA_KEY_KEY], /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(data[CA_CERT_KEY], /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    assert.equal(splitPem(data[CA_BUNDLE_KEY]).length, 1);

    const loaded = await loadCa(data);
    assert.ok(loaded.cert.equal(ca.cert));
    assert.equal(loaded.keyPem, ca.keyPem);
    // The loaded key signs for the same CA.
    const leaf = new NodeCertificate(await leafFrom(loaded, NOW));
    assert.ok(leaf.checkIssued(new NodeCertificate(ca.certPem)));
    assert.ok(leaf.verify(new NodeCertificate(ca.certPem).publicKey));
  });

  it('accepts base64 values as in a Secret read from the API, and a Secret without a bundle', async () => {
    const ca = await generateCa(NOW, { algorithm: 'RSA-2048' });
    const data = caToSecretData(ca);
    const loaded = await loadCa({
      [CA_CERT_KEY]: Buffer.from(data[CA_CERT_KEY]).toString('base64'),
      [CA_KEY_KEY]: Buffer.from(data[CA_KEY_KEY]).toString('base64'),
    });
    assert.ok(loaded.cert.equal(ca.cert));
    assert.equal(loaded.bundle.length, 1);
  });

  it('refuses a key that does not belong to the certificate, without echoing the key', async () => {
    const a = await generateCa(NOW);
    const b = await generateCa(NOW);
    const err = await loadError({ [CA_CERT_KEY]: a.certPem, [CA_KEY_KEY]: b.keyPem });
    assert.match(err.message, /does not belong to the certificate/);
  });

  it('refuses a key of another type than the certificate', async () => {
    const ec = await generateCa(NOW);
    const rsa = await generateCa(NOW, { algorithm: 'RSA-2048' });
    const err = await loadError({ [CA_CERT_KEY]: ec.certPem, [CA_KEY_KEY]: rsa.keyPem });
    assert.match(err.message, /not a ECDSA P-256 PKCS#8 key/);
  });

  it('explains how to convert a traditional EC/RSA key file', async () => {
    const ca = await generateCa(NOW);
    const sec1 = ca.keyPem.replaceAll('PRIVATE KEY', 'EC PRIVATE KEY');
    const err = await loadError({ [CA_CERT_KEY]: ca.certPem, [CA_KEY_KEY]: sec1 });
    assert.match(err.message, /openssl pkcs8 -topk8/);
  });

  it('refuses missing entries, garbage and non-CA certificates', async () => {
    const ca = await generateCa(NOW);
    assert.match((await loadError({ [CA_KEY_KEY]: ca.keyPem })).message, /no ca_crt\.pem/);
    assert.match((await loadError({ [CA_CERT_KEY]: ca.certPem })).message, /no ca_key\.pem/);
    assert.match(
      (
        await loadError({
          [CA_CERT_KEY]: ca.certPem,
          [CA_KEY_KEY]: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
        })
      ).message,
      /not a ECDSA P-256 PKCS#8 key/,
    );
    assert.match(
      (await loadError({ [CA_CERT_KEY]: 'not a certificate', [CA_KEY_KEY]: ca.keyPem })).message,
      /ca_crt\.pem holds no PEM block/,
    );
    // A leaf is not a CA.
    const leafPem = await leafFrom(ca, NOW);
    assert.match(
      (await loadError({ [CA_CERT_KEY]: leafPem, [CA_KEY_KEY]: ca.keyPem })).message,
      /is not a CA certificate/,
    );
  });
});

describe('rotation', () => {
  it('keeps the old CA trusted after rotate, signs with the new one, and retire drops the old one', async () => {
    const old = await generateCa(NOW);
    const oldLeafPem = await leafFrom(old, NOW);

    const later = new Date(NOW.getTime() + 2 * YEAR_MS);
    const rotated = await rotate(old, later);
    assert.notEqual(rotated.cert.serialNumber, old.cert.serialNumber);
    assert.deepEqual(
      rotated.bundle.map((c) => c.serialNumber),
      [rotated.cert.serialNumber, old.cert.serialNumber],
      'bundle: new CA first, then the old one',
    );

    // Survives the Secret round trip with the overlap intact.
    const reloaded = await loadCa(caToSecretData(rotated));
    assert.deepEqual(
      reloaded.bundle.map((c) => c.serialNumber),
      rotated.bundle.map((c) => c.serialNumber),
    );

    // A client trusting the bundle accepts leaves from either CA.
    const bundle = splitPem(caToSecretData(reloaded)[CA_BUNDLE_KEY]).map((p) => new NodeCertificate(p));
    const trusts = (leafPem: string) => {
      const leaf = new NodeCertificate(leafPem);
      return bundle.some((ca) => leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    };
    assert.ok(trusts(oldLeafPem), 'leaf of the old CA still verifies against the bundle');

    const newLeafPem = await leafFrom(reloaded, later);
    const newLeaf = new NodeCertificate(newLeafPem);
    assert.ok(newLeaf.checkIssued(new NodeCertificate(rotated.certPem)), 'new leaves come from the new CA');
    assert.ok(newLeaf.verify(new NodeCertificate(rotated.certPem).publicKey));
    assert.ok(!newLeaf.verify(new NodeCertificate(old.certPem).publicKey));
    assert.ok(trusts(newLeafPem));

    const retired = retire(reloaded);
    assert.deepEqual(
      retired.bundle.map((c) => c.serialNumber),
      [rotated.cert.serialNumber],
    );
    assert.equal(splitPem(caToSecretData(retired)[CA_BUNDLE_KEY]).length, 1);
    assert.equal(retired.keyPem, rotated.keyPem);
  });

  it('keeps the key type across rotation and drops CAs that have already expired', async () => {
    const old = await generateCa(NOW, { algorithm: 'RSA-2048', validityYears: 1 });
    const afterExpiry = new Date(NOW.getTime() + 2 * YEAR_MS);
    const rotated = await rotate(old, afterExpiry);
    assert.equal(new NodeCertificate(rotated.certPem).publicKey.asymmetricKeyType, 'rsa');
    assert.deepEqual(rotated.bundle, [rotated.cert]);
  });
});
