// charts/supertubes: current CRD copies, the controller it runs, and RBAC
// that reads what it must and deletes nothing in Kubernetes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderCrdFiles } from '../../../src/apis/index.ts';
import { helmTemplate } from '../../support/helm-template.ts';

const root = join(import.meta.dirname, '..', '..', '..');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  spec?: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } };
}

function render(...set: string[]): Obj[] {
  return helmTemplate<Obj>('supertubes', 'supertubes', 'supertubes-system', set);
}

describe('charts/supertubes', () => {
  it('carries current copies of the KafkaTopic and KafkaConnection CRDs', () => {
    const generated = renderCrdFiles();
    for (const file of ['kafkatopics.kafka.strimzi.io.yaml', 'kafkaconnections.kafka.sdm.dev.yaml']) {
      const copy = readFileSync(join(root, 'charts', 'supertubes', 'crds', file), 'utf8');
      assert.equal(copy, generated.get(file), `${file} is stale: run make generate`);
    }
  });

  it('runs the kafkatopic controller on its own Lease, with the options given', () => {
    const objs = render('kafkaTopic.resyncSeconds=60');
    const dep = objs.find((o) => o.kind === 'Deployment')!;
    const args = dep.spec!.template.spec.containers[0]!.args;
    assert.ok(args.includes('--controllers=kafkatopic'));
    assert.ok(args.includes('--leader-election-namespace=supertubes-system'));
    assert.ok(args.includes('--set=kafkatopic.resyncSeconds=60'));
    assert.equal(dep.spec!.template.spec.serviceAccountName, 'supertubes');
    assert.equal(objs.filter((o) => o.kind === 'CustomResourceDefinition').length, 2);
  });

  it('grants least privilege: no wildcards, no delete, Secrets only by get, the CRD only by name', () => {
    const rules = render().flatMap((o) => o.rules ?? []);
    for (const r of rules) {
      assert.ok(![...r.apiGroups, ...r.resources, ...r.verbs].includes('*'), JSON.stringify(r));
      assert.ok(!r.verbs.some((v) => v === 'delete' || v === 'deletecollection'), JSON.stringify(r));
    }
    const secrets = rules.filter((r) => r.resources.includes('secrets'));
    assert.deepEqual(
      secrets.map((r) => r.verbs),
      [['get']],
    );
    const crds = rules.find((r) => r.resources.includes('customresourcedefinitions'))!;
    assert.deepEqual(crds.resourceNames, ['kafkatopics.kafka.strimzi.io']);
    assert.ok(!crds.verbs.some((v) => ['create', 'update', 'patch'].includes(v)));
  });
});
