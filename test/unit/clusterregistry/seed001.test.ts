// Seed 001: the KafkaCluster sink rule from the SDM operator-mode docs, applied to a KafkaCluster that
// cluster1 reads from its peer cluster2.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  ORIGINAL_NAME_KEY,
  OWNER_KEY,
  RESOURCE_SYNC_DISABLED_ANNOTATION,
} from '../../../src/controllers/clusterregistry/constants.ts';
import { clusterFeaturesMatch, matchingRules } from '../../../src/controllers/clusterregistry/match.ts';
import { mutate } from '../../../src/controllers/clusterregistry/mutate.ts';
import {
  canWriteLocal,
  desiredDeletes,
  shouldSyncFrom,
} from '../../../src/controllers/clusterregistry/ownership.ts';
import type { RenderFn } from '../../../src/controllers/clusterregistry/template-data.ts';
import type { ClusterFeature, ResourceSyncRule } from '../../../src/controllers/clusterregistry/types.ts';
import { fakeRender } from './fake-render.ts';
import { cluster1, cluster2, kafkaCluster } from './fixtures.ts';

const RULE_YAML = `
apiVersion: clusterregistry.k8s.cisco.com/v1alpha1
kind: ResourceSyncRule
metadata:
  annotations:
    cluster-registry.k8s.cisco.com/resource-sync-disabled: "true"
  labels:
    cluster-registry-controller.k8s.cisco.com/core-sync-resource: "true"
  name: sdm-core-resources-kafka-clusters-sink
spec:
  clusterFeatureMatch:
  - featureName: sdm-core-resources-source
  groupVersionKind:
    group: kafka.banzaicloud.io
    kind: KafkaCluster
    version: v1beta1
  rules:
  - mutations:
      overrides:
      - path: /metadata/name
        type: replace
        value: '{{ printf "%s-%s-%s" .Object.GetName .Cluster.GetName (trunc 4 (sha256sum .Cluster.GetName))}}'
      syncStatus: true
`;

const FEATURE_YAML = `
apiVersion: clusterregistry.k8s.cisco.com/v1alpha1
kind: ClusterFeature
metadata:
  labels:
    cluster-registry-controller.k8s.cisco.com/core-sync-resource: "true"
  name: sdm-core-resources
spec:
  featureName: sdm-core-resources-source
`;

const rule = parse(RULE_YAML) as ResourceSyncRule;
const feature = parse(FEATURE_YAML) as ClusterFeature;
const suffix = createHash('sha256').update('cluster2').digest('hex').slice(0, 4);

function syncOnCluster1(render: RenderFn) {
  const source = kafkaCluster('kafka', 'kafka');
  assert.equal(rule.metadata.annotations?.[RESOURCE_SYNC_DISABLED_ANNOTATION], 'true');
  assert.equal(clusterFeaturesMatch(rule.spec.clusterFeatureMatch, [feature]), true);
  assert.equal(clusterFeaturesMatch(rule.spec.clusterFeatureMatch, []), false);
  assert.deepEqual(
    shouldSyncFrom(
      source,
      cluster2.spec.clusterID,
      cluster1.spec.clusterID,
      new Set([cluster2.spec.clusterID]),
    ),
    { sync: true },
  );
  const mutations = matchingRules(rule, source);
  assert.ok(mutations, 'the rule has an empty match[]: it selects every KafkaCluster');
  const res = mutate({
    ruleName: rule.metadata.name!,
    object: source,
    mutations,
    peer: cluster2,
    local: cluster1,
    render,
  });
  if (!res.ok) throw res.error;
  return res.object;
}

describe('seed 001: KafkaCluster sink rule', () => {
  it('names the local copy <name>-cluster2-<sha256("cluster2")[:4]> and marks it', () => {
    const copy = syncOnCluster1(fakeRender);
    assert.equal(copy.metadata.name, `kafka-cluster2-${suffix}`);
    assert.equal(copy.metadata.namespace, 'kafka');
    assert.equal(copy.metadata.annotations?.[OWNER_KEY], cluster2.spec.clusterID);
    assert.equal(copy.metadata.labels?.[OWNER_KEY], cluster2.spec.clusterID);
    assert.equal(copy.metadata.labels?.[ORIGINAL_NAME_KEY], 'kafka');
    assert.deepEqual(copy.status, { state: 'ClusterRunning' }, 'syncStatus: true keeps status');
    assert.equal(copy.metadata.uid, undefined);

    // The copy is written, never synced back to cluster2, and is deleted when its source goes.
    assert.deepEqual(canWriteLocal(undefined, copy), { write: true, action: 'create' });
    assert.equal(
      shouldSyncFrom(
        copy,
        cluster1.spec.clusterID,
        cluster2.spec.clusterID,
        new Set([cluster1.spec.clusterID]),
      ).sync,
      false,
    );
    assert.deepEqual(
      desiredDeletes([copy], [{ name: 'kafka', namespace: 'kafka' }], cluster2.spec.clusterID),
      [],
    );
    assert.deepEqual(desiredDeletes([copy], [], cluster2.spec.clusterID), [copy]);
  });

  // Runs against the real Go template engine once src/template provides it.
  const engine = new URL('../../../src/template/index.ts', import.meta.url);
  it('gives the same name with the real template engine', {
    skip: !existsSync(engine) && 'src/template not there yet',
  }, async () => {
    const mod = (await import(engine.href)) as { renderTemplate: (text: string, data: unknown) => string };
    const copy = syncOnCluster1((text, data) => mod.renderTemplate(text, data));
    assert.equal(copy.metadata.name, `kafka-cluster2-${suffix}`);
  });
});
