// One admin client per Kafka cluster and credentials, shared by every
// reconcile that talks to it, closed when idle or when its connection is found
// broken (a fresh client reconnects cleanly after a cluster restart).
import type { Admin } from '@platformatic/kafka';
import { kafkaClient } from './client.ts';
import { type KafkaTarget, targetKey } from './target.ts';
import { TopicOperations } from './topics.ts';

export interface PooledCluster {
  readonly key: string;
  readonly admin: Admin;
  readonly topics: TopicOperations;
}

export interface AdminPoolOptions {
  clientId?: string;
  /** Per request (default 10 s). */
  requestTimeoutMs?: number;
  /** Close clients unused this long (default 10 min). */
  idleMs?: number;
  /** How long calls wait to be batched together (default 5 ms). */
  batchWaitMs?: number;
}

interface Entry extends PooledCluster {
  lastUsed: number;
}

export class AdminPool {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  private readonly options: AdminPoolOptions;

  constructor(options: AdminPoolOptions = {}) {
    this.options = options;
    const idle = options.idleMs ?? 600_000;
    this.sweeper = setInterval(() => this.closeIdle(idle), Math.min(idle, 60_000));
    this.sweeper.unref();
  }

  /** The shared client for a target (created on first use). */
  get(target: KafkaTarget): PooledCluster {
    const key = targetKey(target);
    let e = this.entries.get(key);
    if (!e || e.admin.closed) {
      const timeout = this.options.requestTimeoutMs ?? 10_000;
      const { Admin } = kafkaClient();
      const admin = new Admin({
        clientId: this.options.clientId ?? 'sdm',
        bootstrapBrokers: target.bootstrapServers,
        timeout,
        connectTimeout: Math.min(timeout, 5_000),
        // The work queue retries with backoff; one quick retry covers a leader move.
        retries: 1,
        retryDelay: 250,
        ...(target.tls
          ? {
              tls: {
                ...(target.tls.ca ? { ca: target.tls.ca } : {}),
                ...(target.tls.cert ? { cert: target.tls.cert, key: target.tls.key } : {}),
              },
              ...(target.tls.serverName ? { tlsServerName: target.tls.serverName } : {}),
            }
          : {}),
        ...(target.sasl
          ? {
              sasl: {
                mechanism: target.sasl.mechanism,
                username: target.sasl.username,
                password: target.sasl.password,
              },
            }
          : {}),
      });
      // Connection errors are reported by the calls that hit them; without a listener they would be thrown.
      admin.on('error', () => {});
      e = { key, admin, topics: new TopicOperations(admin, this.options.batchWaitMs), lastUsed: Date.now() };
      this.entries.set(key, e);
    }
    e.lastUsed = Date.now();
    return e;
  }

  /** Drops a client whose connections failed, so the next call starts afresh. */
  async invalidate(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    await e.admin.close().catch(() => {});
  }

  get size(): number {
    return this.entries.size;
  }

  private closeIdle(idleMs: number): void {
    const now = Date.now();
    for (const [key, e] of this.entries) if (now - e.lastUsed > idleMs) void this.invalidate(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.keys()];
    await Promise.all(all.map((k) => this.invalidate(k)));
  }
}
