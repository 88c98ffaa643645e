import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allKinds, kindFor } from '../../../src/apis/index.ts';
import { ApplicationManifestStatusSchema } from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { formatErrors, validate, validateValue } from '../../../src/apis/validate.ts';
import { seedDocs } from './fixtures.ts';

// Kinds the seeds show that belong to Kubernetes or to other operators.
const NOT_OURS = new Set([
  'v1/Namespace',
  'v1/Secret',
  'v1/ServiceAccount',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'servicemesh.cisco.com/v1alpha1/IstioControlPlane',
  'zookeeper.pravega.io/v1beta1/ZookeeperCluster',
  'install.istio.io/v1alpha1/IstioOperator',
]);

describe('seed manifests', () => {
  const docs = seedDocs();

  it('are all there (seeds 000, 001, 002, 003)', () => {
    const seeds = new Set(docs.map((d) => d.file.slice(0, 3)));
    assert.deepEqual([...seeds].sort(), ['000', '001', '002', '003']);
    assert.ok(docs.length >= 30, `only ${docs.length} documents`);
  });

  for (const { file, doc } of docs) {
    if (doc.apiVersion === undefined && file.includes('applicationmanifest-status')) {
      it(`${file}: the status shown validates as ApplicationManifest status`, () => {
        const errors = validateValue(ApplicationManifestStatusSchema, doc.status, 'status');
        assert.deepEqual(errors, [], formatErrors(errors));
      });
      continue;
    }
    const def = kindFor(doc.apiVersion as string, doc.kind as string);
    if (def === undefined) {
      it(`${file}: ${String(doc.apiVersion)} ${String(doc.kind)} is a kind we do not define`, () => {
        assert.ok(
          NOT_OURS.has(`${doc.apiVersion}/${doc.kind}`),
          'a kind from the seeds is neither ours nor known',
        );
        assert.ok(!allKinds.some((k) => k.group !== '' && String(doc.apiVersion).startsWith(`${k.group}/`)));
      });
      continue;
    }
    it(`${file}: validates as ${def.kind}`, () => {
      const result = validate(def, doc);
      assert.ok(result.ok, result.ok ? '' : formatErrors(result.errors));
    });
  }

  it('cover each of our kinds the seeds show', () => {
    const shown = new Set(docs.map((d) => kindFor(d.doc.apiVersion as string, d.doc.kind as string)?.kind));
    for (const k of [
      'ApplicationManifest',
      'ImagePullSecret',
      'Cluster',
      'ClusterFeature',
      'ResourceSyncRule',
      'KafkaTopic',
    ]) {
      assert.ok(shown.has(k), k);
    }
  });
});
