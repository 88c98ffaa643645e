// The work queue between event handlers and reconcile workers, with
// client-go's semantics:
// - a key is queued at most once however many times it is added (N events on
//   one object -> 1 reconcile);
// - a key is handed to at most one worker at a time; if it is added again while
//   a worker holds it, it is queued again when that worker calls done(), so the
//   latest change is always reconciled after the one in flight;
// - delayed adds (requeueAfter, retry backoff) keep only the earliest deadline.
import { KeyBackoff, type KeyBackoffOptions } from './backoff.ts';
import { noQueueMetrics, type QueueMetrics } from './metrics.ts';

export interface WorkQueueOptions {
  backoff?: KeyBackoffOptions;
  metrics?: QueueMetrics;
}

export class WorkQueue<K = string> {
  private items: K[] = [];
  private head = 0;
  /** Keys that need processing: queued, or re-added while being processed. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiters: ((key: K | undefined) => void)[] = [];
  private readonly delayed = new Map<K, { timer: ReturnType<typeof setTimeout>; readyAt: number }>();
  private readonly addedAt = new Map<K, number>();
  private readonly idleWaiters: (() => void)[] = [];
  private shuttingDown = false;
  private readonly backoff: KeyBackoff<K>;
  private readonly metrics: QueueMetrics;

  constructor(options: WorkQueueOptions = {}) {
    this.backoff = new KeyBackoff<K>(options.backoff);
    this.metrics = options.metrics ?? noQueueMetrics;
  }

  /** Queue key now (no-op if it is already queued, or the queue is shut down). */
  add(key: K): void {
    if (this.shuttingDown) return;
    if (this.dirty.has(key)) return;
    this.metrics.added();
    this.dirty.add(key);
    if (this.processing.has(key)) return; // done() will queue it
    this.push(key);
  }

  /** Queue key after ms; if it is already waiting, the earlier deadline wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = Date.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { timer, readyAt });
  }

  /** Queue key after its per-key exponential backoff; returns the delay. */
  addRateLimited(key: K): number {
    const delay = this.backoff.when(key);
    this.metrics.retried();
    this.addAfter(key, delay);
    return delay;
  }

  /** Reset key's backoff (after a success, or a terminal error). */
  forget(key: K): void {
    this.backoff.forget(key);
  }

  numRequeues(key: K): number {
    return this.backoff.numRequeues(key);
  }

  /**
   * The next key to process, waiting until there is one. Undefined once the
   * queue is shut down: workers then exit after their current key.
   */
  get(): Promise<K | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    if (this.head < this.items.length) return Promise.resolve(this.take());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker is finished with key; if it was re-added meanwhile, queue it again. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
    if (this.processing.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Keys waiting for a worker (not counting delayed ones or ones being processed). */
  len(): number {
    return this.items.length - this.head;
  }

  /** Keys being processed right now. */
  inFlight(): number {
    return this.processing.size;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Stop handing out keys: pending and delayed keys are dropped (the informers
   * will produce them again for whoever runs next), in-flight ones finish.
   */
  shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.items = [];
    this.head = 0;
    this.dirty.clear();
    this.addedAt.clear();
    this.metrics.depth(0);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Resolves once no key is being processed. */
  drained(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async shutdownAndDrain(): Promise<void> {
    this.shutdown();
    await this.drained();
  }

  private push(key: K): void {
    this.addedAt.set(key, performance.now());
    const waiter = this.waiters.shift();
    if (waiter) {
      this.items.push(key);
      waiter(this.take());
      return;
    }
    this.items.push(key);
    this.metrics.depth(this.len());
  }

  private take(): K {
    const key = this.items[this.head++] as K;
    // Compact now and then so a long-lived queue does not keep a growing array.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    const at = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (at !== undefined) this.metrics.queued((performance.now() - at) / 1000);
    this.metrics.depth(this.len());
    return key;
  }
}
