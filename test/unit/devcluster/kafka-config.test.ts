// The pure parts of the local Kafka: quorum layout, server.properties, JVM
// command line, cluster ids.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bootstrapServers,
  extraBootstrapServers,
  javaArgs,
  kafkaLayout,
  newClusterId,
  portsNeeded,
  quorumSize,
  serverProperties,
} from '../../../src/devcluster/kafka-config.ts';
import { scramFormatArgs, validateSaslUsers } from '../../../src/devcluster/kafka-sasl.ts';

function parse(props: string): Record<string, string> {
  return Object.fromEntries(
    props
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('kafka layout', () => {
  it('uses an odd controller quorum: 1 voter below three brokers, 3 from three on', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(quorumSize), [1, 1, 3, 3, 3]);
  });

  it('makes the first quorumSize nodes combined broker+controller nodes with their own controller ports', () => {
    const layout = kafkaLayout('/k', 4, [9001, 9002, 9003, 9004, 9101, 9102, 9103]);
    assert.deepEqual(
      layout.map((n) => [n.nodeId, n.roles, n.ports.broker, n.ports.controller]),
      [
        [0, 'broker,controller', 9001, 9101],
        [1, 'broker,controller', 9002, 9102],
        [2, 'broker,controller', 9003, 9103],
        [3, 'broker', 9004, null],
      ],
    );
    assert.equal(layout[3]!.dataDir, '/k/broker-3/data');
    assert.equal(layout[3]!.logFile, '/k/logs/broker-3.log');
    assert.equal(bootstrapServers(layout), '127.0.0.1:9001,127.0.0.1:9002,127.0.0.1:9003,127.0.0.1:9004');
  });

  it('refuses too few ports', () => {
    assert.throws(() => kafkaLayout('/k', 3, [1, 2, 3, 4]), /need 6 ports, got 4/);
    assert.throws(() => kafkaLayout('/k', 1, [1, 2], { sasl: true }), /need 3 ports, got 2/);
  });
});

describe('server.properties', () => {
  const three = kafkaLayout('/k', 3, [9001, 9002, 9003, 9101, 9102, 9103]);

  it('lists every voter and gives a voter both listeners', () => {
    const p = parse(serverProperties(three[1]!, three));
    assert.equal(p['process.roles'], 'broker,controller');
    assert.equal(p['node.id'], '1');
    assert.equal(p['controller.quorum.voters'], '0@127.0.0.1:9101,1@127.0.0.1:9102,2@127.0.0.1:9103');
    assert.equal(p.listeners, 'PLAINTEXT://127.0.0.1:9002,CONTROLLER://127.0.0.1:9102');
    assert.equal(p['advertised.listeners'], 'PLAINTEXT://127.0.0.1:9002');
    assert.equal(p['log.dirs'], '/k/broker-1/data');
  });

  it('gives a broker-only node no controller listener', () => {
    const four = kafkaLayout('/k', 4, [9001, 9002, 9003, 9004, 9101, 9102, 9103]);
    const p = parse(serverProperties(four[3]!, four));
    assert.equal(p['process.roles'], 'broker');
    assert.equal(p.listeners, 'PLAINTEXT://127.0.0.1:9004');
  });

  it('replicates internal topics min(3, N) times and never auto-creates topics', () => {
    const one = kafkaLayout('/k', 1, [9001, 9101]);
    const p1 = parse(serverProperties(one[0]!, one));
    const p3 = parse(serverProperties(three[0]!, three));
    assert.equal(p1['offsets.topic.replication.factor'], '1');
    assert.equal(p1['transaction.state.log.replication.factor'], '1');
    assert.equal(p1['transaction.state.log.min.isr'], '1');
    assert.equal(p3['offsets.topic.replication.factor'], '3');
    assert.equal(p3['transaction.state.log.replication.factor'], '3');
    assert.equal(p3['transaction.state.log.min.isr'], '2');
    assert.equal(p1['auto.create.topics.enable'], 'false');
  });

  it('lets the caller override any default', () => {
    const p = parse(serverProperties(three[0]!, three, { 'auto.create.topics.enable': 'true', 'x.y': 'z' }));
    assert.equal(p['auto.create.topics.enable'], 'true');
    assert.equal(p['x.y'], 'z');
  });
});

describe('java command line', () => {
  it('uses the small-heap flags, the class-data archive when there is one, and the libs wildcard', () => {
    const withArchive = javaArgs('kafka.Kafka', '/t/libs', '/t/kafka.jsa', ['/k/server.properties']);
    for (const flag of ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'])
      assert.ok(withArchive.includes(flag));
    assert.ok(withArchive.includes('-XX:SharedArchiveFile=/t/kafka.jsa'));
    assert.deepEqual(withArchive.slice(-4), ['-cp', '/t/libs/*', 'kafka.Kafka', '/k/server.properties']);
    const without = javaArgs('kafka.Kafka', '/t/libs', null, []);
    assert.ok(!without.some((a) => a.startsWith('-XX:SharedArchiveFile')));
  });
});

describe('cluster id', () => {
  it('is 22 characters of URL-safe base64, never starting with "-", different each time', () => {
    const ids = Array.from({ length: 500 }, newClusterId);
    for (const id of ids) {
      assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      assert.equal(Buffer.from(id, 'base64url').length, 16);
    }
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('SASL listener', () => {
  const users = { app: 'pw-1', ops: 'pw-2' };

  it('adds a SASL_PLAINTEXT listener per broker, advertised next to PLAINTEXT', () => {
    const layout = kafkaLayout('/k', 1, [9001, 9101, 9201], { sasl: true });
    assert.equal(layout[0]!.ports.sasl, 9201);
    assert.equal(extraBootstrapServers(layout, 'sasl'), '127.0.0.1:9201');
    assert.equal(extraBootstrapServers(layout, 'tls'), null);
    assert.equal(portsNeeded(3, { sasl: true }), 9);
    const p = parse(serverProperties(layout[0]!, layout, {}, { saslUsers: users }));
    assert.equal(
      p.listeners,
      'PLAINTEXT://127.0.0.1:9001,SASL_PLAINTEXT://127.0.0.1:9201,CONTROLLER://127.0.0.1:9101',
    );
    assert.equal(p['advertised.listeners'], 'PLAINTEXT://127.0.0.1:9001,SASL_PLAINTEXT://127.0.0.1:9201');
    assert.equal(p['inter.broker.listener.name'], 'PLAINTEXT');
    assert.equal(p['sasl.enabled.mechanisms'], 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512');
    assert.equal(
      p['listener.name.sasl_plaintext.plain.sasl.jaas.config'],
      'org.apache.kafka.common.security.plain.PlainLoginModule required user_app="pw-1" user_ops="pw-2";',
    );
  });

  it('has no SASL listener without users', () => {
    const layout = kafkaLayout('/k', 1, [9001, 9101]);
    assert.equal(extraBootstrapServers(layout, 'sasl'), null);
    assert.equal(parse(serverProperties(layout[0]!, layout))['sasl.enabled.mechanisms'], undefined);
  });

  it('puts SCRAM credentials of every user into the format command', () => {
    assert.deepEqual(scramFormatArgs({ app: 'pw-1' }), [
      '--add-scram',
      'SCRAM-SHA-256=[name=app,password=pw-1]',
      '--add-scram',
      'SCRAM-SHA-512=[name=app,password=pw-1]',
    ]);
  });

  it('refuses names and passwords that would need quoting, and an empty user list', () => {
    assert.doesNotThrow(() => validateSaslUsers(users));
    assert.throws(() => validateSaslUsers({}), /sasl.users is empty/);
    assert.throws(() => validateSaslUsers({ 'a=b': 'x' }), /SASL user name "a=b"/);
    for (const pw of ['has space', 'a"b', 'a\\b', 'a,b', 'a]b', 'a;b', '']) {
      assert.throws(() => validateSaslUsers({ app: pw }), /the password of SASL user app/, pw);
    }
  });
});

describe('SSL listener', () => {
  it('adds an SSL listener per broker after the SASL ports, with the PEM keystore', () => {
    const layout = kafkaLayout('/k', 1, [9001, 9101, 9201, 9301], { sasl: true, tls: true });
    assert.equal(portsNeeded(1, { sasl: true, tls: true }), 4);
    assert.deepEqual(layout[0]!.ports, { broker: 9001, controller: 9101, sasl: 9201, tls: 9301 });
    assert.equal(extraBootstrapServers(layout, 'tls'), '127.0.0.1:9301');
    const p = parse(serverProperties(layout[0]!, layout, {}, { tlsKeystore: '/k/tls/broker.pem' }));
    assert.equal(
      p['advertised.listeners'],
      'PLAINTEXT://127.0.0.1:9001,SASL_PLAINTEXT://127.0.0.1:9201,SSL://127.0.0.1:9301',
    );
    assert.equal(p['listener.name.ssl.ssl.keystore.type'], 'PEM');
    assert.equal(p['listener.name.ssl.ssl.keystore.location'], '/k/tls/broker.pem');
    assert.equal(p['listener.name.ssl.ssl.client.auth'], 'none');
  });

  it('keeps the TLS ports right after the controller ports without SASL', () => {
    const layout = kafkaLayout('/k', 1, [9001, 9101, 9301], { tls: true });
    assert.deepEqual(layout[0]!.ports, { broker: 9001, controller: 9101, sasl: null, tls: 9301 });
  });
});
