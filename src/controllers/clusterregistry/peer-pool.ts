// The open connections to peer clusters, and a probe loop per peer. Each peer is probed on its own
// schedule with short per-request timeouts, and Cluster reconciles only read the last result: a peer
// that hangs delays its own status, never another Cluster's.

import { type Logger, type Runnable, type RunnableContext, sleep, untilAborted } from '../../kube/index.ts';
import { jsonEqual } from '../../kube/json.ts';
import type { SyncMetrics } from './metrics.ts';
import { PeerConnection, type PeerObservation } from './peers.ts';

export interface PeerPoolOptions {
  probeIntervalMs: number;
  fieldManager: string;
  logger: Logger;
  metrics: SyncMetrics;
  /** A peer's probe found something new: its Cluster's status may change. */
  onObserved(name: string): void;
  /** Peers came up, went down, were dropped, or changed their ClusterFeatures: recompute the pairs. */
  refresh(): Promise<void>;
  /** Resolves once nothing uses the connections any more (the sync engine has stopped its pairs). */
  closeAfter(): Promise<void>;
}

interface Entry {
  conn: PeerConnection;
  stop: AbortController;
}

export class PeerPool implements Runnable {
  readonly name = 'clusterregistry-peers';
  readonly needsLeaderElection = true;
  private readonly options: PeerPoolOptions;
  private readonly peers = new Map<string, Entry>();
  private closed = false;

  constructor(options: PeerPoolOptions) {
    this.options = options;
  }

  async run(ctx: RunnableContext): Promise<void> {
    await untilAborted(ctx.stop);
    // No new connection from a reconcile finishing during shutdown: nobody would close it.
    this.closed = true;
    await this.options.closeAfter();
    const entries = [...this.peers.values()];
    this.peers.clear();
    await Promise.all(entries.map((e) => this.close(e)));
  }

  get(name: string): PeerConnection | undefined {
    return this.peers.get(name)?.conn;
  }

  list(): PeerConnection[] {
    return [...this.peers.values()].map((e) => e.conn);
  }

  /**
   * The connection to a peer, opened (and its probe loop started) unless one with the same
   * credentials and endpoint exists; a changed fingerprint reconnects. Undefined once shut down.
   */
  async connect(
    spec: ConstructorParameters<typeof PeerConnection>[0] extends infer O
      ? Omit<O, 'fieldManager' | 'logger' | 'onFeaturesChanged'>
      : never,
  ): Promise<PeerConnection | undefined> {
    const existing = this.peers.get(spec.name);
    if (existing && existing.conn.fingerprint === spec.fingerprint) return existing.conn;
    if (existing) await this.drop(spec.name);
    if (this.closed) return undefined;
    const conn = new PeerConnection({
      ...spec,
      fieldManager: this.options.fieldManager,
      logger: this.options.logger,
      onFeaturesChanged: () => void this.options.refresh(),
    });
    const entry: Entry = { conn, stop: new AbortController() };
    this.peers.set(spec.name, entry);
    conn.startFeatures();
    void this.probeLoop(entry);
    return conn;
  }

  /** Disconnects a peer: its pairs are stopped first, then the connection is closed. */
  async drop(name: string): Promise<void> {
    const entry = this.peers.get(name);
    if (!entry) return;
    this.peers.delete(name);
    entry.stop.abort();
    this.countUp();
    await this.options.refresh();
    await this.close(entry);
  }

  private async probeLoop(entry: Entry): Promise<void> {
    const { conn, stop } = entry;
    while (!stop.signal.aborted) {
      const observation = await conn.observe();
      if (stop.signal.aborted) return;
      this.record(conn, observation);
      await sleep(this.options.probeIntervalMs, stop.signal);
    }
  }

  private record(conn: PeerConnection, observation: PeerObservation): void {
    const previous = conn.observation;
    const wasUp = conn.up;
    conn.observation = observation;
    conn.up = observation.ok;
    conn.lastError = observation.ok
      ? ''
      : `cannot reach the API server at ${conn.server}: ${observation.error}`;
    if (wasUp !== conn.up) {
      this.countUp();
      void this.options.refresh();
    }
    if (!previous || !jsonEqual(previous, observation)) this.options.onObserved(conn.name);
  }

  private countUp(): void {
    this.options.metrics.peersUp.set(this.list().filter((p) => p.up).length);
  }

  private async close(entry: Entry): Promise<void> {
    entry.stop.abort();
    await entry.conn.close();
  }
}
