import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaConnectionFor, type RegisterFlags } from '../../../src/cli/kafka.ts';

const flags = (f: Partial<RegisterFlags>): RegisterFlags => ({
  namespace: 'lightbend',
  bootstrapServers: 'k0:9092,k1:9092',
  saslMechanism: 'SCRAM-SHA-512',
  ...f,
});

describe('sdm kafka register', () => {
  it('writes a KafkaConnection with the bootstrap servers', () => {
    const c = kafkaConnectionFor('pipelines-strimzi', flags({}));
    assert.deepEqual(c.metadata, { name: 'pipelines-strimzi', namespace: 'lightbend' });
    assert.deepEqual(c.spec, { bootstrapServers: 'k0:9092,k1:9092' });
  });

  it('names the credentials Secret and TLS CA when given', () => {
    const c = kafkaConnectionFor(
      'p',
      flags({ credentialsSecret: 'creds', saslMechanism: 'plain', caSecret: 'ca' }),
    );
    assert.deepEqual(c.spec.sasl, { mechanism: 'PLAIN', credentialsSecret: { name: 'creds' } });
    assert.deepEqual(c.spec.tls, { caSecret: { name: 'ca' } });
  });

  it('refuses bad input with a message naming it', () => {
    assert.throws(
      () => kafkaConnectionFor('p', flags({ bootstrapServers: 'nohost' })),
      /"nohost" is not host:port/,
    );
    assert.throws(
      () => kafkaConnectionFor('p', flags({ saslMechanism: 'GSSAPI' })),
      /--sasl-mechanism GSSAPI: expected one of/,
    );
    assert.throws(() => kafkaConnectionFor('p', flags({ bootstrapServers: 'a:99999' })), /not host:port/);
  });
});
