// Issue 13's installer holes, on a real control plane, through the engine:
// an object someone else made is never taken over (Helm 3's ownership rule),
// numbers that would silently become other numbers are refused naming the
// path, and CRDs kept at disable stay in the inventory so --purge finds them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LABEL_COMPONENT, LABEL_MANIFEST } from '../../../src/apis/supertubes.banzaicloud.io/keys.ts';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { kafkaMinion } from '../../../src/installer/components/kafkaMinion.ts';
import { zookeeperOperator } from '../../../src/installer/components/zookeeperOperator.ts';
import { Engine } from '../../../src/installer/engine.ts';
import type { ComponentDef, ComponentResult } from '../../../src/installer/types.ts';
import { Client, ConfigMaps, type KubeObject } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { CRDs, chartsDir, Deployments, installOurCrds } from './support.ts';

const NS = 'team-a';
const minion = { enabled: false, override: '' };
const zk = { enabled: false };
// The catalog's own kafkaMinion and zookeeperOperator, alone, into team-a / zk-test.
const kminionDef: ComponentDef = {
  ...kafkaMinion,
  dependsOn: [],
  block: () => ({
    enabled: minion.enabled,
    namespace: NS,
    valuesOverride: minion.override,
    path: 'spec.kafkaMinion',
  }),
};
const zkDef: ComponentDef = {
  ...zookeeperOperator,
  dependsOn: [],
  needsMesh: false,
  block: () => ({ enabled: zk.enabled, namespace: 'zk-test', path: 'spec.zookeeperOperator' }),
};
const manifest = {
  apiVersion: ApplicationManifestKind.apiVersion,
  kind: ApplicationManifestKind.kind,
  metadata: { name: 'hostile', namespace: 'supertubes-control-plane' },
  spec: { monitoring: { prometheusOperator: { enabled: false } } },
} as ApplicationManifest;

describe('hostile and careless input to the installer', () => {
  let cp: ControlPlane;
  let admin: Client;
  let engine: Engine;

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    for (const name of ['supertubes-control-plane', NS])
      await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    engine = new Engine({ client: admin, catalog: [kminionDef, zkDef], chartsDir, crdWaitMs: 30_000 });
    // The new CRD's storage answers 429 for a moment after Established.
    await eventually(() => admin.list(ApplicationManifestKind));
  });
  after(async () => {
    await admin?.transport.close();
    await cp?.stop();
  });

  async function pass(component: string, options: { purge?: boolean } = {}): Promise<ComponentResult> {
    const r = (await engine.reconcile(manifest, options)).results.find((x) => x.name === component);
    assert.ok(r, `a result for ${component}`);
    return r;
  }
  /** Passes until the component reaches state (objects become Available, removals finish). */
  function until(component: string, state: string, options: { purge?: boolean } = {}) {
    return eventually(
      async () => {
        const r = await pass(component, options);
        assert.equal(r.status, state, r.message);
        return r;
      },
      { timeoutMs: 90_000, intervalMs: 300 },
    );
  }
  const usersConfigMap = () => admin.getIfExists(ConfigMaps, { namespace: NS, name: 'kminion' });
  const deployment = () =>
    admin.getIfExists(Deployments, { namespace: NS, name: 'kminion' }) as Promise<
      (KubeObject & { spec?: { replicas?: number } }) | undefined
    >;

  it("never takes over a user's ConfigMap, and never deletes it at disable", async () => {
    await admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kminion', namespace: NS },
      data: { owner: 'team-a' },
    });
    minion.enabled = true;
    const r = await pass('kafkaMinion');
    assert.equal(r.status, 'Failed');
    assert.match(
      r.message,
      /ConfigMap team-a\/kminion exists and cannot be taken over by component kafkaMinion/,
    );
    assert.match(r.message, /no ownership labels/);
    assert.match(
      r.message,
      /label it supertubes\.banzaicloud\.io\/manifest=hostile and supertubes\.banzaicloud\.io\/component=kafkaMinion/,
    );
    // A second pass (the inventory now lists it) still does not take it.
    assert.equal((await pass('kafkaMinion')).status, 'Failed');
    const cm = await usersConfigMap();
    assert.deepEqual(cm?.data, { owner: 'team-a' });
    assert.equal(cm?.metadata?.labels?.[LABEL_COMPONENT], undefined);

    minion.enabled = false;
    await until('kafkaMinion', 'Removed');
    assert.deepEqual((await usersConfigMap())?.data, { owner: 'team-a' }, 'still there after disable');
  });

  it('adopts it once the user labels it deliberately, and then removes it at disable', async () => {
    await admin.patch(
      ConfigMaps,
      { namespace: NS, name: 'kminion' },
      { metadata: { labels: { [LABEL_MANIFEST]: 'hostile', [LABEL_COMPONENT]: 'kafkaMinion' } } },
      'merge',
    );
    minion.enabled = true;
    await until('kafkaMinion', 'Available');
    assert.ok((await usersConfigMap())?.data?.['config.yaml'], "the chart's data now");
    minion.enabled = false;
    await until('kafkaMinion', 'Removed');
    await eventually(async () => assert.equal(await usersConfigMap(), undefined));
    minion.enabled = true;
    await until('kafkaMinion', 'Available');
    assert.equal((await deployment())?.spec?.replicas, 1);
  });

  it('refuses replicas the server would truncate (int32), writing nothing', async () => {
    minion.override = 'replicaCount: 10000000000';
    const r = await pass('kafkaMinion');
    assert.equal(r.status, 'Failed');
    assert.match(
      r.message,
      /Deployment team-a\/kminion: spec\.replicas: sent 10000000000, the server stored 1410065408/,
    );
    assert.equal((await deployment())?.spec?.replicas, 1, 'no Deployment with 1,410,065,408 replicas');
  });

  for (const [text, path, why] of [
    ['replicaCount: 9223372036854775808', 'replicaCount', /9223372036854775808 is larger than 2\^53/],
    ['replicaCount: 10000000000000000000', 'replicaCount', /10000000000000000000 is larger than 2\^53/],
    ['replicaCount: .inf', 'replicaCount', /\.inf/],
    ['replicaCount: -.Inf', 'replicaCount', /-\.inf/],
    ['kminion:\n  config:\n    limits: [1, .nan]', 'kminion.config.limits[1]', /\.nan/],
    ['replicaCount: 1e400', 'replicaCount', /\.inf \(or a number too large\)/],
  ] as const) {
    it(`refuses ${JSON.stringify(text)}, naming ${path}`, async () => {
      minion.override = text;
      const r = await pass('kafkaMinion');
      assert.equal(r.status, 'Failed');
      assert.ok(
        r.message.startsWith(`spec.kafkaMinion.valuesOverride: ${path}: `),
        `message names the path: ${r.message}`,
      );
      assert.match(r.message, why);
      assert.equal((await deployment())?.spec?.replicas, 1, 'the Deployment is left as it was');
    });
  }

  it('takes an exact number again', async () => {
    minion.override = 'replicaCount: 2';
    await until('kafkaMinion', 'Available');
    assert.equal((await deployment())?.spec?.replicas, 2);
  });
  it('keeps a CRD at disable in the inventory as retained, and --purge later deletes it', async () => {
    const crd = { name: 'zookeeperclusters.zookeeper.pravega.io' };
    zk.enabled = true;
    await until('zookeeperOperator', 'Available');
    zk.enabled = false;
    const removed = await until('zookeeperOperator', 'Removed');
    assert.match(removed.message, /kept 1 CRDs\/PVCs \(--purge deletes them\)/);
    assert.ok(await admin.getIfExists(CRDs, crd), 'CRD kept');
    const inv = (await engine.inventories(manifest.metadata as { name: string; namespace: string })).get(
      'zookeeperOperator',
    );
    assert.deepEqual(inv?.objects, []);
    assert.deepEqual(
      inv?.retained?.map((r) => `${r.kind}/${r.name}`),
      [`CustomResourceDefinition/${crd.name}`],
    );
    // Passes without purge write nothing more.
    const quiet = await engine.reconcile(manifest);
    assert.equal(quiet.writes, 0);
    assert.ok(await admin.getIfExists(CRDs, crd));

    await until('zookeeperOperator', 'Removed', { purge: true });
    await eventually(async () => assert.equal(await admin.getIfExists(CRDs, crd), undefined), {
      timeoutMs: 60_000,
    });
    const after = await engine.inventories(manifest.metadata as { name: string; namespace: string });
    assert.equal(after.has('zookeeperOperator'), false, 'inventory gone after purge');
  });

  it('re-enabling takes a retained CRD back into the component', async () => {
    zk.enabled = true;
    await until('zookeeperOperator', 'Available');
    zk.enabled = false;
    await until('zookeeperOperator', 'Removed');
    zk.enabled = true;
    await until('zookeeperOperator', 'Available');
    const inv = (await engine.inventories(manifest.metadata as { name: string; namespace: string })).get(
      'zookeeperOperator',
    );
    assert.equal(inv?.retained, undefined);
    assert.ok(inv?.objects.some((r) => r.kind === 'CustomResourceDefinition'));
  });
  it("acts as the manifest's spec.serviceAccountName: what its RBAC forbids fails, naming it", async () => {
    const SA = { namespace: 'supertubes-control-plane', name: 'installer' };
    await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: SA });
    for (const name of ['team-c', 'team-d'])
      await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const subject = [{ kind: 'ServiceAccount', ...SA }];
    // Namespaces cluster-wide (the pass ensures them), everything only in team-c.
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'installer-namespaces' },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'create', 'patch'] }],
    });
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'installer-namespaces' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'installer-namespaces' },
      subjects: subject,
    });
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'installer-admin', namespace: 'team-c' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: subject,
    });
    const into = (ns: string): ComponentDef => ({
      ...kafkaMinion,
      name: `kminion-${ns}`,
      statusKey: `kminion-${ns}`,
      dependsOn: [],
      block: () => ({ enabled: true, namespace: ns, path: `spec.kminion-${ns}` }),
    });
    const bounded = new Engine({ client: admin, catalog: [into('team-c'), into('team-d')], chartsDir });
    const m = {
      ...manifest,
      metadata: { name: 'bounded', namespace: SA.namespace },
      spec: { ...manifest.spec, serviceAccountName: SA.name },
    } as ApplicationManifest;
    const results = await eventually(
      async () => {
        const r = (await bounded.reconcile(m)).results;
        assert.equal(r.find((x) => x.name === 'kminion-team-c')?.status, 'Available');
        return r;
      },
      { timeoutMs: 90_000, intervalMs: 300 },
    );
    const d = results.find((x) => x.name === 'kminion-team-d');
    assert.equal(d?.status, 'Failed');
    assert.match(d?.message ?? '', /forbidden/);
    assert.match(d?.message ?? '', /system:serviceaccount:supertubes-control-plane:installer/);
    assert.equal(await admin.getIfExists(ConfigMaps, { namespace: 'team-d', name: 'kminion' }), undefined);
    assert.ok(await admin.getIfExists(ConfigMaps, { namespace: 'team-c', name: 'kminion' }));
  });

  it('refuses at admission a valuesOverride over 256 KiB, naming the field', async () => {
    const big = `a: "${'x'.repeat(256 * 1024)}"`;
    await assert.rejects(
      admin.create({
        ...manifest,
        metadata: { name: 'too-big', namespace: 'supertubes-control-plane' },
        spec: { kafkaMinion: { enabled: true, valuesOverride: big } },
      } as KubeObject),
      (err: Error) => {
        assert.match(err.message, /spec\.kafkaMinion\.valuesOverride/);
        assert.match(err.message, /262144/);
        return true;
      },
    );
  });
});
