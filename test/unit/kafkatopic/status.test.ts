import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KafkaConnection } from '../../../src/apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import type { KafkaTopic } from '../../../src/apis/kafka.strimzi.io/schema.ts';
import {
  connectionStatus,
  nextStatus,
  statusChanged,
  unmanagedStatus,
} from '../../../src/controllers/kafkatopic/index.ts';

const kt = (status?: KafkaTopic['status']): KafkaTopic => ({
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaTopic',
  metadata: { name: 't', namespace: 'n', generation: 2 },
  spec: { partitions: 3, replicas: 2 },
  ...(status ? { status } : {}),
});
const topic = { name: 't', id: 'id-1', partitions: 3, replicas: 2, config: {} };
const now = new Date('2026-12-01T00:00:00Z');

describe('KafkaTopic status', () => {
  it('says Ready with the topic as Kafka has it', () => {
    const s = nextStatus(kt(), { topicName: 't', topic, managedConfig: ['retention.ms'] }, now);
    assert.equal(s.observedGeneration, 2);
    assert.deepEqual(
      {
        topicName: s.topicName,
        topicId: s.topicId,
        partitions: s.partitions,
        replicas: s.replicas,
        managedConfig: s.managedConfig,
      },
      { topicName: 't', topicId: 'id-1', partitions: 3, replicas: 2, managedConfig: ['retention.ms'] },
    );
    assert.deepEqual(
      s.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['Ready', 'True', 'TopicReady', 'topic t: 3 partition(s), replication factor 2']],
    );
  });

  it('is unchanged (nothing to write) when reconciled again with the same outcome', () => {
    const first = nextStatus(kt(), { topicName: 't', topic }, now);
    const again = nextStatus(kt(first), { topicName: 't', topic }, new Date('2026-12-02T00:00:00Z'));
    assert.equal(statusChanged(kt(first), again), false);
  });

  it('keeps what Kafka last showed when Kafka cannot be reached', () => {
    const ready = nextStatus(kt(), { topicName: 't', topic }, now);
    const down = nextStatus(
      kt(ready),
      { topicName: 't', problem: { reason: 'KafkaUnreachable', message: 'cannot reach Kafka' } },
      now,
    );
    assert.equal(down.topicId, 'id-1');
    assert.equal(down.partitions, 3);
    assert.deepEqual(
      down.conditions?.map((c) => [c.status, c.reason]),
      [['False', 'KafkaUnreachable']],
    );
    assert.ok(statusChanged(kt(ready), down));
  });

  it('reports an unmanaged topic with only an Unmanaged condition', () => {
    const ready = nextStatus(kt(), { topicName: 't', topic }, now);
    const s = unmanagedStatus(kt(ready), now);
    assert.deepEqual(
      s.conditions?.map((c) => [c.type, c.status]),
      [['Unmanaged', 'True']],
    );
    assert.equal(s.topicId, 'id-1');
  });
});

describe('KafkaConnection status', () => {
  const conn = (status?: KafkaConnection['status']): KafkaConnection => ({
    apiVersion: 'kafka.sdm.dev/v1alpha1',
    kind: 'KafkaConnection',
    metadata: { name: 'c', namespace: 'n', generation: 1 },
    spec: { bootstrapServers: 'k:9092' },
    ...(status ? { status } : {}),
  });

  it('is Ready with the cluster id and brokers Kafka reports, and keeps them while Kafka is down', () => {
    const up = connectionStatus(conn(), { ok: true, clusterId: 'abc', brokers: 3 }, now);
    assert.deepEqual([up.clusterId, up.brokers, up.conditions?.[0]?.status], ['abc', 3, 'True']);
    const down = connectionStatus(
      conn(up),
      { ok: false, reason: 'KafkaUnreachable', message: 'cannot reach Kafka' },
      now,
    );
    assert.deepEqual(
      [down.clusterId, down.brokers, down.conditions?.[0]?.reason],
      ['abc', 3, 'KafkaUnreachable'],
    );
  });
});
