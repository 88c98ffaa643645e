// charts/imagepullsecrets-operator and charts/csr-operator rendered by the
// pinned helm (hence an integration test: it needs `make tools`): CRD copies
// are current, and the values users set land where they should.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderCrdFiles } from '../../../src/apis/index.ts';
import { helmTemplate } from '../../support/helm-template.ts';

const root = join(import.meta.dirname, '..', '..', '..');

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
  spec?: { template: { spec: { containers: { args: string[] }[] } } };
}

function render(chart: string, release: string, namespace: string, ...set: string[]): Obj[] {
  return helmTemplate<Obj>(chart, release, namespace, set);
}

const argsOf = (objs: Obj[]) =>
  objs.find((o) => o.kind === 'Deployment')?.spec?.template.spec.containers[0]?.args ?? [];
const rulesOf = (objs: Obj[]) => objs.flatMap((o) => o.rules ?? []);

describe('imagepullsecrets-operator chart', () => {
  it('carries current copies of both ImagePullSecret CRDs', () => {
    const generated = renderCrdFiles();
    for (const file of [
      'imagepullsecrets.images.banzaicloud.io.yaml',
      'imagepullsecrets.images.cisco.com.yaml',
    ]) {
      const copy = readFileSync(join(root, 'charts', 'imagepullsecrets-operator', 'crds', file), 'utf8');
      assert.equal(copy, generated.get(file), `${file} is stale: run make generate`);
    }
  });

  it('runs the imagepullsecrets controller on its own Lease, with the options given', () => {
    const args = argsOf(
      render(
        'imagepullsecrets-operator',
        'imagepullsecrets-operator',
        'supertubes-system',
        'controllerOptions.ciscoGroup=true',
      ),
    );
    assert.deepEqual(args.slice(0, 2), ['operator', '--controllers=imagepullsecrets']);
    assert.ok(args.includes('--leader-election-namespace=supertubes-system'));
    assert.ok(args.includes('--leader-election-id=imagepullsecrets-operator'));
    assert.ok(args.includes('--set=imagepullsecrets.ciscoGroup=true'));
  });

  it('grants no wildcard and nothing on Secrets beyond what the controller does', () => {
    const rules = rulesOf(render('imagepullsecrets-operator', 'imps', 'imps-system'));
    for (const r of rules) {
      assert.ok(!r.verbs.includes('*') && !r.resources.includes('*') && !r.apiGroups.includes('*'));
    }
    const secretVerbs = rules.filter((r) => r.resources.includes('secrets')).flatMap((r) => r.verbs);
    assert.deepEqual(secretVerbs.sort(), ['create', 'delete', 'get', 'list', 'update', 'watch']);
  });
});

describe('csr-operator chart', () => {
  it('may sign only for the configured signer, and never approve', () => {
    const objs = render('csr-operator', 'csr-operator', 'csr-operator-system', 'signerName=example.com/mine');
    const signers = rulesOf(objs).filter((r) => r.resources.includes('signers'));
    assert.deepEqual(signers, [
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['signers'],
        resourceNames: ['example.com/mine'],
        verbs: ['sign'],
      },
    ]);
    assert.ok(argsOf(objs).includes('--set=csrsigner.signerName=example.com/mine'));
    assert.ok(argsOf(objs).includes('--leader-election-id=csr-operator'));
  });

  it('reads the CA Secret by name only, in its own namespace', () => {
    const objs = render('csr-operator', 'csr-operator', 'csr-operator-system', 'caSecretName=my-ca');
    const readers = objs
      .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
      .flatMap((o) =>
        (o.rules ?? [])
          .filter((r) => r.resources.includes('secrets') && r.verbs.includes('get'))
          .map((r) => ({ role: o, r })),
      );
    assert.equal(readers.length, 1);
    assert.equal(readers[0]!.role.kind, 'Role');
    assert.equal(readers[0]!.role.metadata.namespace, 'csr-operator-system');
    assert.deepEqual(readers[0]!.r.resourceNames, ['my-ca']);
  });

  it('publishes the CA for istiod only when asked, with a Role for that Secret alone', () => {
    assert.ok(
      !argsOf(render('csr-operator', 'c', 'ns')).some((a) => a.startsWith('--set=csrsigner.publishCa')),
    );
    const objs = render('csr-operator', 'c', 'ns', 'publishCa.enabled=true');
    assert.ok(argsOf(objs).includes('--set=csrsigner.publishCa=istio-system/external-ca-cert'));
    const role = objs.find((o) => o.kind === 'Role' && o.metadata.namespace === 'istio-system');
    assert.deepEqual(role?.rules?.find((r) => r.verbs.includes('get'))?.resourceNames, ['external-ca-cert']);
  });
});
