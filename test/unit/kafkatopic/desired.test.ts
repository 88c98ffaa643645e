import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KafkaTopic } from '../../../src/apis/kafka.strimzi.io/schema.ts';
import {
  configStrings,
  isInternalTopic,
  isManaged,
  ownerOf,
  planTopic,
  planWrites,
  retainOnDelete,
  strimziOwnership,
  topicNameOf,
} from '../../../src/controllers/kafkatopic/index.ts';
import type { ObservedTopic } from '../../../src/kafka/index.ts';

const topic = (
  spec: KafkaTopic['spec'],
  meta: Partial<NonNullable<KafkaTopic['metadata']>> = {},
  status?: KafkaTopic['status'],
): KafkaTopic => ({
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaTopic',
  metadata: {
    name: 'spark.users',
    namespace: 'lightbend',
    uid: 'u1',
    creationTimestamp: '2026-01-01T00:00:00Z',
    ...meta,
  },
  spec,
  ...(status ? { status } : {}),
});

const observed = (o: Partial<ObservedTopic> = {}): ObservedTopic => ({
  name: 'spark.users',
  id: 'id-1',
  partitions: 3,
  replicas: 2,
  config: { 'retention.ms': '7200000', 'segment.bytes': '1073741824' },
  ...o,
});

describe('KafkaTopic desired state', () => {
  it('names the topic by spec.topicName, else metadata.name', () => {
    assert.equal(topicNameOf(topic({ topicName: 'other' })), 'other');
    assert.equal(topicNameOf(topic({ partitions: 1 })), 'spark.users');
  });

  it('reads the managed annotation and the deletion policy', () => {
    assert.equal(isManaged(topic({})), true);
    assert.equal(isManaged(topic({}, { annotations: { 'strimzi.io/managed': 'false' } })), false);
    assert.equal(retainOnDelete(topic({})), false);
    assert.equal(
      retainOnDelete(topic({}, { annotations: { 'kafka.sdm.dev/deletion-policy': 'retain' } })),
      true,
    );
  });

  it('knows Kafka internal topics', () => {
    assert.ok(isInternalTopic('__consumer_offsets'));
    assert.ok(isInternalTopic('__transaction_state'));
    assert.ok(!isInternalTopic('spark.users'));
  });

  it('turns config values into Kafka strings (numbers from the seed, booleans, lists)', () => {
    assert.deepEqual(configStrings({ 'retention.ms': 7200000, 'segment.bytes': 1073741824 }), {
      ok: true,
      config: { 'retention.ms': '7200000', 'segment.bytes': '1073741824' },
    });
    assert.deepEqual(
      configStrings({ 'unclean.leader.election.enable': false, 'cleanup.policy': ['delete', 'compact'] }),
      {
        ok: true,
        config: { 'unclean.leader.election.enable': 'false', 'cleanup.policy': 'delete,compact' },
      },
    );
    const bad = configStrings({ a: { nested: 1 }, b: null });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /spec\.config a, b/);
  });

  it('gives a contested topic to the oldest resource, then the lowest uid', () => {
    const a = topic({}, { name: 'a', uid: 'b-uid', creationTimestamp: '2026-01-02T00:00:00Z' });
    const b = topic({}, { name: 'b', uid: 'z-uid', creationTimestamp: '2026-01-01T00:00:00Z' });
    const c = topic({}, { name: 'c', uid: 'a-uid', creationTimestamp: '2026-01-01T00:00:00Z' });
    assert.equal(ownerOf([a, b])?.metadata?.name, 'b');
    assert.equal(ownerOf([a, b, c])?.metadata?.name, 'c');
    // Same second: the one already managing the topic keeps it.
    const incumbent = topic(
      {},
      {
        name: 'd',
        uid: 'z-uid',
        creationTimestamp: '2026-01-01T00:00:00Z',
        finalizers: ['kafka.sdm.dev/topic'],
      },
    );
    assert.equal(ownerOf([b, c, incumbent])?.metadata?.name, 'd');
  });
});

describe('planTopic', () => {
  const seed = topic({
    topicName: 'spark.users',
    partitions: 3,
    replicas: 2,
    config: { 'retention.ms': 7200000 },
  });
  const cfg = { 'retention.ms': '7200000', 'segment.bytes': '1073741824' };

  it('creates a missing topic with partitions, replicas and config', () => {
    const plan = planTopic(seed, cfg, undefined);
    assert.deepEqual(plan.create, { name: 'spark.users', partitions: 3, replicas: 2, config: cfg });
    assert.deepEqual(plan.managedConfig, ['retention.ms', 'segment.bytes']);
  });

  it('leaves the broker defaults to Kafka when partitions and replicas are left out', () => {
    assert.deepEqual(planTopic(topic({}), {}, undefined).create, {
      name: 'spark.users',
      partitions: -1,
      replicas: -1,
      config: {},
    });
  });

  it('writes nothing when Kafka already matches (adoption of an existing topic included)', () => {
    const plan = planTopic(seed, cfg, observed({ config: { ...cfg, 'max.message.bytes': '2000000' } }));
    assert.equal(planWrites(plan), false);
    assert.deepEqual(plan.refusals, []);
  });

  it('grows partitions and refuses to shrink them', () => {
    assert.equal(
      planTopic(topic({ partitions: 6, replicas: 2 }), {}, observed({ config: {} })).partitions,
      6,
    );
    const shrink = planTopic(topic({ partitions: 2, replicas: 2 }), {}, observed({ config: {} }));
    assert.equal(shrink.partitions, undefined);
    assert.equal(planWrites(shrink), false);
    assert.equal(shrink.refusals[0]?.reason, 'NotSupported');
    assert.match(shrink.refusals[0]!.message, /spec\.partitions 2 is less than the 3 partitions/);
  });

  it('refuses a replication factor change with a clear message', () => {
    const plan = planTopic(topic({ partitions: 3, replicas: 3 }), {}, observed({ config: {} }));
    assert.equal(planWrites(plan), false);
    assert.match(plan.refusals[0]!.message, /spec\.replicas 3 differs from the replication factor 2/);
  });

  it('sets only the keys that differ and never touches other dynamic configs', () => {
    const plan = planTopic(
      seed,
      { 'retention.ms': '1000' },
      observed({ config: { 'retention.ms': '7200000', 'cleanup.policy': 'compact' } }),
    );
    assert.deepEqual(plan.config, { set: { 'retention.ms': '1000' }, delete: [] });
  });

  it('restores a config changed behind its back', () => {
    const plan = planTopic(
      seed,
      cfg,
      observed({ config: { 'retention.ms': '1', 'segment.bytes': '1073741824' } }),
    );
    assert.deepEqual(plan.config, { set: { 'retention.ms': '7200000' }, delete: [] });
  });

  it('resets a key it set before that left spec.config, and only such keys', () => {
    const kt = topic(
      { partitions: 3, replicas: 2 },
      {},
      { managedConfig: ['retention.ms', 'segment.bytes'] },
    );
    const plan = planTopic(
      kt,
      { 'retention.ms': '7200000' },
      observed({ config: { ...cfg, 'cleanup.policy': 'compact' } }),
    );
    assert.deepEqual(plan.config, { set: {}, delete: ['segment.bytes'] });
    assert.deepEqual(plan.managedConfig, ['retention.ms']);
  });
});

describe('strimziOwnership', () => {
  it('is undefined for our own CRD', () => {
    assert.equal(
      strimziOwnership({
        metadata: { name: 'kafkatopics.kafka.strimzi.io', labels: { 'app.kubernetes.io/managed-by': 'sdm' } },
      }),
      undefined,
    );
    assert.equal(strimziOwnership(undefined), undefined);
  });

  it("names Strimzi and who installed it (the seed's CRD labels)", () => {
    const why = strimziOwnership({
      metadata: {
        name: 'kafkatopics.kafka.strimzi.io',
        labels: {
          app: 'strimzi',
          chart: 'strimzi-kafka-operator-0.13.0',
          release: 'pipelines-strimzi',
          heritage: 'Tiller',
        },
      },
    });
    assert.match(
      why ?? '',
      /installed by Strimzi \(app=strimzi, chart strimzi-kafka-operator-0\.13\.0, release pipelines-strimzi, by Tiller\)/,
    );
    assert.match(why ?? '', /stays off/);
    assert.ok(strimziOwnership({ metadata: { labels: { 'strimzi.io/crd-install': 'true' } } }));
  });
});
