// What a local KRaft Kafka looks like, as pure functions: which nodes vote in
// the controller quorum, each node's server.properties, and the JVM command
// line. No I/O here; kafka.ts writes these files and starts the processes.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type SaslUsers, saslListenerProperties } from './kafka-sasl.ts';

export interface KafkaNodePorts {
  /** The PLAINTEXT listener clients and other brokers use. */
  broker: number;
  /** The CONTROLLER listener, only on quorum voters. */
  controller: number | null;
  /** The SASL_PLAINTEXT listener, when the Kafka has SASL users. */
  sasl: number | null;
  /** The SSL listener, when the Kafka serves TLS. */
  tls: number | null;
}

/** Listeners beyond PLAINTEXT (and CONTROLLER on voters), each on its own port per broker. */
export interface ExtraListeners {
  sasl?: boolean;
  tls?: boolean;
}

export interface KafkaNodeLayout {
  nodeId: number;
  roles: 'broker,controller' | 'broker';
  ports: KafkaNodePorts;
  dataDir: string;
  configFile: string;
  logFile: string;
}

/**
 * How many of the nodes also run the controller quorum: 1 for one or two
 * brokers, 3 from three on. An odd count, so that with three brokers any one
 * can be stopped and the other two still form a majority; two voters would
 * lose the quorum with either one, so two brokers get one voter (node 0).
 */
export function quorumSize(brokers: number): number {
  return brokers >= 3 ? 3 : 1;
}

/** How many ports kafkaLayout needs. */
export function portsNeeded(brokers: number, extra: ExtraListeners = {}): number {
  return brokers + quorumSize(brokers) + (extra.sasl ? brokers : 0) + (extra.tls ? brokers : 0);
}

/**
 * Node ids 0..N-1; the first quorumSize(N) are combined broker+controller
 * nodes. Ports: N broker ports, then the voters' controller ports, then N
 * SASL ports (with SASL), then N TLS ports (with TLS).
 */
export function kafkaLayout(
  dir: string,
  brokers: number,
  ports: number[],
  extra: ExtraListeners = {},
): KafkaNodeLayout[] {
  const voters = quorumSize(brokers);
  const needed = portsNeeded(brokers, extra);
  const saslBase = brokers + voters;
  const tlsBase = saslBase + (extra.sasl ? brokers : 0);
  if (ports.length < needed) throw new Error(`need ${needed} ports, got ${ports.length}`);
  return Array.from({ length: brokers }, (_, nodeId) => ({
    nodeId,
    roles: nodeId < voters ? 'broker,controller' : 'broker',
    ports: {
      broker: ports[nodeId]!,
      controller: nodeId < voters ? ports[brokers + nodeId]! : null,
      sasl: extra.sasl ? ports[saslBase + nodeId]! : null,
      tls: extra.tls ? ports[tlsBase + nodeId]! : null,
    },
    dataDir: join(dir, `broker-${nodeId}`, 'data'),
    configFile: join(dir, `broker-${nodeId}`, 'server.properties'),
    logFile: join(dir, 'logs', `broker-${nodeId}.log`),
  }));
}

export function bootstrapServers(layout: KafkaNodeLayout[]): string {
  return layout.map((n) => `127.0.0.1:${n.ports.broker}`).join(',');
}

/** The bootstrap list of one kind of extra listener, or null when the Kafka has none. */
export function extraBootstrapServers(layout: KafkaNodeLayout[], kind: 'sasl' | 'tls'): string | null {
  if (layout.some((n) => n.ports[kind] === null)) return null;
  return layout.map((n) => `127.0.0.1:${n.ports[kind]}`).join(',');
}

/**
 * server.properties of one node. Defaults suit tests on a small machine:
 * internal topics replicated min(3, N) times (so they survive one stopped
 * broker when N >= 3), few partitions for them, no topic auto-creation (a
 * typo in a test must fail, not create a topic), no rebalance delay, and a
 * small log-cleaner buffer (the default allocates 128 MiB of heap at start).
 * With SASL users a SASL_PLAINTEXT listener, with a TLS keystore an SSL
 * listener, next to the PLAINTEXT one (which brokers and the launcher keep
 * using). `overrides` (from the caller) win over every default.
 */
export function serverProperties(
  node: KafkaNodeLayout,
  layout: KafkaNodeLayout[],
  overrides: Record<string, string> = {},
  security: { saslUsers?: SaslUsers; tlsKeystore?: string } = {},
): string {
  const n = layout.length;
  const rf = Math.min(3, n);
  const voters = layout
    .filter((v) => v.ports.controller !== null)
    .map((v) => `${v.nodeId}@127.0.0.1:${v.ports.controller}`)
    .join(',');
  const advertised = [`PLAINTEXT://127.0.0.1:${node.ports.broker}`];
  if (node.ports.sasl !== null) advertised.push(`SASL_PLAINTEXT://127.0.0.1:${node.ports.sasl}`);
  if (node.ports.tls !== null) advertised.push(`SSL://127.0.0.1:${node.ports.tls}`);
  const listeners = [...advertised];
  if (node.ports.controller !== null) listeners.push(`CONTROLLER://127.0.0.1:${node.ports.controller}`);
  const props: Record<string, string> = {
    'process.roles': node.roles,
    'node.id': String(node.nodeId),
    'controller.quorum.voters': voters,
    listeners: listeners.join(','),
    'advertised.listeners': advertised.join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map':
      'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL',
    'log.dirs': node.dataDir,
    'num.partitions': '1',
    'default.replication.factor': '1',
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': String(rf),
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': String(rf),
    'transaction.state.log.min.isr': String(Math.min(2, rf)),
    'transaction.state.log.num.partitions': '10',
    'share.coordinator.state.topic.replication.factor': String(rf),
    'share.coordinator.state.topic.min.isr': String(Math.min(2, rf)),
    'group.initial.rebalance.delay.ms': '0',
    'log.cleaner.dedupe.buffer.size': String(8 * 1024 * 1024),
    // broker.session.timeout.ms stays at Kafka's 9 s: shorter sessions fenced
    // healthy brokers on a machine under heavy load (a crashed broker's
    // restart waits for its old session to expire, up to those 9 s).
    ...(node.ports.sasl !== null && security.saslUsers ? saslListenerProperties(security.saslUsers) : {}),
    ...(node.ports.tls !== null && security.tlsKeystore ? tlsListenerProperties(security.tlsKeystore) : {}),
    ...overrides,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/**
 * The SSL listener's server side: one PEM file holding the broker's private
 * key (PKCS#8, unencrypted) and certificate chain. No client certificates.
 */
export function tlsListenerProperties(keystoreFile: string): Record<string, string> {
  return {
    'listener.name.ssl.ssl.keystore.type': 'PEM',
    'listener.name.ssl.ssl.keystore.location': keystoreFile,
    'listener.name.ssl.ssl.client.auth': 'none',
  };
}

/**
 * Small heap, serial GC and the C1 compiler only: a broker holding test data
 * needs little, and starts faster this way. -Xms keeps the heap from being
 * committed at its maximum up front. tools/build.sh dumps its class-data
 * archive with the same flags.
 */
export const kafkaJvmFlags = ['-Xms32m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export function javaArgs(
  mainClass: string,
  libsDir: string,
  classDataArchive: string | null,
  args: string[],
): string[] {
  return [
    ...kafkaJvmFlags,
    ...(classDataArchive ? [`-XX:SharedArchiveFile=${classDataArchive}`] : []),
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
    '-cp',
    join(libsDir, '*'),
    mainClass,
    ...args,
  ];
}

/**
 * A Kafka cluster id as kafka.tools.StorageTool random-uuid makes one: 16
 * random bytes, URL-safe base64 without padding, never starting with '-'
 * (it would read as a command-line flag).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
