// `sdm istio crd-ownership` against a real API server: stand-in Istio CRDs
// labelled as upstream's istio-operator, istioctl and Cisco's istio-operator
// would label them; the report, the dry run that changes nothing, and the
// hand-over that leaves the labels seed 003 asks for and deletes nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, type KubeObject } from '../../../src/kube/index.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CRDS = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

const upstreamOperatorLabels = {
  app: 'istio-pilot',
  'install.operator.istio.io/owning-resource': 'example-istiocontrolplane',
  'install.operator.istio.io/owning-resource-namespace': 'istio-system',
  'operator.istio.io/managed': 'Reconcile',
  'operator.istio.io/component': 'Base',
  'operator.istio.io/version': '1.13.4',
};
const { 'install.operator.istio.io/owning-resource': _, ...istioctlLabels } = upstreamOperatorLabels;
const ciscoLabels = {
  'app.kubernetes.io/managed-by': 'istio-operator',
  'resource.alpha.banzaicloud.io/revision': '1.15.3',
};

function crd(plural: string, group: string, kind: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: CRDS.apiVersion,
    kind: CRDS.kind,
    metadata: { name: `${plural}.${group}`, labels },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  } as KubeObject;
}

const standIns = [
  crd('virtualservices', 'networking.istio.io', 'VirtualService', upstreamOperatorLabels),
  crd('authorizationpolicies', 'security.istio.io', 'AuthorizationPolicy', istioctlLabels),
  crd('istiocontrolplanes', 'servicemesh.cisco.com', 'IstioControlPlane', ciscoLabels),
  // Not Istio, even with upstream's labels: never reported, never touched.
  crd('widgets', 'example.com', 'Widget', upstreamOperatorLabels),
];

function sdm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(repoRoot, 'bin', 'sdm'), args, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('sdm istio crd-ownership', () => {
  let cp: ControlPlane;
  let client: Client;
  const snapshot = async () => {
    const { items } = await client.listAll<KubeObject>(CRDS);
    return new Map(
      items.map((c) => [
        c.metadata?.name ?? '',
        { uid: c.metadata?.uid, rv: c.metadata?.resourceVersion, labels: c.metadata?.labels ?? {} },
      ]),
    );
  };

  before(async () => {
    cp = await startControlPlane();
    client = Client.fromKubeConfig(cp.kubeConfig());
    for (const c of standIns) await client.create(c);
  });
  after(async () => {
    await client?.transport.close();
    await cp?.stop();
  });

  it('reports the owner of every Istio CRD, and only those', async () => {
    const { code, stdout, stderr } = await sdm(['istio', 'crd-ownership', '--kubeconfig', cp.kubeconfigPath]);
    assert.equal(code, 0, stderr);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows, [
      ['CRD', 'OWNER', 'DETAILS'],
      [
        'authorizationpolicies.security.istio.io',
        'upstream-istio-operator',
        'istioctl install (namespace istio-system); component Base',
      ],
      ['istiocontrolplanes.servicemesh.cisco.com', 'cisco-istio-operator', 'revision 1.15.3'],
      [
        'virtualservices.networking.istio.io',
        'upstream-istio-operator',
        'IstioOperator istio-system/example-istiocontrolplane; component Base',
      ],
    ]);

    const json = await sdm(['istio', 'crd-ownership', '--kubeconfig', cp.kubeconfigPath, '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      (JSON.parse(json.stdout) as { crd: string; owner: string }[]).map((r) => [r.crd, r.owner]),
      [
        ['authorizationpolicies.security.istio.io', 'upstream-istio-operator'],
        ['istiocontrolplanes.servicemesh.cisco.com', 'cisco-istio-operator'],
        ['virtualservices.networking.istio.io', 'upstream-istio-operator'],
      ],
    );
  });

  it('--transfer is a server-side dry run that changes nothing', async () => {
    const before = await snapshot();
    const { code, stdout, stderr } = await sdm([
      'istio',
      'crd-ownership',
      '--transfer',
      '--kubeconfig',
      cp.kubeconfigPath,
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^authorizationpolicies\.security\.istio\.io: would patch/m);
    assert.match(stdout, /^virtualservices\.networking\.istio\.io: would patch/m);
    assert.match(stdout, /^ {2}remove install\.operator\.istio\.io\/owning-resource$/m);
    assert.match(stdout, /^ {2}set app\.kubernetes\.io\/managed-by=istio-operator$/m);
    assert.doesNotMatch(stdout, /istiocontrolplanes|widgets/);
    assert.match(stdout, /run again with --yes/);
    assert.deepEqual(await snapshot(), before);
  });

  it('--transfer --yes hands the upstream CRDs over as seed 003 says and deletes nothing', async () => {
    const before = await snapshot();
    const { code, stdout, stderr } = await sdm([
      'istio',
      'crd-ownership',
      '--transfer',
      '--yes',
      '--kubeconfig',
      cp.kubeconfigPath,
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^virtualservices\.networking\.istio\.io: patched$/m);

    const now = await snapshot();
    assert.deepEqual([...now.keys()].sort(), [...before.keys()].sort());
    for (const [name, c] of now) assert.equal(c.uid, before.get(name)?.uid, `${name} was recreated`);

    // Seed 003: the four upstream labels gone, managed-by istio-operator set, the rest kept.
    const handedOver = {
      app: 'istio-pilot',
      'operator.istio.io/version': '1.13.4',
      'app.kubernetes.io/managed-by': 'istio-operator',
    };
    assert.deepEqual(now.get('virtualservices.networking.istio.io')?.labels, handedOver);
    assert.deepEqual(now.get('authorizationpolicies.security.istio.io')?.labels, handedOver);
    // Cisco's and the non-Istio CRD: not written at all.
    for (const name of ['istiocontrolplanes.servicemesh.cisco.com', 'widgets.example.com']) {
      assert.deepEqual(now.get(name), before.get(name), name);
    }

    const report = await sdm(['istio', 'crd-ownership', '--kubeconfig', cp.kubeconfigPath, '-o', 'json']);
    assert.deepEqual(
      (JSON.parse(report.stdout) as { owner: string }[]).map((r) => r.owner),
      ['cisco-istio-operator', 'cisco-istio-operator', 'cisco-istio-operator'],
    );
    const again = await sdm([
      'istio',
      'crd-ownership',
      '--transfer',
      '--yes',
      '--kubeconfig',
      cp.kubeconfigPath,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to transfer/);
  });
});
