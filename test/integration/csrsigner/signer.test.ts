// The CSR signer on a real control plane, under its chart's ServiceAccount:
// approved requests for csr.banzaicloud.io/privateca get a certificate that
// verifies against ca_crt.pem from the CA Secret; others are left alone or
// failed with a reason; CA rotation keeps old leaves trusted during overlap.
import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CA_BUNDLE_KEY,
  CA_CERT_KEY,
  CA_SECRET_NAME,
  type CertificateSigningRequest,
  CertificateSigningRequests,
  csrSignerEntry,
  RETIRE_ANNOTATION,
  ROTATE_ANNOTATION,
} from '../../../src/controllers/csrsigner/index.ts';
import { loadX509 } from '../../../src/controllers/csrsigner/x509.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, Manager, registerController, type Secret, Secrets } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { applyChartRbac, capturedLogger, renderChart } from '../imagepullsecrets/support.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

const SIGNER = 'csr.banzaicloud.io/privateca';
const NS = 'csr-operator-system';
const MAX_DURATION = 86_400;

type KeyKind = 'P-256' | 'RSA-1024';

async function csrPem(cn: string, keyKind: KeyKind): Promise<string> {
  const alg =
    keyKind === 'P-256'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : {
          name: 'RSASSA-PKCS1-v1_5',
          hash: 'SHA-256',
          modulusLength: 1024,
          publicExponent: new Uint8Array([1, 0, 1]),
        };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: `${cn}.example.com` }])],
  });
  return req.toString('pem');
}

function pemCerts(text: string): X509Certificate[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (p) => new X509Certificate(p),
  );
}

function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
}

describe('CSR signer for csr.banzaicloud.io/privateca', () => {
  let cp: ControlPlane;
  let admin: Client;
  let approver: Client;
  let manager: Manager;
  const logs = capturedLogger();

  const caSecret = () => admin.get(Secrets, { namespace: NS, name: CA_SECRET_NAME });
  const secretText = (s: Secret, key: string) => Buffer.from(s.data?.[key] ?? '', 'base64').toString('utf8');
  const rootCerts = async () =>
    pemCerts(
      secretText(
        await admin.get(Secrets, { namespace: 'istio-system', name: 'external-ca-cert' }),
        'root-cert.pem',
      ),
    );
  const getCsr = (name: string) => admin.get(CertificateSigningRequests, { name });

  async function createCsr(
    name: string,
    opts: { key?: KeyKind; usages?: string[]; expirationSeconds?: number; signerName?: string } = {},
  ): Promise<void> {
    await admin.create({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: {
        request: Buffer.from(await csrPem(name, opts.key ?? 'P-256')).toString('base64'),
        signerName: opts.signerName ?? SIGNER,
        usages: opts.usages ?? ['digital signature', 'key encipherment', 'server auth'],
        expirationSeconds: opts.expirationSeconds,
      },
    } as CertificateSigningRequest);
  }

  async function decide(name: string, type: 'Approved' | 'Denied', as: Client = approver): Promise<void> {
    await as.modify(
      CertificateSigningRequests,
      { name },
      (csr) => ({
        ...csr,
        status: {
          ...csr.status,
          conditions: [
            ...(csr.status?.conditions ?? []),
            { type, status: 'True', reason: 'Test', message: `${type} by test` },
          ],
        },
      }),
      { subresource: 'approval' },
    );
  }

  async function certificateOf(name: string): Promise<X509Certificate[]> {
    return eventually(async () => {
      const csr = await getCsr(name);
      assert.ok(csr.status?.certificate, `CSR ${name} has no certificate yet`);
      return pemCerts(Buffer.from(csr.status.certificate, 'base64').toString('utf8'));
    });
  }

  async function failure(name: string): Promise<{ reason?: string; message?: string }> {
    return eventually(async () => {
      const failed = (await getCsr(name)).status?.conditions?.find((c) => c.type === 'Failed');
      assert.ok(failed, `CSR ${name} has no Failed condition yet`);
      return failed;
    });
  }

  before(async () => {
    cp = await startControlPlane();
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } });
    const sa = await applyChartRbac(
      admin,
      renderChart('csr-operator', 'csr', NS, [
        `maxDurationSeconds=${MAX_DURATION}`,
        'publishCa.enabled=true',
      ]),
      NS,
    );
    // A user who may approve requests for this signer, and nothing more.
    await admin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'privateca-approver' },
      rules: [
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['certificatesigningrequests'],
          verbs: ['get', 'list'],
        },
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['certificatesigningrequests/approval'],
          verbs: ['update'],
        },
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['signers'],
          resourceNames: [SIGNER],
          verbs: ['approve'],
        },
      ],
    } as never);
    await admin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'privateca-approver' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'privateca-approver' },
      subjects: [{ kind: 'ServiceAccount', name: 'approver', namespace: 'default' }],
    } as never);
    approver = Client.fromKubeConfig(await cp.serviceAccountKubeConfig('default', 'approver'));

    manager = new Manager({
      kubeConfig: await cp.serviceAccountKubeConfig(NS, sa),
      logger: logs.logger,
      handleSignals: false,
    });
    await registerController(csrSignerEntry, manager, {
      namespace: NS,
      maxDurationSeconds: String(MAX_DURATION),
      publishCa: 'istio-system/external-ca-cert',
    });
    void manager.start();
  });
  after(async () => {
    await manager?.stop();
    await cp?.stop();
  });

  it('generates the CA Secret on first start', async () => {
    const secret = await eventually(caSecret);
    const [ca] = pemCerts(secretText(secret, CA_CERT_KEY));
    assert.ok(ca?.ca);
    assert.match(secretText(secret, 'ca_key.pem'), /BEGIN PRIVATE KEY/);
  });

  it('publishes the CA certificate, never its key, as external-ca-cert for istiod', async () => {
    const published = await eventually(() =>
      admin.get(Secrets, { namespace: 'istio-system', name: 'external-ca-cert' }),
    );
    assert.deepEqual(Object.keys(published.data ?? {}), ['root-cert.pem']);
    assert.ok(!secretText(published, 'root-cert.pem').includes('PRIVATE'));
    const [ca] = pemCerts(secretText(await caSecret(), CA_CERT_KEY));
    assert.deepEqual(
      (await rootCerts()).map((c) => c.fingerprint256),
      [ca?.fingerprint256],
    );
  });

  it('returns the full chain to requests annotated csr.banzaicloud.io/fullchain', async () => {
    await admin.create({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'kafka-broker', annotations: { 'csr.banzaicloud.io/fullchain': 'true' } },
      spec: {
        request: Buffer.from(await csrPem('kafka-broker', 'P-256')).toString('base64'),
        signerName: SIGNER,
        usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
      },
    } as CertificateSigningRequest);
    await decide('kafka-broker', 'Approved');
    const [leaf, ca, ...rest] = await certificateOf('kafka-broker');
    assert.equal(rest.length, 0);
    const [caInSecret] = pemCerts(secretText(await caSecret(), CA_CERT_KEY));
    assert.equal(ca?.fingerprint256, caInSecret?.fingerprint256);
    assert.ok(leaf && ca && issuedBy(leaf, ca));
  });

  it('signs an approved request with a certificate that verifies against ca_crt.pem, capped to the maximum duration', async () => {
    await createCsr('waiting'); // never approved
    await createCsr('denied');
    await decide('denied', 'Denied');
    await createCsr('web', { expirationSeconds: 10 * 365 * 86_400 });
    await decide('web', 'Approved');
    const [leaf, ...rest] = await certificateOf('web');
    assert.equal(rest.length, 0);
    const [ca] = pemCerts(secretText(await caSecret(), CA_CERT_KEY));
    assert.ok(leaf && ca && issuedBy(leaf, ca));
    assert.match(leaf.subject, /CN=web/);
    assert.match(leaf.subjectAltName ?? '', /DNS:web\.example\.com/);
    const lifetimeSeconds = (Date.parse(leaf.validTo) - Date.now()) / 1000;
    assert.ok(lifetimeSeconds <= MAX_DURATION, `certificate lives ${lifetimeSeconds}s, more than the cap`);
    assert.ok(lifetimeSeconds > MAX_DURATION - 3600);
  });

  it('leaves unapproved, denied and other signers’ requests alone', async () => {
    await createCsr('other-signer', { signerName: 'example.com/other' });
    await decide('other-signer', 'Approved', admin);
    // A request approved after them is signed: they have been seen by now.
    await createCsr('later');
    await decide('later', 'Approved');
    await certificateOf('later');
    for (const name of ['waiting', 'denied', 'other-signer']) {
      const csr = await getCsr(name);
      assert.equal(csr.status?.certificate, undefined, name);
      assert.equal(
        csr.status?.conditions?.find((c) => c.type === 'Failed'),
        undefined,
        name,
      );
    }
  });

  it('fails requests it refuses, saying why', async () => {
    await createCsr('weak', { key: 'RSA-1024' });
    await decide('weak', 'Approved');
    const weak = await failure('weak');
    assert.equal(weak.reason, 'WeakKey');
    assert.match(weak.message ?? '', /1024/);

    await createCsr('code-signing', { usages: ['digital signature', 'code signing'] });
    await decide('code-signing', 'Approved');
    const usage = await failure('code-signing');
    assert.equal(usage.reason, 'UnsupportedUsage');
    assert.match(usage.message ?? '', /code signing/);
    assert.equal((await getCsr('code-signing')).status?.certificate, undefined);
  });

  it('tolerates a request deleted right after approval', async () => {
    await createCsr('vanishing');
    await decide('vanishing', 'Approved');
    await admin.delete(CertificateSigningRequests, { name: 'vanishing' });
    await createCsr('after-vanishing');
    await decide('after-vanishing', 'Approved');
    await certificateOf('after-vanishing');
  });

  it('rotates the CA keeping old certificates trusted until the old CA is retired', async () => {
    const before = await caSecret();
    const [oldCa] = pemCerts(secretText(before, CA_CERT_KEY));
    const [oldLeaf] = await certificateOf('web');
    await admin.patch(
      Secrets,
      { namespace: NS, name: CA_SECRET_NAME },
      {
        metadata: { annotations: { [ROTATE_ANNOTATION]: '2026-11-23' } },
      },
    );
    const rotated = await eventually(async () => {
      const s = await caSecret();
      assert.notEqual(secretText(s, CA_CERT_KEY), secretText(before, CA_CERT_KEY));
      return s;
    });
    const [newCa] = pemCerts(secretText(rotated, CA_CERT_KEY));
    const bundle = pemCerts(secretText(rotated, CA_BUNDLE_KEY));
    assert.equal(bundle.length, 2);
    assert.ok(oldLeaf && bundle.some((c) => issuedBy(oldLeaf, c)), 'old leaf verifies against the bundle');
    // istiod gets both CAs during the overlap.
    await eventually(async () => assert.equal((await rootCerts()).length, 2));

    await createCsr('after-rotation');
    await decide('after-rotation', 'Approved');
    const [newLeaf] = await certificateOf('after-rotation');
    assert.ok(newLeaf && newCa && oldCa);
    assert.ok(issuedBy(newLeaf, newCa));
    assert.ok(!issuedBy(newLeaf, oldCa));

    await admin.patch(
      Secrets,
      { namespace: NS, name: CA_SECRET_NAME },
      {
        metadata: { annotations: { [RETIRE_ANNOTATION]: 'true' } },
      },
    );
    await eventually(async () => {
      const s = await caSecret();
      const certs = pemCerts(secretText(s, CA_BUNDLE_KEY));
      assert.equal(certs.length, 1);
      assert.ok(newCa && certs[0]?.fingerprint256 === newCa.fingerprint256);
      assert.equal(s.metadata?.annotations?.[RETIRE_ANNOTATION], undefined);
      assert.deepEqual(
        (await rootCerts()).map((c) => c.fingerprint256),
        [newCa?.fingerprint256],
      );
    });
  });

  it('puts back the CA it signs with when its Secret is deleted', async () => {
    const before = secretText(await caSecret(), CA_CERT_KEY);
    await admin.delete(Secrets, { namespace: NS, name: CA_SECRET_NAME });
    await eventually(async () => assert.equal(secretText(await caSecret(), CA_CERT_KEY), before));
  });

  it('holds only the RBAC it needs: the CA Secret by name, nothing else', async () => {
    const can = async (attrs: Record<string, string>) => {
      const review = await admin.create({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: `system:serviceaccount:${NS}:csr-csr-operator`, resourceAttributes: attrs },
      } as never);
      return (review as { status?: { allowed?: boolean } }).status?.allowed === true;
    };
    const secret = { resource: 'secrets', verb: 'get' };
    assert.equal(await can({ ...secret, namespace: NS, name: CA_SECRET_NAME }), true);
    assert.equal(await can({ ...secret, namespace: NS, name: 'other' }), false);
    assert.equal(await can({ ...secret, namespace: 'default', name: CA_SECRET_NAME }), false);
    const signer = { group: 'certificates.k8s.io', resource: 'signers', verb: 'sign' };
    assert.equal(await can({ ...signer, name: SIGNER }), true);
    assert.equal(await can({ ...signer, name: 'kubernetes.io/kube-apiserver-client' }), false);
    assert.equal(await can({ ...signer, name: SIGNER, verb: 'approve' }), false);
    assert.equal(
      await can({ group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'delete' }),
      false,
    );
  });

  it('logs signings but no key material', () => {
    assert.match(logs.text(), /"msg":"signed"/);
    assert.ok(!logs.text().includes('PRIVATE KEY'));
  });
});
