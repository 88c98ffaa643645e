// A local control plane behaves like a real cluster: fake nodes Ready,
// workloads become available, garbage collection and namespace finalization
// run, RBAC is enforced and the built-in CSR signers issue certificates.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AppsV1Api,
  CertificatesV1Api,
  CoreV1Api,
  type KubeConfig,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane, toolPath } from '../../../src/devcluster/index.ts';
import { loadX509 } from '../../../src/pki/x509.ts';
import { eventually } from '../../support/eventually.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

const podTemplate = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: app, image: 'registry.k8s.io/pause:3.10' }] },
});

describe('a local control plane', () => {
  let cp: ControlPlane;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    kc = cp.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });
  after(async () => {
    await cp?.stop();
  });

  it('shows its fake nodes Ready to kubectl', () => {
    const out = execFileSync(
      toolPath('kubectl'),
      ['--kubeconfig', cp.kubeconfigPath, 'get', 'nodes', '--no-headers'],
      {
        encoding: 'utf8',
      },
    );
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.match(line, /^kwok-node-\d+\s+Ready\s/);
  });

  it('makes a Deployment with 2 replicas Available', async () => {
    const namespace = 'deploy-available';
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: podTemplate('web') },
      },
    });
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ namespace, name: 'web' });
      assert.equal(d.status?.availableReplicas, 2);
    });
  });

  it('makes a StatefulSet Ready', async () => {
    const namespace = 'sts-ready';
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await apps.createNamespacedStatefulSet({
      namespace,
      body: {
        metadata: { name: 'zk' },
        spec: {
          replicas: 3,
          serviceName: 'zk',
          selector: { matchLabels: { app: 'zk' } },
          template: podTemplate('zk'),
        },
      },
    });
    await eventually(async () => {
      const s = await apps.readNamespacedStatefulSet({ namespace, name: 'zk' });
      assert.equal(s.status?.readyReplicas, 3);
    });
  });

  it('garbage-collects the ReplicaSet and pods of a deleted Deployment', async () => {
    const namespace = 'gc';
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'gone' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'gone' } }, template: podTemplate('gone') },
      },
    });
    await eventually(async () => {
      assert.equal((await core.listNamespacedPod({ namespace })).items.length, 2);
    });
    await apps.deleteNamespacedDeployment({ namespace, name: 'gone' });
    await eventually(async () => {
      assert.equal((await apps.listNamespacedReplicaSet({ namespace })).items.length, 0);
      assert.equal((await core.listNamespacedPod({ namespace })).items.length, 0);
    });
  });

  it('finishes deleting a namespace that has objects in it', async () => {
    const namespace = 'doomed';
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'c' }, data: { a: 'b' } } });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'd' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: podTemplate('d') },
      },
    });
    await eventually(async () => {
      assert.equal((await core.listNamespacedPod({ namespace })).items.length, 1);
    });
    await core.deleteNamespace({ name: namespace });
    await eventually(async () => {
      const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
      assert.ok(!names.includes(namespace), 'namespace still there');
    });
  });

  it('enforces RBAC for a ServiceAccount: 403 without a Role, allowed after a RoleBinding', async () => {
    const namespace = 'rbac';
    const saKc = await cp.serviceAccountKubeConfig(namespace, 'reader');
    const saCore = saKc.makeApiClient(CoreV1Api);
    await assert.rejects(
      saCore.listNamespacedSecret({ namespace }),
      (err: { code?: number }) => err.code === 403,
    );
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'secret-reader' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace }],
      },
    });
    const list = await eventually(() => saCore.listNamespacedSecret({ namespace }));
    assert.ok(Array.isArray(list.items));
  });

  it('issues a certificate for an approved kube-apiserver-client CSR', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=alice, O=team-a',
      keys,
      signingAlgorithm: alg,
    });
    const certs = kc.makeApiClient(CertificatesV1Api);
    await certs.createCertificateSigningRequest({
      body: {
        metadata: { name: 'alice' },
        spec: {
          request: Buffer.from(csr.toString('pem')).toString('base64'),
          signerName: 'kubernetes.io/kube-apiserver-client',
          usages: ['client auth'],
          expirationSeconds: 3600,
        },
      },
    });
    const current = await certs.readCertificateSigningRequest({ name: 'alice' });
    current.status = {
      conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'approved by the test' }],
    };
    await certs.replaceCertificateSigningRequestApproval({ name: 'alice', body: current });
    const issued = await eventually(async () => {
      const c = await certs.readCertificateSigningRequest({ name: 'alice' });
      assert.ok(c.status?.certificate, 'no certificate yet');
      return c.status.certificate;
    });
    const cert = new x509.X509Certificate(Buffer.from(issued, 'base64').toString('utf8'));
    assert.match(cert.subject, /CN=alice/);
    const ca = new x509.X509Certificate(
      (await core.readNamespacedConfigMap({ namespace: 'default', name: 'kube-root-ca.crt' })).data?.[
        'ca.crt'
      ] ?? '',
    );
    assert.ok(
      await cert.verify({ publicKey: ca.publicKey }),
      'certificate does not verify against the cluster CA',
    );
  });
});
