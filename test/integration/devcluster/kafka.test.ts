// Local Kafka brokers (src/devcluster/kafka.ts) against themselves: three real
// KRaft brokers serve a replicated topic, survive one broker stopping (cleanly
// or by crash), take it back, and leave no process behind; a broken config is
// reported with the broker's own words; a dead test process takes its brokers
// with it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { type LocalKafka, startKafka } from '../../../src/devcluster/index.ts';
import { eventually } from '../../support/eventually.ts';

const home = mkdtempSync(join(tmpdir(), 'sdm-kafka-'));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Pids of every java process whose command line mentions dir. */
function javaProcessesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('java') && cmdline.includes(dir) && alive(Number(entry))) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function admin(bootstrap: string): Admin {
  return new Admin({ clientId: 'kafka-test', bootstrapBrokers: bootstrap.split(','), retries: 0 });
}

async function liveBrokers(kafka: LocalKafka, via: number): Promise<number[]> {
  const a = admin(kafka.brokerAddress(via));
  try {
    const md = await a.metadata({ topics: [] });
    return [...md.brokers.keys()].sort();
  } finally {
    await a.close();
  }
}

async function produce(bootstrap: string, topic: string, values: string[]): Promise<void> {
  const producer = new Producer({
    clientId: 'kafka-test-producer',
    bootstrapBrokers: bootstrap.split(','),
    serializers: stringSerializers,
  });
  try {
    // acks=all (-1): every in-sync replica has the record before send resolves.
    await producer.send({ acks: -1, messages: values.map((value) => ({ topic, key: value, value })) });
  } finally {
    await producer.close();
  }
}

async function consumeAll(bootstrap: string, topic: string, count: number): Promise<string[]> {
  const consumer = new Consumer({
    clientId: 'kafka-test-consumer',
    groupId: `g-${topic}-${Date.now()}`,
    bootstrapBrokers: bootstrap.split(','),
    deserializers: stringDeserializers,
  });
  const values: string[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', maxWaitTime: 500 });
    const timer = setTimeout(
      () => stream.destroy(new Error(`only ${values.length}/${count} messages`)),
      30_000,
    );
    for await (const message of stream) {
      values.push(message.value as string);
      if (values.length >= count) break;
    }
    clearTimeout(timer);
  } finally {
    await consumer.close(true);
  }
  return values.sort();
}

const settle = { timeoutMs: 60_000, intervalMs: 500 };

describe('local Kafka, three brokers', () => {
  let kafka: LocalKafka;

  before(async () => {
    kafka = await startKafka({ brokers: 3, home });
  });
  after(async () => {
    await kafka?.stop();
  });

  it('serves a topic replicated three times: produce with acks=all, consume', async () => {
    assert.equal(kafka.bootstrapServers.split(',').length, 3);
    assert.deepEqual(await liveBrokers(kafka, 0), [0, 1, 2]);
    const a = admin(kafka.bootstrapServers);
    try {
      await a.createTopics({ topics: ['replicated'], partitions: 3, replicas: 3 });
      const md = await eventually(async () => {
        const m = await a.metadata({ topics: ['replicated'] });
        const t = m.topics.get('replicated');
        assert.equal(t?.partitionsCount, 3);
        return t!;
      });
      for (const p of md.partitions) assert.equal(p.replicas.length, 3);
    } finally {
      await a.close();
    }
    await produce(kafka.bootstrapServers, 'replicated', ['a', 'b', 'c']);
    assert.deepEqual(await consumeAll(kafka.bootstrapServers, 'replicated', 3), ['a', 'b', 'c']);
  });

  it('keeps serving with one broker stopped, and takes it back with its data', async () => {
    const pid = kafka.pid(1);
    await kafka.stopBroker(1);
    assert.ok(!alive(pid), 'broker 1 still running');
    // Eventually, not at once: on a loaded machine a broker may be briefly fenced for a late heartbeat.
    await eventually(async () => assert.deepEqual(await liveBrokers(kafka, 0), [0, 2]), settle);
    await produce(kafka.bootstrapServers, 'replicated', ['d']);

    await kafka.startBroker(1);
    await eventually(async () => assert.deepEqual(await liveBrokers(kafka, 1), [0, 1, 2]), settle);
    // Rejoined means caught up: broker 1 is back in the ISR of every partition (it holds 'd' too).
    const a = admin(kafka.bootstrapServers);
    try {
      await eventually(
        async () => {
          const m = await a.metadata({ topics: ['replicated'], forceUpdate: true });
          for (const p of m.topics.get('replicated')!.partitions)
            assert.ok(p.isr.includes(1), `isr ${p.isr}`);
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
    } finally {
      await a.close();
    }
    assert.deepEqual(await consumeAll(kafka.brokerAddress(1), 'replicated', 4), ['a', 'b', 'c', 'd']);
  });

  it('survives a crashed broker (SIGKILL): fenced after its session times out, restarted on the same port', async () => {
    const address = kafka.brokerAddress(2);
    await kafka.stopBroker(2, { kill: true });
    await eventually(async () => assert.deepEqual(await liveBrokers(kafka, 0), [0, 1]), settle);
    await produce(kafka.bootstrapServers, 'replicated', ['e']);
    await kafka.startBroker(2);
    assert.equal(kafka.brokerAddress(2), address);
    await eventually(async () => assert.deepEqual(await liveBrokers(kafka, 2), [0, 1, 2]), settle);
    assert.deepEqual(await consumeAll(kafka.bootstrapServers, 'replicated', 5), ['a', 'b', 'c', 'd', 'e']);
  });

  it('stops the whole Kafka with its data kept, and brings it back', async () => {
    const done: number[] = [];
    await Promise.all([0, 1, 2].map((i) => kafka.stopBroker(i).then(() => done.push(performance.now()))));
    // Stops run one after another; the last finds no quorum left and must not
    // sit out the 30 s a controlled shutdown may take (it gets 3 s, then SIGKILL).
    const last = done[2]! - done[1]!;
    assert.ok(last < 15_000, `stopping the last broker took ${Math.round(last)} ms`);
    assert.deepEqual(kafka.runningBrokers(), []);
    const a = admin(kafka.bootstrapServers);
    await assert.rejects(a.metadata({ topics: [] }));
    await a.close().catch(() => undefined);

    await Promise.all([0, 1, 2].map((i) => kafka.startBroker(i)));
    await eventually(async () => assert.deepEqual(await liveBrokers(kafka, 0), [0, 1, 2]), settle);
    assert.deepEqual(await consumeAll(kafka.bootstrapServers, 'replicated', 5), ['a', 'b', 'c', 'd', 'e']);
  });

  it('stop() leaves no java process and removes the directory', async () => {
    const pids = kafka.state.brokers.map((b) => b.pid);
    for (const pid of pids) assert.ok(alive(pid), `broker pid ${pid} should be running`);
    assert.equal(javaProcessesIn(kafka.dir).length, 3);
    await kafka.stop();
    for (const pid of pids) assert.ok(!alive(pid), `broker pid ${pid} still running`);
    assert.deepEqual(javaProcessesIn(kafka.dir), []);
    assert.ok(!existsSync(kafka.dir), 'directory left behind');
  });
});

describe('local Kafka with SASL users and TLS', () => {
  it('authenticates PLAIN and SCRAM users on its SASL listener and refuses a wrong password', async () => {
    const password = 'Te5t-only-pw_42';
    const kafka = await startKafka({ brokers: 1, home, sasl: { users: { app: password } } });
    try {
      assert.match(kafka.saslBootstrapServers ?? '', /^127\.0\.0\.1:\d+$/);
      assert.notEqual(kafka.saslBootstrapServers, kafka.bootstrapServers);
      const connect = async (mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', pw: string) => {
        const a = new Admin({
          clientId: 'kafka-sasl-test',
          bootstrapBrokers: [kafka.saslBootstrapServers!],
          retries: 0,
          sasl: { mechanism, username: 'app', password: pw },
        });
        try {
          // Metadata through the SASL listener names the SASL addresses.
          const md = await a.metadata({ topics: [] });
          return [...md.brokers.values()].map((b) => `${b.host}:${b.port}`).join(',');
        } finally {
          await a.close();
        }
      };
      for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
        assert.equal(await connect(mechanism, password), kafka.saslBootstrapServers, mechanism);
      }
      await assert.rejects(connect('PLAIN', 'wrong-password'));
      await assert.rejects(connect('SCRAM-SHA-256', 'wrong-password'));
      // The launcher's own log line of the format command does not carry the password.
      const log = readFileSync(join(kafka.dir, 'logs', 'broker-0.log'), 'utf8');
      const formatLine = log.split('\n').find((l) => l.startsWith('--- kafka.tools.StorageTool'));
      assert.ok(formatLine?.includes('password=***'), formatLine);
      assert.ok(!formatLine?.includes(password));
    } finally {
      await kafka.stop();
    }
  });

  it('serves TLS with a certificate its own CA signed, refused by a client that does not trust that CA', async () => {
    const kafka = await startKafka({ brokers: 1, home, tls: true });
    try {
      assert.match(kafka.tlsBootstrapServers ?? '', /^127\.0\.0\.1:\d+$/);
      assert.match(kafka.caCertificate(), /^-----BEGIN CERTIFICATE-----/);
      const connect = async (ca: string | undefined) => {
        const a = new Admin({
          clientId: 'kafka-tls-test',
          bootstrapBrokers: [kafka.tlsBootstrapServers!],
          retries: 0,
          tls: { ca },
        });
        try {
          const md = await a.metadata({ topics: [] });
          return [...md.brokers.values()].map((b) => `${b.host}:${b.port}`).join(',');
        } finally {
          await a.close();
        }
      };
      assert.equal(await connect(kafka.caCertificate()), kafka.tlsBootstrapServers);
      await assert.rejects(connect(undefined), (err: Error & { errors?: Error[] }) => {
        const causes = (err.errors ?? []).map((e) => (e.cause as Error | undefined)?.message);
        assert.match(causes.join('\n'), /unable to verify the first certificate/);
        return true;
      });
    } finally {
      await kafka.stop();
    }
  });

  it('refuses a user name or password it could not quote', async () => {
    await assert.rejects(
      startKafka({ brokers: 1, home, sasl: { users: { 'a b': 'x' } } }),
      /SASL user name "a b": use letters, digits/,
    );
    await assert.rejects(
      startKafka({ brokers: 1, home, sasl: { users: { app: 'with"quote' } } }),
      /the password of SASL user app: use printable ASCII/,
    );
  });
});

describe('local Kafka, failures', () => {
  after(() => rmSync(home, { recursive: true, force: true }));

  it('reports a config Kafka rejects in its own words, and cleans up', async () => {
    await assert.rejects(
      startKafka({ brokers: 1, home, name: 'broken', config: { 'num.network.threads': 'many' } }),
      (err: Error) => {
        assert.match(err.message, /formatting the storage of kafka broker 0 .*exited with code 1/);
        // Kafka's own words, without the stack trace.
        assert.match(err.message, /Invalid value many for configuration num\.network\.threads/);
        assert.doesNotMatch(err.message, /^\s+at /m);
        return true;
      },
    );
    assert.ok(!existsSync(join(home, 'broken')), 'directory of the failed Kafka left behind');
    assert.deepEqual(javaProcessesIn(join(home, 'broken')), []);
  });

  it('refuses a broker count that is not a whole number >= 1', async () => {
    await assert.rejects(startKafka({ brokers: 0, home }), /brokers must be a whole number >= 1, got 0/);
  });

  it('brokers die with the process that started them (parent-death signal)', async () => {
    const script = [
      `import { startKafka } from ${JSON.stringify(join(import.meta.dirname, '../../../src/devcluster/index.ts'))};`,
      `const k = await startKafka({ brokers: 1, home: ${JSON.stringify(home)}, name: 'orphan' });`,
      'console.log(JSON.stringify(k.state.brokers.map((b) => b.pid)));',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.trim()) as number[]);
      });
      child.once('exit', (code) => reject(new Error(`child exited with ${code} before starting Kafka`)));
    });
    assert.equal(pids.length, 1);
    assert.ok(alive(pids[0]!), 'broker should run while its parent does');
    child.kill('SIGKILL');
    await eventually(() => assert.ok(!alive(pids[0]!), 'broker outlived its parent'), { timeoutMs: 10_000 });
    // The next start reaps the dead owner's directory.
    const next = await startKafka({ brokers: 1, home });
    await next.stop();
    assert.ok(!existsSync(join(home, 'orphan')), 'stale Kafka directory not reaped');
  });
});
