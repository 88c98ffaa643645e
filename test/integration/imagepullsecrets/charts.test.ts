// Both charts as a cluster would run them: the container args of each
// rendered Deployment handed to `sdm operator` in a child process (leader
// election, health server and all), with the chart's ServiceAccount and RBAC.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { webcrypto, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BanzaiImagePullSecretKind } from '../../../src/apis/index.ts';
import {
  CA_BUNDLE_KEY,
  CA_CERT_KEY,
  CA_SECRET_NAME,
  type CaState,
  CertificateSigningRequests,
  caToSecretData,
  generateCa,
} from '../../../src/controllers/csrsigner/index.ts';
import { loadX509 } from '../../../src/controllers/csrsigner/x509.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, type KubeObject, Secrets } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { applyChartRbac, installCrd, renderChart, repoRoot } from './support.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

interface Deployment extends KubeObject {
  spec: { template: { spec: { containers: { args: string[] }[] } } };
}

describe('the charts run sdm operator with their own ServiceAccounts', () => {
  let cp: ControlPlane;
  let admin: Client;
  let expiring: CaState;
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sdm-charts-'));

  async function runChart(chart: string, release: string, namespace: string): Promise<void> {
    const objects = renderChart(chart, release, namespace);
    const sa = await applyChartRbac(admin, objects, namespace);
    const deployment = objects.find((o) => o.kind === 'Deployment') as Deployment;
    const args = deployment.spec.template.spec.containers[0]!.args;
    const kubeconfig = join(dir, `${release}.kubeconfig`);
    writeFileSync(kubeconfig, (await cp.serviceAccountKubeConfig(namespace, sa)).exportConfig());
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        join(repoRoot, 'src/cli/main.ts'),
        ...args,
        '--kubeconfig',
        kubeconfig,
        '--health-port=0',
      ],
      { env: { ...process.env, POD_NAMESPACE: namespace }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d) => output.push(String(d)));
    child.stderr?.on('data', (d) => output.push(String(d)));
    children.push(child);
  }

  before(async () => {
    cp = await startControlPlane();
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installCrd(admin, 'imagepullsecrets.images.banzaicloud.io.yaml', BanzaiImagePullSecretKind);
    await runChart('imagepullsecrets-operator', 'imps', 'imps-system');
    // A CA brought by the user, one day from expiry: the chart's rotateBeforeDays renews it.
    expiring = await generateCa(new Date(Date.now() - 364 * 86_400_000), { validityYears: 1 });
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'csr-operator-system' } });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: CA_SECRET_NAME, namespace: 'csr-operator-system' },
      stringData: caToSecretData(expiring),
    } as KubeObject);
    await runChart('csr-operator', 'csr', 'csr-operator-system');
  });
  after(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    await cp?.stop();
  });

  it('imagepullsecrets-operator writes pull Secrets', async () => {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'login', namespace: 'imps-system' },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': '{"auths":{"r.example.com":{"auth":"dTpw"}}}' },
    });
    await admin.create({
      apiVersion: 'images.banzaicloud.io/v1alpha1',
      kind: 'ImagePullSecret',
      metadata: { name: 'imps' },
      spec: {
        registry: { credentials: [{ name: 'login', namespace: 'imps-system' }] },
        target: { namespaces: { names: ['app'] }, secret: { name: 'pull' } },
      },
    });
    await eventually(async () => {
      assert.ok(await admin.getIfExists(Secrets, { namespace: 'app', name: 'pull' }), output.join(''));
      assert.equal((await admin.get(BanzaiImagePullSecretKind, { name: 'imps' })).status?.status, 'Ready');
    });
  });

  it('csr-operator renews a CA close to expiry, keeping the old one trusted, and signs with the new one', async () => {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const req = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=app',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    await admin.create({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'app' },
      spec: {
        request: Buffer.from(req.toString('pem')).toString('base64'),
        signerName: 'csr.banzaicloud.io/privateca',
        usages: ['digital signature', 'server auth'],
      },
    } as KubeObject);
    await admin.modify(
      CertificateSigningRequests,
      { name: 'app' },
      (csr) => ({
        ...csr,
        status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'ok' }] },
      }),
      { subresource: 'approval' },
    );
    await eventually(async () => {
      const csr = await admin.get(CertificateSigningRequests, { name: 'app' });
      assert.ok(csr.status?.certificate, output.join(''));
    });
    const csr = await admin.get(CertificateSigningRequests, { name: 'app' });
    const leaf = new X509Certificate(Buffer.from(csr.status?.certificate ?? '', 'base64'));
    const secret = await admin.get(Secrets, { namespace: 'csr-operator-system', name: CA_SECRET_NAME });
    const text = (key: string) => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
    const ca = new X509Certificate(text(CA_CERT_KEY));
    assert.notEqual(ca.fingerprint256, new X509Certificate(expiring.certPem).fingerprint256);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    assert.ok(text(CA_BUNDLE_KEY).includes(expiring.certPem.trim().split('\n')[1]!), 'old CA still trusted');
  });

  it('each holds its own Lease, so they never wait for each other or the installer', async () => {
    const leases = await admin.list({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' });
    const names = leases.items.map((l) => `${l.metadata?.namespace}/${l.metadata?.name}`);
    assert.ok(names.includes('imps-system/imps-imagepullsecrets'), names.join(', '));
    assert.ok(names.includes('csr-operator-system/csr-csr-operator'), names.join(', '));
    assert.ok(!output.join('').includes('PRIVATE KEY'));
  });
});
