import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ORIGINAL_GVK_ANNOTATION,
  ORIGINAL_NAME_KEY,
  ORIGINAL_NAMESPACE_KEY,
  OWNER_KEY,
} from '../../../src/apis/clusterregistry.k8s.cisco.com/keys.ts';

const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

import type { OverridePatch as Override } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { PatchError } from '../../../src/controllers/clusterregistry/gopatch.ts';
import { deepFreeze } from '../../../src/controllers/clusterregistry/json.ts';
import { emptyMutations, type MergedMutations } from '../../../src/controllers/clusterregistry/match.ts';
import { type MutateInput, MutationError, mutate } from '../../../src/controllers/clusterregistry/mutate.ts';
import { TemplateCluster, TemplateObject } from '../../../src/controllers/clusterregistry/template-data.ts';
import type { Unstructured } from '../../../src/controllers/clusterregistry/types.ts';
import { fakeRender } from './fake-render.ts';
import { cluster1, cluster2, cluster3, kafkaCluster } from './fixtures.ts';

/** A copy whose spec the assertions can read. */
type Copy = Unstructured & { spec: Record<string, unknown> };

function mutations(
  m: Partial<Omit<MergedMutations, 'overrides'>> & { overrides?: Override[] } = {},
): MergedMutations {
  const base = emptyMutations();
  return {
    ...base,
    ...m,
    ruleIndexes: [0],
    overrides: (m.overrides ?? []).map((o, i) => ({ ...o, ruleIndex: 0, overrideIndex: i })),
  };
}

function run(
  m: MergedMutations,
  object: Unstructured = kafkaCluster(),
  extra: Partial<MutateInput> = {},
): Copy {
  const res = mutate({
    ruleName: 'r',
    object,
    mutations: m,
    peer: cluster2,
    local: cluster1,
    render: fakeRender,
    ...extra,
  });
  if (!res.ok) throw res.error;
  return res.object as Copy;
}

function fail(m: MergedMutations, object: Unstructured = kafkaCluster()): MutationError {
  const res = mutate({
    ruleName: 'my-rule',
    object,
    mutations: m,
    peer: cluster2,
    local: cluster1,
    render: fakeRender,
  });
  assert.equal(res.ok, false, 'expected the mutation to fail');
  return (res as { error: MutationError }).error;
}

describe('mutate: metadata', () => {
  it('strips server-set fields and the last-applied annotation, drops status without syncStatus', () => {
    const out = run(mutations());
    assert.deepEqual(Object.keys(out.metadata ?? {}).sort(), ['annotations', 'labels', 'name', 'namespace']);
    assert.equal(out.metadata!.annotations?.[LAST_APPLIED_ANNOTATION], undefined);
    assert.equal(out.metadata!.annotations?.note, 'kept');
    assert.equal(out.status, undefined);
    assert.deepEqual(out.spec, kafkaCluster().spec);
  });

  it('keeps status with syncStatus', () => {
    assert.deepEqual(run(mutations({ syncStatus: true })).status, { state: 'ClusterRunning' });
  });

  it('marks the copy with the origin cluster ID, as annotation and label', () => {
    const out = run(mutations());
    assert.equal(out.metadata!.annotations?.[OWNER_KEY], cluster2.spec.clusterID);
    assert.equal(out.metadata!.labels?.[OWNER_KEY], cluster2.spec.clusterID);
  });

  it('keeps the owner marker of a relayed copy', () => {
    const relayed = kafkaCluster();
    relayed.metadata!.annotations = { [OWNER_KEY]: cluster3.spec.clusterID };
    relayed.metadata!.labels = { [OWNER_KEY]: cluster3.spec.clusterID };
    const out = run(mutations(), relayed);
    assert.equal(out.metadata!.annotations?.[OWNER_KEY], cluster3.spec.clusterID);
    assert.equal(out.metadata!.labels?.[OWNER_KEY], cluster3.spec.clusterID);
  });

  it('removes, then adds annotations and labels', () => {
    const out = run(
      mutations({
        annotations: { add: { a: '1', note: 'readded' }, remove: ['note'] },
        labels: { add: { team: 'x' }, remove: ['app'] },
      }),
    );
    assert.equal(out.metadata!.annotations?.a, '1');
    assert.equal(out.metadata!.annotations?.note, 'readded');
    assert.equal(out.metadata!.labels?.app, undefined);
    assert.equal(out.metadata!.labels?.team, 'x');
  });

  it('a label mutation cannot remove the owner marker', () => {
    const out = run(mutations({ labels: { add: {}, remove: [OWNER_KEY] } }));
    assert.equal(out.metadata!.labels?.[OWNER_KEY], cluster2.spec.clusterID);
  });

  it('rewrites the GVK and keeps the original in an annotation', () => {
    const out = run(mutations({ groupVersionKind: { group: 'example.com', version: 'v1', kind: 'Kafka' } }));
    assert.equal(out.apiVersion, 'example.com/v1');
    assert.equal(out.kind, 'Kafka');
    assert.equal(
      out.metadata!.annotations?.[ORIGINAL_GVK_ANNOTATION],
      'kafka.banzaicloud.io/v1beta1, Kind=KafkaCluster',
    );
  });

  it('rewrites to the core group', () => {
    const out = run(mutations({ groupVersionKind: { group: '', version: 'v1', kind: 'ConfigMap' } }));
    assert.equal(out.apiVersion, 'v1');
  });

  it('does not modify its input', () => {
    const input = deepFreeze(kafkaCluster());
    run(
      mutations({
        labels: { add: { x: 'y' }, remove: ['app'] },
        overrides: [{ type: 'remove', path: '/spec' }],
      }),
      input,
    );
    assert.deepEqual(input, kafkaCluster());
  });
});

describe('mutate: overrides', () => {
  it('see labels added by the label mutation (order: labels before overrides)', () => {
    const out = run(
      mutations({
        labels: { add: { team: 'blue' }, remove: [] },
        overrides: [{ type: 'replace', path: '/spec/team?', value: '{{ .Object.metadata.labels.team }}' }],
      }),
    );
    assert.equal(out.spec.team, 'blue');
  });

  it('see the owner marker and the stripped object', () => {
    const out = run(
      mutations({
        overrides: [
          { type: 'replace', path: '/spec/owner?', value: '{{ .Object.GetLabels }}' },
          { type: 'replace', path: '/spec/uid?', value: '{{ .Object.GetUID }}' },
        ],
      }),
    );
    assert.match(String(out.spec.owner), new RegExp(cluster2.spec.clusterID));
    assert.equal(out.spec.uid, '');
  });

  it('all see the object as it was before any override', () => {
    const out = run(
      mutations({
        overrides: [
          { type: 'replace', path: '/metadata/name', value: 'renamed' },
          { type: 'replace', path: '/spec/from?', value: '{{ .Object.GetName }}' },
        ],
      }),
    );
    assert.equal(out.metadata!.name, 'renamed');
    assert.equal(out.spec.from, 'kafka');
  });

  it('template data: Cluster is the peer, LocalCluster the local cluster, Go field names work', () => {
    const out = run(
      mutations({
        overrides: [
          {
            type: 'replace',
            path: '/spec/where?',
            value:
              '{{ .Cluster.GetName }}/{{ .Cluster.Spec.ClusterID }}/{{ .LocalCluster.Name }}/{{ .Object.GetKind }}',
          },
        ],
      }),
    );
    assert.equal(out.spec.where, `cluster2/${cluster2.spec.clusterID}/cluster1/KafkaCluster`);
  });

  it('template data: Cluster is the origin when given', () => {
    const out = run(
      mutations({ overrides: [{ type: 'replace', path: '/spec/where?', value: '{{ .Cluster.GetName }}' }] }),
      kafkaCluster(),
      { origin: cluster3 },
    );
    assert.equal(out.spec.where, 'cluster3');
  });

  it('parseValue parses the rendered text as YAML', () => {
    const out = run(
      mutations({
        overrides: [
          { type: 'replace', path: '/spec/n?', value: '3', parseValue: true },
          { type: 'replace', path: '/spec/s?', value: '3' },
          { type: 'replace', path: '/spec/m?', value: '{a: [1, "{{ .Object.GetName }}"]}', parseValue: true },
        ],
      }),
    );
    assert.equal(out.spec.n, 3);
    assert.equal(out.spec.s, '3');
    assert.deepEqual(out.spec.m, { a: [1, 'kafka'] });
  });

  it('remove overrides', () => {
    const out = run(mutations({ overrides: [{ type: 'remove', path: '/spec/zkAddresses' }] }));
    assert.deepEqual(out.spec, { brokers: [{ id: 0 }, { id: 1 }] });
  });

  it('an override cannot take the owner marker away', () => {
    const out = run(
      mutations({
        overrides: [{ type: 'remove', path: `/metadata/labels/${OWNER_KEY.replace('/', '~1')}` }],
      }),
    );
    assert.equal(out.metadata!.labels?.[OWNER_KEY], cluster2.spec.clusterID);
  });
});

describe('mutate: original name and namespace', () => {
  it('records the original name of a renamed copy', () => {
    const out = run(mutations({ overrides: [{ type: 'replace', path: '/metadata/name', value: 'new' }] }));
    assert.equal(out.metadata!.labels?.[ORIGINAL_NAME_KEY], 'kafka');
    assert.equal(out.metadata!.labels?.[ORIGINAL_NAMESPACE_KEY], undefined);
    assert.equal(out.metadata!.annotations?.[ORIGINAL_NAME_KEY], undefined);
  });

  it('records the original namespace of a moved copy', () => {
    const out = run(
      mutations({ overrides: [{ type: 'replace', path: '/metadata/namespace', value: 'other' }] }),
    );
    assert.equal(out.metadata!.labels?.[ORIGINAL_NAMESPACE_KEY], 'kafka');
    assert.equal(out.metadata!.labels?.[ORIGINAL_NAME_KEY], undefined);
  });

  it('stores a hash in the label and the full value in an annotation for names a label cannot hold', () => {
    const long = `kafka-${'x'.repeat(70)}.example.com`;
    const out = run(
      mutations({ overrides: [{ type: 'replace', path: '/metadata/name', value: 'short' }] }),
      kafkaCluster(long),
    );
    const label = out.metadata!.labels?.[ORIGINAL_NAME_KEY];
    assert.equal(label, createHash('sha256').update(long).digest('hex').slice(0, 40));
    assert.equal(out.metadata!.annotations?.[ORIGINAL_NAME_KEY], long);
  });

  it('an unrenamed copy of a renamed relay carries no stale record', () => {
    const relayed = kafkaCluster('kafka-cluster2-abcd');
    relayed.metadata!.labels = { [ORIGINAL_NAME_KEY]: 'kafka', [OWNER_KEY]: 'x' };
    relayed.metadata!.annotations = { [OWNER_KEY]: 'x' };
    const out = run(mutations(), relayed);
    assert.equal(out.metadata!.labels?.[ORIGINAL_NAME_KEY], undefined);
  });
});

describe('mutate: errors', () => {
  it('a missing key without ? names the rule and the override', () => {
    const err = fail(
      mutations({
        overrides: [
          { type: 'replace', path: '/spec/ok?', value: 'x' },
          { type: 'replace', path: '/spec/missing/deep', value: 'x' },
        ],
      }),
    );
    assert.ok(err instanceof MutationError);
    assert.equal(err.ruleName, 'my-rule');
    assert.equal(err.ruleIndex, 0);
    assert.equal(err.overrideIndex, 1);
    assert.ok(err.cause instanceof PatchError);
    assert.match(
      err.message,
      /^ResourceSyncRule "my-rule": rules\[0\]\.mutations\.overrides\[1\] \(replace \/spec\/missing\/deep\): /,
    );
    assert.match(err.message, /Expected to find a map key 'missing'/);
  });

  it('a template error is reported on the override', () => {
    const err = fail(
      mutations({ overrides: [{ type: 'replace', path: '/spec/x?', value: '{{ fail "boom" }}' }] }),
    );
    assert.match(err.message, /overrides\[0\].*template: fail: boom/);
  });

  it('invalid YAML with parseValue is reported', () => {
    const err = fail(
      mutations({ overrides: [{ type: 'replace', path: '/spec/x?', value: '{a: [', parseValue: true }] }),
    );
    assert.match(err.message, /overrides\[0\] \(replace \/spec\/x\?\)/);
  });

  it('a go-patch path thousands of segments deep is an error naming the override, not a stack overflow', () => {
    const path = `/spec${'/a?'.repeat(5000)}`;
    const err = fail(mutations({ overrides: [{ type: 'replace', path, value: 'x' }] }));
    assert.match(err.message, /overrides\[0\].*nest deeper than 100 levels/);
    const shallow = run(
      mutations({ overrides: [{ type: 'replace', path: `/spec${'/a?'.repeat(50)}`, value: 'x' }] }),
    );
    assert.ok(shallow.spec);
  });

  it('an unknown override type is reported', () => {
    const err = fail(mutations({ overrides: [{ type: JSON.parse('"move"'), path: '/spec' }] }));
    assert.match(err.message, /unknown override type 'move'/);
  });

  it('overrides that break the object are reported', () => {
    assert.match(
      fail(mutations({ overrides: [{ type: 'remove', path: '/metadata/name' }] })).message,
      /metadata\.name/,
    );
    assert.match(
      fail(mutations({ overrides: [{ type: 'replace', path: '/metadata', value: 'x' }] })).message,
      /metadata/,
    );
    assert.match(
      fail(mutations({ overrides: [{ type: 'replace', path: '', value: 'x' }] })).message,
      /not a map/,
    );
  });
});

describe('template data wrappers', () => {
  it('TemplateObject exposes fields, Go getters and the Unstructured map, frozen', () => {
    const o = new TemplateObject(kafkaCluster());
    const fields = o as unknown as Record<string, unknown>;
    assert.equal(o.GetName(), 'kafka');
    assert.equal(o.GetNamespace(), 'kafka');
    assert.equal(o.GetAPIVersion(), 'kafka.banzaicloud.io/v1beta1');
    assert.deepEqual(o.GetLabels(), { app: 'kafka' });
    assert.equal((fields.metadata as { name: string }).name, 'kafka');
    assert.equal((fields.Object as { kind: string }).kind, 'KafkaCluster');
    assert.ok(Object.isFrozen(fields.spec));
  });

  it('TemplateCluster has the Go field names of the Cluster type', () => {
    const c = new TemplateCluster(cluster2);
    assert.equal(c.GetName(), 'cluster2');
    assert.equal(String(c.Spec.ClusterID), cluster2.spec.clusterID);
    assert.equal(c.Spec.AuthInfo.SecretRef.Name, 'cluster2');
    assert.equal(c.Spec.KubernetesAPIEndpoints[0]?.ServerAddress, 'https://cluster2.example:6443');
    assert.deepEqual(c.GetLabels(), { region: 'cluster2-region' });
  });
});
