import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type CaState, generateCa } from '../../../src/controllers/csrsigner/ca.ts';
import { validateCsr } from '../../../src/controllers/csrsigner/request.ts';
import { decideForCsr, signCertificate } from '../../../src/controllers/csrsigner/sign.ts';
import { loadX509 } from '../../../src/controllers/csrsigner/x509.ts';
import { csrPem, type KubeCsrOptions, kubeCsr, NodeCertificate, splitPem } from './helpers.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

const NOW = new Date('2025-03-01T12:00:00Z');
const MINUTE = 60_000;

let ca: CaState;
before(async () => {
  ca = await generateCa(new Date(NOW.getTime() - 24 * 3600 * 1000));
});

async function sign(opts: KubeCsrOptions = {}, signingCa: CaState = ca, now = NOW): Promise<string> {
  const v = await validateCsr(await kubeCsr(opts));
  assert.ok(v.ok, v.ok ? '' : v.message);
  return signCertificate(v.params, signingCa, now);
}

describe('signCertificate', () => {
  it('issues a leaf that node:crypto verifies against the CA, with subject, SANs and usages copied', async () => {
    const pem = await csrPem({
      sans: [
        { type: 'dns', value: 'kafka-0.kafka-headless.kafka.svc.cluster.local' },
        { type: 'ip', value: '10.0.0.7' },
        { type: 'url', value: 'spiffe://cluster.local/ns/kafka/sa/kafka' },
        { type: 'email', value: 'ops@example.com' },
      ],
    });
    const chain = splitPem(await sign({ pem, expirationSeconds: 3600 }));
    assert.equal(chain.length, 1, 'leaf only without the fullchain annotation');
    const leaf = new NodeCertificate(chain[0]!);
    const caCert = new NodeCertificate(ca.certPem);

    assert.ok(leaf.checkIssued(caCert));
    assert.ok(leaf.verify(caCert.publicKey));
    assert.equal(leaf.ca, false);
    assert.equal(leaf.subject, 'CN=kafka-0\nO=sdm-test');
    assert.equal(leaf.issuer, caCert.subject);
    assert.equal(
      leaf.subjectAltName,
      'DNS:kafka-0.kafka-headless.kafka.svc.cluster.local, IP Address:10.0.0.7, URI:spiffe://cluster.local/ns/kafka/sa/kafka, email:ops@example.com',
    );
    assert.deepEqual(leaf.keyUsage?.sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    // The leaf carries the CSR's public key.
    const csr = new x509.Pkcs10CertificateRequest(pem);
    assert.equal(
      leaf.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'),
      Buffer.from(csr.publicKey.rawData).toString('hex'),
    );

    // Validity: clock skew before, requested duration after.
    assert.equal(leaf.validFromDate.getTime(), NOW.getTime() - 5 * MINUTE);
    assert.equal(leaf.validToDate.getTime(), NOW.getTime() + 3600 * 1000);

    const parsed = new x509.X509Certificate(chain[0]!);
    const ku = parsed.getExtension(x509.KeyUsagesExtension);
    assert.equal(ku?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    const aki = parsed.getExtension(x509.AuthorityKeyIdentifierExtension);
    const caSki = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension);
    assert.ok(aki?.keyId && aki.keyId === caSki?.keyId, 'AKI matches the CA SKI');
    const ski = parsed.getExtension(x509.SubjectKeyIdentifierExtension);
    assert.equal(ski?.keyId, (await x509.SubjectKeyIdentifierExtension.create(csr.publicKey)).keyId);
    assert.equal(parsed.getExtension(x509.SubjectAlternativeNameExtension)?.critical, false);
  });

  it('uses random serials of about 128 bits', async () => {
    const a = new NodeCertificate(splitPem(await sign())[0]!);
    const b = new NodeCertificate(splitPem(await sign())[0]!);
    assert.notEqual(a.serialNumber, b.serialNumber);
    for (const s of [a.serialNumber, b.serialNumber]) {
      const hex = s.replace(/^00/, '');
      assert.equal(hex.length, 32, `serial ${s}`);
    }
  });

  it('returns leaf + CA with the fullchain annotation', async () => {
    const chain = splitPem(await sign({ annotations: { 'csr.banzaicloud.io/fullchain': 'true' } }));
    assert.equal(chain.length, 2);
    const leaf = new NodeCertificate(chain[0]!);
    const caCert = new NodeCertificate(chain[1]!);
    assert.ok(caCert.ca);
    assert.equal(caCert.fingerprint256, new NodeCertificate(ca.certPem).fingerprint256);
    assert.ok(leaf.checkIssued(caCert) && leaf.verify(caCert.publicKey));
  });

  it('never outlives the CA', async () => {
    const shortCa = await generateCa(NOW, { validityYears: 1 });
    const nearEnd = new Date(shortCa.cert.notAfter.getTime() - 3600 * 1000);
    const leaf = new NodeCertificate(
      splitPem(await sign({ expirationSeconds: 30 * 24 * 3600 }, shortCa, nearEnd))[0]!,
    );
    assert.equal(leaf.validToDate.getTime(), shortCa.cert.notAfter.getTime());
  });

  it('marks the SAN critical when the subject is empty (Istio workload certificates)', async () => {
    const pem = await csrPem({
      name: '',
      sans: [{ type: 'url', value: 'spiffe://cluster.local/ns/a/sa/b' }],
    });
    const leafPem = splitPem(await sign({ pem }))[0]!;
    const parsed = new x509.X509Certificate(leafPem);
    assert.equal(parsed.subject, '');
    assert.equal(parsed.getExtension(x509.SubjectAlternativeNameExtension)?.critical, true);
    assert.ok(new NodeCertificate(leafPem).verify(new NodeCertificate(ca.certPem).publicKey));
  });

  it('signs Ed25519, P-384 and RSA requests, and signs with an RSA CA', async () => {
    const rsaCa = await generateCa(NOW, { algorithm: 'RSA-2048' });
    for (const key of ['Ed25519', 'P-384', 'RSA-2048'] as const) {
      for (const signer of [ca, rsaCa]) {
        const leaf = new NodeCertificate(splitPem(await sign({ pem: await csrPem({ key }) }, signer))[0]!);
        assert.ok(leaf.verify(new NodeCertificate(signer.certPem).publicKey), key);
      }
    }
  });
});

describe('decideForCsr', () => {
  it('signs an approved request for our signer', async () => {
    const d = await decideForCsr(await kubeCsr(), ca, {}, NOW);
    assert.equal(d.action, 'sign');
    if (d.action !== 'sign') return;
    const leaf = new NodeCertificate(splitPem(d.certificatePem)[0]!);
    assert.ok(leaf.verify(new NodeCertificate(ca.certPem).publicKey));
  });

  it('skips requests that are not ours, not approved, denied, failed or already signed', async () => {
    const cases: [KubeCsrOptions, RegExp][] = [
      [{ signerName: 'kubernetes.io/kubelet-serving' }, /not csr\.banzaicloud\.io\/privateca/],
      [{ conditions: [] }, /not approved/],
      [{ conditions: [{ type: 'Denied', status: 'True' }] }, /denied/],
      [
        {
          conditions: [
            { type: 'Approved', status: 'True' },
            { type: 'Failed', status: 'True' },
          ],
        },
        /failed/,
      ],
      [{ certificate: 'LS0tLS1CRUdJTi...' }, /already has a certificate/],
    ];
    for (const [opts, why] of cases) {
      const d = await decideForCsr(await kubeCsr(opts), ca, {}, NOW);
      assert.equal(d.action, 'skip', JSON.stringify(opts));
      if (d.action === 'skip') assert.match(d.why, why);
    }
  });

  it('fails approved requests it refuses, with reason and message', async () => {
    const d = await decideForCsr(await kubeCsr({ pem: await csrPem({ key: 'RSA-1024' }) }), ca, {}, NOW);
    assert.deepEqual(d.action, 'fail');
    if (d.action !== 'fail') return;
    assert.equal(d.reason, 'WeakKey');
    assert.ok(!d.message.includes('PRIVATE KEY'));

    const usage = await decideForCsr(await kubeCsr({ usages: ['code signing'] }), ca, {}, NOW);
    assert.equal(usage.action === 'fail' && usage.reason, 'UnsupportedUsage');
  });

  it('fails with CAExpired rather than issuing from an expired CA', async () => {
    const afterExpiry = new Date(ca.cert.notAfter.getTime() + 1000);
    const d = await decideForCsr(await kubeCsr(), ca, {}, afterExpiry);
    assert.equal(d.action, 'fail');
    if (d.action === 'fail') {
      assert.equal(d.reason, 'CAExpired');
      assert.match(d.message, /rotate the CA/);
      assert.ok(!d.message.includes('PRIVATE KEY'));
    }
  });

  it('honours a configured signer name', async () => {
    const csr = await kubeCsr({ signerName: 'example.com/other' });
    assert.equal((await decideForCsr(csr, ca, {}, NOW)).action, 'skip');
    assert.equal((await decideForCsr(csr, ca, { signerName: 'example.com/other' }, NOW)).action, 'sign');
  });
});
