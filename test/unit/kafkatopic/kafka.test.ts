import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseError } from '@platformatic/kafka';
import type { KafkaConnection } from '../../../src/apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import {
  Batcher,
  describeKafkaError,
  describeTarget,
  fromKafkaConnection,
  fromKoperatorCluster,
  inRounds,
  itemErrors,
  parseBootstrapServers,
  redact,
  secretsOf,
  targetKey,
} from '../../../src/kafka/index.ts';
import type { Secret } from '../../../src/kube/index.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const conn = (spec: KafkaConnection['spec']): KafkaConnection => ({
  apiVersion: 'kafka.sdm.dev/v1alpha1',
  kind: 'KafkaConnection',
  metadata: { name: 'pipelines-strimzi', namespace: 'lightbend' },
  spec,
});

describe('Kafka resolution', () => {
  it('parses bootstrap servers and names a bad one', () => {
    assert.deepEqual(parseBootstrapServers('a:9092, b.example:19092'), ['a:9092', 'b.example:19092']);
    assert.throws(() => parseBootstrapServers('a:9092,b'), /bootstrap server "b" is not host:port/);
    assert.throws(() => parseBootstrapServers(' , '), /no bootstrap server/);
  });

  it('takes a KafkaConnection with SASL credentials from its Secret', () => {
    const secret: Secret = {
      metadata: { name: 'creds' },
      data: { username: b64('app'), password: b64('s3cr3t-pw') },
    };
    const r = fromKafkaConnection(
      conn({
        bootstrapServers: 'k:9092',
        sasl: { mechanism: 'SCRAM-SHA-512', credentialsSecret: { name: 'creds' } },
      }),
      (n) => (n === 'creds' ? secret : undefined),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.target.sasl, { mechanism: 'SCRAM-SHA-512', username: 'app', password: 's3cr3t-pw' });
    assert.deepEqual(secretsOf(r.target), ['s3cr3t-pw']);
    assert.equal(describeTarget(r.target), 'k:9092 (SASL SCRAM-SHA-512)');
    assert.ok(!describeTarget(r.target).includes('s3cr3t'));
  });

  it('says which Secret or key is missing', () => {
    const r = fromKafkaConnection(
      conn({
        bootstrapServers: 'k:9092',
        sasl: { mechanism: 'PLAIN', credentialsSecret: { name: 'creds' } },
      }),
      () => undefined,
    );
    assert.deepEqual(r, {
      ok: false,
      reason: 'SecretNotFound',
      message: 'KafkaConnection lightbend/pipelines-strimzi: Secret lightbend/creds not found',
    });
    const tls = fromKafkaConnection(
      conn({ bootstrapServers: 'k:9093', tls: { caSecret: { name: 'ca' } } }),
      () => ({ data: {} }),
    );
    assert.equal(
      tls.ok ? '' : tls.message,
      'KafkaConnection lightbend/pipelines-strimzi: Secret lightbend/ca has no key ca.crt',
    );
  });

  it('changes the client key when credentials change', () => {
    const a = fromKafkaConnection(conn({ bootstrapServers: 'k:9092' }), () => undefined);
    const b = fromKafkaConnection(conn({ bootstrapServers: 'k:9092', tls: {} }), () => undefined);
    assert.ok(a.ok && b.ok);
    assert.notEqual(targetKey(a.target), targetKey(b.target));
  });

  it("reaches a koperator KafkaCluster through its internal listener's Service", () => {
    const kc = {
      metadata: { name: 'kafka', namespace: 'kafka' },
      spec: {
        listenersConfig: {
          internalListeners: [
            {
              name: 'controller',
              type: 'plaintext',
              containerPort: 29093,
              usedForControllerCommunication: true,
            },
            {
              name: 'internal',
              type: 'plaintext',
              containerPort: 29092,
              usedForInnerBrokerCommunication: true,
            },
          ],
        },
      },
    };
    const r = fromKoperatorCluster(kc);
    assert.ok(r.ok);
    assert.deepEqual(r.target.bootstrapServers, ['kafka-all-broker.kafka.svc.cluster.local:29092']);
    const headless = fromKoperatorCluster({ ...kc, spec: { ...kc.spec, headlessServiceEnabled: true } });
    assert.ok(headless.ok && headless.target.bootstrapServers[0]!.startsWith('kafka-headless.kafka.svc'));
    const ssl = fromKoperatorCluster({
      metadata: kc.metadata,
      spec: { listenersConfig: { internalListeners: [{ name: 'i', type: 'ssl', containerPort: 1 }] } },
    });
    assert.equal(ssl.ok ? '' : ssl.reason, 'NotSupported');
  });
});

describe('Kafka errors', () => {
  it("takes each topic's error, in Kafka's own words, from a batched response", () => {
    const response = {
      topics: [
        { name: 'ok', errorCode: 0, errorMessage: null },
        { name: 'bad', errorCode: 40, errorMessage: 'Unknown topic config name: no.such.config' },
      ],
    };
    const err = new ResponseError(
      19,
      7,
      { '/topics/1': [40, 'Unknown topic config name: no.such.config'] },
      response,
    );
    const per = itemErrors(err, 'topics');
    assert.deepEqual(
      [...(per ?? new Map())],
      [['bad', { code: 'INVALID_CONFIG', message: 'Unknown topic config name: no.such.config' }]],
    );
    assert.equal(itemErrors(new Error('connect ECONNREFUSED'), 'topics'), undefined);
  });

  it('never shows a credential', () => {
    assert.equal(redact('auth failed for app:hunter22', ['hunter22']), 'auth failed for app:***');
    assert.equal(describeKafkaError(new Error('bad password hunter22'), ['hunter22']), 'bad password ***');
  });
});

describe('Batcher', () => {
  it('sends calls made together as one batch, with one result each', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => (i === 3 ? new Error('three') : i * 10));
    });
    const results = await Promise.allSettled([1, 2, 3].map((i) => b.call(i)));
    assert.deepEqual(batches, [[1, 2, 3]]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [10, 20, 'three'],
    );
  });

  it('fails every item of a batch that fails as a whole, and caps batch size', async () => {
    const sizes: number[] = [];
    const b = new Batcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        throw new Error('down');
      },
      { maxBatch: 2 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((i) => b.call(i)));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.deepEqual(sizes, [2, 1]);
  });

  it('puts two changes of one topic in successive requests', async () => {
    const rounds: string[][] = [];
    const out = await inRounds([{ name: 'a' }, { name: 'b' }, { name: 'a' }], async (r) => {
      rounds.push(r.map((x) => x.name));
      return r.map((x) => x.name);
    });
    assert.deepEqual(rounds, [['a', 'b'], ['a']]);
    assert.deepEqual(out, ['a', 'b', 'a']);
  });
});
