// charts/sdm-operator: the CRD copy is current, and the values users set land where they should.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderCrdFiles } from '../../../src/apis/index.ts';
import { helmTemplate } from '../../support/helm-template.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const chart = join(root, 'charts', 'sdm-operator');
const crdFile = 'applicationmanifests.supertubes.banzaicloud.io.yaml';

type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: {
    template: { spec: { containers: { args: string[] }[]; imagePullSecrets?: unknown } };
  };
  imagePullSecrets?: unknown;
};

function render(...set: string[]): Obj[] {
  return helmTemplate<Obj>('sdm-operator', 'sdm-operator', 'supertubes-control-plane', set);
}

describe('charts/sdm-operator', () => {
  it('ships the generated ApplicationManifest CRD as it is generated now (run make generate)', () => {
    assert.equal(readFileSync(join(chart, 'crds', crdFile), 'utf8'), renderCrdFiles().get(crdFile));
  });

  it('runs the applicationmanifest controller with the Lease and pull secrets from values', () => {
    const objs = render('operator.leaderElection.namespace=lease-ns', 'imagePullSecrets={registry-creds}');
    const dep = objs.find((o) => o.kind === 'Deployment')!;
    const pod = dep.spec!.template.spec;
    assert.ok(pod.containers[0]!.args.includes('--controllers=applicationmanifest'));
    assert.ok(pod.containers[0]!.args.includes('--leader-election-namespace=lease-ns'));
    assert.deepEqual(pod.imagePullSecrets, [{ name: 'registry-creds' }]);
    const role = objs.find((o) => o.kind === 'Role')!;
    assert.equal(role.metadata.namespace, 'lease-ns');
    assert.ok(objs.some((o) => o.kind === 'CustomResourceDefinition'));
  });

  it('never lets the operator delete CRDs or Namespaces', () => {
    const role = render().find((o) => o.kind === 'ClusterRole') as unknown as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    for (const r of role.rules) {
      if (r.resources.includes('customresourcedefinitions') || r.resources.includes('namespaces')) {
        assert.ok(!r.verbs.includes('delete'), JSON.stringify(r));
      }
      assert.ok(!r.verbs.includes('*'));
    }
  });
});
