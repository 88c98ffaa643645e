// Seed 001: the KafkaCluster sink rule from the SDM operator-mode docs, applied to a KafkaCluster that
// cluster1 reads from its peer cluster2.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  ORIGINAL_NAME_KEY,
  OWNER_KEY,
  RESOURCE_SYNC_DISABLED_ANNOTATION,
} from '../../../src/apis/clusterregistry.k8s.cisco.com/keys.ts';
import type { ClusterFeature } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/clusterfeature.ts';
import type { ResourceSyncRule } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { copyIndexKey, sourceIndexKey } from '../../../src/controllers/clusterregistry/markers.ts';
import { clusterFeaturesMatch, matchingRules } from '../../../src/controllers/clusterregistry/match.ts';
import { mutate } from '../../../src/controllers/clusterregistry/mutate.ts';
import { canWriteLocal, shouldSyncFrom } from '../../../src/controllers/clusterregistry/ownership.ts';
import { templateRenderer } from '../../../src/controllers/clusterregistry/render.ts';
import type { RenderFn } from '../../../src/controllers/clusterregistry/template-data.ts';
import { fakeRender } from './fake-render.ts';
import { cluster1, cluster2, kafkaCluster } from './fixtures.ts';

// The seed's own YAML, as test/fixtures/seeds/ keeps it.
const seeds = join(import.meta.dirname, '..', '..', 'fixtures', 'seeds');
const rule = parse(
  readFileSync(join(seeds, '001-12-resourcesyncrule-sdm-core-resources-kafka-clusters-sink.yaml'), 'utf8'),
) as ResourceSyncRule;
const feature = parse(
  readFileSync(join(seeds, '001-11-clusterfeature-sdm-core-resources.yaml'), 'utf8'),
) as ClusterFeature;
const suffix = createHash('sha256').update('cluster2').digest('hex').slice(0, 4);

function syncOnCluster1(render: RenderFn) {
  const source = kafkaCluster('kafka', 'kafka');
  assert.equal(rule.metadata!.annotations?.[RESOURCE_SYNC_DISABLED_ANNOTATION], 'true');
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
    ruleName: rule.metadata!.name!,
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
    assert.equal(copy.metadata!.name, `kafka-cluster2-${suffix}`);
    assert.equal(copy.metadata!.namespace, 'kafka');
    assert.equal(copy.metadata!.annotations?.[OWNER_KEY], cluster2.spec.clusterID);
    assert.equal(copy.metadata!.labels?.[OWNER_KEY], cluster2.spec.clusterID);
    assert.equal(copy.metadata!.labels?.[ORIGINAL_NAME_KEY], 'kafka');
    assert.deepEqual(copy.status, { state: 'ClusterRunning' }, 'syncStatus: true keeps status');
    assert.equal(copy.metadata!.uid, undefined);

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
    // The renamed copy is filed under its source's key, so it is deleted when that source goes.
    assert.equal(
      copyIndexKey(copy),
      sourceIndexKey(cluster2.spec.clusterID, { name: 'kafka', namespace: 'kafka' }),
    );
  });

  it('gives the same name with the real template engine', () => {
    const copy = syncOnCluster1(templateRenderer());
    assert.equal(copy.metadata!.name, `kafka-cluster2-${suffix}`);
  });
});
