// Where a Kafka cluster is and how to authenticate to it, resolved from the
// resources that describe it (resolve.ts). A KafkaTarget holds credentials: it
// is passed to the admin pool, never logged; `describe()` is what may be shown.
import { createHash } from 'node:crypto';

export interface KafkaTls {
  /** PEM CA certificates to trust; absent: the system trust store. */
  ca?: string;
  cert?: string;
  key?: string;
  serverName?: string;
}

export interface KafkaSasl {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  username: string;
  password: string;
}

export interface KafkaTarget {
  /** host:port of each bootstrap broker. */
  bootstrapServers: string[];
  tls?: KafkaTls;
  sasl?: KafkaSasl;
  /** What it was resolved from, e.g. "KafkaConnection lightbend/pipelines-strimzi". */
  source: string;
}

/** Identifies a cluster + credentials: equal targets share one admin client. */
export function targetKey(t: KafkaTarget): string {
  return createHash('sha256')
    .update(JSON.stringify([t.bootstrapServers, t.tls ?? null, t.sasl ?? null]))
    .digest('hex')
    .slice(0, 32);
}

/** Identifies the Kafka cluster only (not the credentials): topics on it may conflict. */
export function clusterKey(t: KafkaTarget): string {
  return [...t.bootstrapServers].sort().join(',');
}

/** Safe to show: where, and how it authenticates, never with what. */
export function describeTarget(t: KafkaTarget): string {
  const how = [t.tls ? 'TLS' : '', t.sasl ? `SASL ${t.sasl.mechanism}` : ''].filter(Boolean).join(', ');
  return `${t.bootstrapServers.join(',')}${how ? ` (${how})` : ''}`;
}

/** The values that must never appear in a log line, Event or condition. */
export function secretsOf(t: KafkaTarget): string[] {
  return [t.sasl?.password, t.tls?.key].filter((s): s is string => Boolean(s));
}

/** Splits "a:1,b:2" into host:port entries; throws with a message naming the bad one. */
export function parseBootstrapServers(list: string): string[] {
  const out = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (out.length === 0) throw new Error('no bootstrap server given');
  for (const s of out) {
    const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d+)$/.exec(s);
    const port = m ? Number(m[2]) : Number.NaN;
    if (!m || !(port > 0 && port < 65536))
      throw new Error(`bootstrap server ${JSON.stringify(s)} is not host:port`);
  }
  return out;
}
