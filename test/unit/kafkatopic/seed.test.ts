import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { crdFor, formatErrors, KafkaTopicV1beta2Kind, kindFor, validate } from '../../../src/apis/index.ts';

const seed = parse(
  readFileSync(new URL('../../fixtures/seeds/002-01-kafkatopic-spark-users.yaml', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe("seed 002's users-topic.yaml", () => {
  it('is a KafkaTopic of ours in kafka.strimzi.io/v1alpha1 and validates', () => {
    const def = kindFor('kafka.strimzi.io/v1alpha1', 'KafkaTopic');
    assert.ok(def, 'v1alpha1 KafkaTopic is served');
    const result = validate(def, seed);
    assert.ok(result.ok, result.ok ? '' : formatErrors(result.errors));
  });

  it('is served by one CRD in v1beta2 (stored), v1beta1 and v1alpha1, with the columns of the seed and more', () => {
    const crd = crdFor(KafkaTopicV1beta2Kind);
    assert.deepEqual(
      crd.spec.versions.map((v) => [v.name, v.served, v.storage]),
      [
        ['v1beta2', true, true],
        ['v1beta1', true, false],
        ['v1alpha1', true, false],
      ],
    );
    assert.deepEqual(
      crd.spec.versions[0]!.additionalPrinterColumns?.map((c) => c.name),
      ['Cluster', 'Partitions', 'Replication factor', 'Ready'],
    );
    assert.deepEqual(crd.spec.names.shortNames, ['kt']);
  });
});
