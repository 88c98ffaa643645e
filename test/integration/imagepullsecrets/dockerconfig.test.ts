// Seed 000 step 4 on a real control plane: the ImagePullSecret from the seed
// (with a namespace it does not need) keeps `registry-creds` in every labelled
// namespace, under the controller's own ServiceAccount and chart RBAC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BanzaiImagePullSecretKind } from '../../../src/apis/index.ts';
import { imagePullSecretsEntry } from '../../../src/controllers/imagepullsecrets/index.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, Manager, registerController, type Secret, Secrets } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { applyChartRbac, capturedLogger, installCrd, kubectl, renderChart } from './support.ts';

const TARGET = { 'imps.banzaicloud.io/target': 'true' };
const PASSWORD = 'hunter2-do-not-log';

function dockerConfig(registry: string, user: string, password: string): string {
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  return JSON.stringify({ auths: { [registry]: { username: user, password, auth } } });
}

function authsOf(s: Secret | undefined): Record<string, { username?: string }> {
  const text = Buffer.from(s?.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8');
  return JSON.parse(text).auths;
}

// The seed's manifest, verbatim but for the source Secret's name.
const seedManifest = `apiVersion: images.banzaicloud.io/v1alpha1
kind: ImagePullSecret
metadata:
  name: imps
  namespace: supertubes-system
spec:
  registry:
    credentials:
      - name: docker-login
        namespace: supertubes-system
  target:
    namespaces:
      labels:
        - matchLabels:
            imps.banzaicloud.io/target: "true"
    secret:
      name: registry-creds
`;

describe('ImagePullSecret with a dockerconfigjson source (seed 000 step 4)', () => {
  let cp: ControlPlane;
  let admin: Client;
  let manager: Manager;
  const logs = capturedLogger();

  const pullSecret = (namespace: string) => admin.getIfExists(Secrets, { namespace, name: 'registry-creds' });
  const namespace = (name: string, labels?: Record<string, string>) =>
    admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

  before(async () => {
    cp = await startControlPlane();
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installCrd(admin, 'imagepullsecrets.images.banzaicloud.io.yaml', BanzaiImagePullSecretKind);
    const sa = await applyChartRbac(
      admin,
      renderChart('imagepullsecrets-operator', 'imps', 'supertubes-system'),
      'supertubes-system',
    );
    manager = new Manager({
      kubeConfig: await cp.serviceAccountKubeConfig('supertubes-system', sa),
      logger: logs.logger,
      handleSignals: false,
    });
    await registerController(imagePullSecretsEntry, manager, {});
    void manager.start();
  });
  after(async () => {
    await manager?.stop();
    await cp?.stop();
  });

  it('writes registry-creds into labelled namespaces only, and never over a Secret it did not write', async () => {
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'docker-login', namespace: 'supertubes-system' },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': dockerConfig('registry.example.com', 'robot', PASSWORD) },
    } as Secret);
    await namespace('team-a', TARGET);
    await namespace('team-b');
    await namespace('team-c', TARGET);
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'registry-creds', namespace: 'team-c' },
      stringData: { mine: 'keep me' },
    } as Secret);

    kubectl(cp.kubeconfigPath, ['apply', '-f', '-'], seedManifest);

    await eventually(async () => {
      const s = await pullSecret('team-a');
      assert.equal(s?.type, 'kubernetes.io/dockerconfigjson');
      assert.deepEqual(Object.keys(authsOf(s)), ['registry.example.com']);
      assert.equal(authsOf(s)['registry.example.com']?.username, 'robot');
    });
    await eventually(async () => {
      const imps = await admin.get(BanzaiImagePullSecretKind, { name: 'imps' });
      assert.equal(imps.status?.status, 'Failed');
      assert.match(imps.status?.reason ?? '', /team-c/);
      assert.deepEqual(imps.status?.managedNamespaces, ['team-a']);
      assert.equal(imps.status?.sourceSecretStatus?.['supertubes-system/docker-login'], 'Ok');
      const ready = imps.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.status, 'False');
      assert.equal(ready?.reason, 'SecretNotOwned');
    });
    assert.equal(await pullSecret('team-b'), undefined);
    const foreign = await pullSecret('team-c');
    assert.equal(foreign?.type, 'Opaque');
    assert.equal(Buffer.from(foreign?.data?.mine ?? '', 'base64').toString(), 'keep me');
  });

  it('serves a namespace labelled afterwards and becomes Ready once the foreign Secret is gone', async () => {
    await namespace('team-d');
    await namespace('team-d', TARGET);
    await admin.delete(Secrets, { namespace: 'team-c', name: 'registry-creds' });
    await eventually(async () => {
      assert.ok(await pullSecret('team-d'));
      assert.equal((await pullSecret('team-c'))?.type, 'kubernetes.io/dockerconfigjson');
      const imps = await admin.get(BanzaiImagePullSecretKind, { name: 'imps' });
      assert.equal(imps.status?.status, 'Ready');
      assert.deepEqual(imps.status?.managedNamespaces, ['team-a', 'team-c', 'team-d']);
      assert.ok(imps.status?.lastSuccessfulReconciliation);
    });
  });

  it('writes nothing when a reconcile has nothing to do', async () => {
    const reconciles = async () =>
      (await manager.metrics.reconcileTotal.get()).values
        .filter((v) => v.labels.controller === 'imagepullsecrets')
        .reduce((sum, v) => sum + v.value, 0);
    const versions = async () => [
      (await admin.get(BanzaiImagePullSecretKind, { name: 'imps' })).metadata?.resourceVersion,
      ...(await Promise.all(
        ['team-a', 'team-c', 'team-d'].map(async (ns) => (await pullSecret(ns))?.metadata?.resourceVersion),
      )),
    ];
    const before = await versions();
    const count = await reconciles();
    await namespace('unrelated'); // an event that reconciles, but changes no target
    await eventually(async () => assert.ok((await reconciles()) > count));
    assert.deepEqual(await versions(), before);
    const ready = (await admin.get(BanzaiImagePullSecretKind, { name: 'imps' })).status?.conditions?.find(
      (c) => c.type === 'Ready',
    );
    assert.equal(ready?.status, 'True');
    assert.equal(ready?.reason, 'Reconciled');
  });

  it('removes the Secret from a namespace that stops matching', async () => {
    await namespace('team-a', { 'imps.banzaicloud.io/target': 'false' });
    await eventually(async () => assert.equal(await pullSecret('team-a'), undefined));
    assert.ok(await pullSecret('team-d'));
  });

  it('propagates a change of the source Secret', async () => {
    await admin.patch(
      Secrets,
      { namespace: 'supertubes-system', name: 'docker-login' },
      { stringData: { '.dockerconfigjson': dockerConfig('other.example.com', 'robot2', PASSWORD) } },
    );
    await eventually(async () => {
      assert.deepEqual(Object.keys(authsOf(await pullSecret('team-d'))), ['other.example.com']);
    });
  });

  it('still writes the good sources when one is broken, and says which one failed', async () => {
    await admin.create({
      apiVersion: 'images.banzaicloud.io/v1alpha1',
      kind: 'ImagePullSecret',
      metadata: { name: 'two-sources' },
      spec: {
        registry: {
          credentials: [
            { name: 'missing-one', namespace: 'supertubes-system' },
            { name: 'docker-login', namespace: 'supertubes-system' },
          ],
        },
        target: { namespaces: { names: ['team-d'] }, secret: { name: 'mixed-creds' } },
      },
    });
    await eventually(async () => {
      const s = await admin.getIfExists(Secrets, { namespace: 'team-d', name: 'mixed-creds' });
      assert.deepEqual(Object.keys(authsOf(s)), ['other.example.com']);
      const status = (await admin.get(BanzaiImagePullSecretKind, { name: 'two-sources' })).status;
      assert.equal(status?.status, 'Failed');
      assert.match(status?.reason ?? '', /supertubes-system\/missing-one: Secret not found/);
      assert.equal(status?.sourceSecretStatus?.['supertubes-system/docker-login'], 'Ok');
      assert.deepEqual(status?.managedNamespaces, ['team-d']);
    });
    await admin.delete(BanzaiImagePullSecretKind, { name: 'two-sources' });
  });

  it('moves to a new Secret name, deleting the old one it wrote', async () => {
    await admin.patch(
      BanzaiImagePullSecretKind,
      { name: 'imps' },
      { spec: { target: { secret: { name: 'renamed-creds' } } } },
    );
    await eventually(async () => {
      assert.ok(await admin.getIfExists(Secrets, { namespace: 'team-d', name: 'renamed-creds' }));
      assert.equal(await pullSecret('team-d'), undefined);
    });
    await admin.patch(
      BanzaiImagePullSecretKind,
      { name: 'imps' },
      { spec: { target: { secret: { name: 'registry-creds' } } } },
    );
    await eventually(async () => {
      assert.ok(await pullSecret('team-d'));
      assert.equal(
        await admin.getIfExists(Secrets, { namespace: 'team-d', name: 'renamed-creds' }),
        undefined,
      );
    });
  });

  it('removes what it wrote when the ImagePullSecret is deleted', async () => {
    await admin.delete(BanzaiImagePullSecretKind, { name: 'imps' });
    await eventually(async () => {
      assert.equal(await pullSecret('team-c'), undefined);
      assert.equal(await pullSecret('team-d'), undefined);
    });
  });

  it('targets namespaces by their pods with namespacesWithPods', async () => {
    await admin.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'docker-login', namespace: 'supertubes-system' },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': dockerConfig('registry.example.com', 'robot', PASSWORD) },
    } as Secret);
    const podIn = (namespace: string, app: string) =>
      admin.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'broker', namespace, labels: { app } },
        spec: { containers: [{ name: 'c', image: 'registry.example.com/kafka:1' }] },
      });
    await namespace('pods-a');
    await namespace('pods-b');
    await podIn('pods-a', 'kafka');
    await podIn('pods-b', 'other');
    await admin.create({
      apiVersion: 'images.banzaicloud.io/v1alpha1',
      kind: 'ImagePullSecret',
      metadata: { name: 'by-pods' },
      spec: {
        registry: { credentials: [{ name: 'docker-login', namespace: 'supertubes-system' }] },
        target: {
          namespacesWithPods: { labels: [{ matchLabels: { app: 'kafka' } }] },
          secret: { name: 'pods-creds' },
        },
      },
    });
    const podsSecret = (ns: string) => admin.getIfExists(Secrets, { namespace: ns, name: 'pods-creds' });
    await eventually(async () => assert.ok(await podsSecret('pods-a')));
    assert.equal(await podsSecret('pods-b'), undefined);
    await podIn('pods-b', 'kafka');
    await eventually(async () => assert.ok(await podsSecret('pods-b')));
    await admin.delete(
      { apiVersion: 'v1', kind: 'Pod' },
      { namespace: 'pods-a', name: 'broker' },
      { gracePeriodSeconds: 0 },
    );
    await eventually(async () => assert.equal(await podsSecret('pods-a'), undefined));
    await admin.delete(BanzaiImagePullSecretKind, { name: 'by-pods' });
    await eventually(async () => assert.equal(await podsSecret('pods-b'), undefined));
  });

  it('never logs a credential', () => {
    assert.ok(logs.text().includes('pull secrets written'));
    assert.ok(!logs.text().includes(PASSWORD));
    assert.ok(!logs.text().includes(Buffer.from(`robot:${PASSWORD}`).toString('base64')));
  });
});
