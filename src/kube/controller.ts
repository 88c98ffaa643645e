// A controller: a work queue of object keys and N workers that take keys and
// call the Reconciler. How each outcome is handled:
//   returns {requeueAfter: ms} -> reconcile again after ms (backoff reset)
//   returns {requeue: true}    -> again after the key's backoff
//   returns nothing            -> done until the next event (backoff reset)
//   throws TerminalError       -> logged and counted, not retried (until the next event)
//   throws anything else       -> retried after the key's growing backoff
// Keys are Requests ("namespace/name") unless the controller declares its own
// key type K with a KeyCodec (see queue-key.ts). A controller is a Runnable:
// the manager runs it with run(ctx); start()/stop() remain for direct use.
import { randomUUID } from 'node:crypto';
import type { KeyBackoffOptions } from './backoff.ts';
import { errorMessage, isTerminal } from './errors.ts';
import { type Logger, silentLogger } from './logger.ts';
import { RuntimeMetrics } from './metrics.ts';
import { type KeyCodec, requestKeys } from './queue-key.ts';
import type { Runnable, RunnableContext } from './runnable.ts';
import type { Request } from './types.ts';
import { WorkQueue } from './workqueue.ts';

export interface ReconcileContext {
  /** Carries controller, key and reconcileID. */
  log: Logger;
  reconcileID: string;
  /** Aborted when the controller must stop at once (leadership lost). */
  signal: AbortSignal;
}

export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds. */
  requeueAfter?: number;
  /** Reconcile again after the key's backoff (prefer requeueAfter or throwing). */
  requeue?: boolean;
}

export interface Reconciler<K = Request> {
  // biome-ignore lint/suspicious/noConfusingVoidType: a reconciler with nothing to say returns nothing
  reconcile(request: K, ctx: ReconcileContext): Promise<ReconcileResult | undefined | void>;
}

export type ReconcileFunc<K = Request> = Reconciler<K>['reconcile'];

/** Something whose initial sync gates the first reconcile (an informer). */
export interface SyncGate {
  waitForSync(signal?: AbortSignal): Promise<boolean>;
}

/** The codec may be left out only when keys are Requests. */
type KeysOption<K> = [K] extends [Request]
  ? [Request] extends [K]
    ? { keys?: KeyCodec<K> }
    : { keys: KeyCodec<K> }
  : { keys: KeyCodec<K> };

export type ControllerOptions<K = Request> = ControllerSettings<K> & KeysOption<K>;

export interface ControllerSettings<K = Request> {
  name: string;
  reconciler: Reconciler<K> | ReconcileFunc<K>;
  /** Max concurrent reconciles (different keys; one key never runs twice at once). Default 1. */
  concurrency?: number;
  /** Per-key retry backoff (default 5 ms doubling up to 1000 s). */
  backoff?: KeyBackoffOptions;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** Run before the workers start, e.g. registering event handlers. */
  setup?: (controller: Controller<K>, signal: AbortSignal) => Promise<void>;
  /** Caches that must be synced before the first reconcile. */
  waitFor?: SyncGate[];
}

export class Controller<K = Request> implements Runnable {
  readonly name: string;
  readonly needsLeaderElection = true;
  /** Holds keys formatted by the codec. */
  readonly queue: WorkQueue<string>;
  readonly concurrency: number;
  private readonly keys: KeyCodec<K>;
  private readonly reconciler: ReconcileFunc<K>;
  private readonly log: Logger;
  private readonly metrics: RuntimeMetrics;
  private readonly options: ControllerOptions<K>;
  /** Aborted on abortNow(): in-flight reconciles should give up. */
  private readonly abort = new AbortController();
  /** Aborted on any stop: ends setup and the wait for caches. */
  private readonly stopping = new AbortController();
  private workers: Promise<void>[] = [];
  private started: Promise<void> | undefined;

  constructor(options: ControllerOptions<K>) {
    this.name = options.name;
    this.options = options;
    this.keys = (options as { keys?: KeyCodec<K> }).keys ?? (requestKeys as unknown as KeyCodec<K>);
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    const r = options.reconciler;
    this.reconciler = typeof r === 'function' ? r : r.reconcile.bind(r);
    this.log = (options.logger ?? silentLogger()).child({ controller: options.name });
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.queue = new WorkQueue<string>({
      backoff: options.backoff,
      metrics: this.metrics.queueMetrics(options.name),
    });
    this.metrics.maxConcurrentReconciles.set({ controller: this.name }, this.concurrency);
    this.metrics.activeWorkers.set({ controller: this.name }, 0);
  }

  enqueue(request: K): void {
    this.queue.add(this.keys.format(request));
  }

  enqueueAfter(request: K, ms: number): void {
    this.queue.addAfter(this.keys.format(request), ms);
  }

  /** Runnable: start, then stop gracefully on ctx.stop, or at once on ctx.abort. */
  async run(ctx: RunnableContext): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      const onStop = () => resolve(this.stop());
      const onAbort = () => resolve(this.abortNow());
      if (ctx.abort.aborted) return onAbort();
      if (ctx.stop.aborted) return onStop();
      ctx.abort.addEventListener('abort', onAbort, { once: true });
      ctx.stop.addEventListener('abort', onStop, { once: true });
    });
    // A controller that cannot start (its setup failed) is logged, not fatal, as before runnables existed.
    this.start().catch((err) => ctx.log.error({ err: errorMessage(err) }, 'controller failed to start'));
    await stopped;
  }

  /** Runs setup, waits for the caches, then starts the workers. Resolves once they run. */
  start(): Promise<void> {
    this.started ??= this.doStart();
    return this.started;
  }

  private async doStart(): Promise<void> {
    const signal = this.stopping.signal;
    await this.options.setup?.(this, signal);
    for (const gate of this.options.waitFor ?? []) {
      if (!(await gate.waitForSync(signal))) return;
    }
    if (signal.aborted || this.queue.isShuttingDown()) return;
    this.log.info({ workers: this.concurrency }, 'starting workers');
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.worker());
  }

  /**
   * Graceful stop: no new keys are taken; reconciles in flight run to the end.
   * Resolves when they have.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.queue.shutdown();
    await Promise.all(this.workers);
    await this.queue.drained();
  }

  /** Immediate stop: as stop(), and in-flight reconciles see ctx.signal aborted. */
  async abortNow(): Promise<void> {
    this.abort.abort();
    await this.stop();
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileKey(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileKey(key: string): Promise<void> {
    const reconcileID = randomUUID();
    const request = this.keys.parse(key);
    const log = this.log.child({ key, reconcileID });
    const labels = { controller: this.name };
    const start = performance.now();
    this.metrics.activeWorkers.inc(labels);
    let result: 'success' | 'error' | 'requeue' | 'requeue_after' = 'success';
    try {
      log.debug('reconciling');
      const out = (await this.reconciler(request, { log, reconcileID, signal: this.abort.signal })) ?? {};
      if (out.requeueAfter !== undefined && out.requeueAfter > 0) {
        result = 'requeue_after';
        this.queue.forget(key);
        this.queue.addAfter(key, out.requeueAfter);
      } else if (out.requeue) {
        result = 'requeue';
        this.queue.addRateLimited(key);
      } else {
        this.queue.forget(key);
      }
      log.debug({ result, requeueAfter: out.requeueAfter }, 'reconciled');
    } catch (err) {
      result = 'error';
      this.metrics.reconcileErrors.inc(labels);
      if (isTerminal(err)) {
        this.metrics.terminalReconcileErrors.inc(labels);
        this.queue.forget(key);
        log.error({ err: errorMessage(err) }, 'reconcile failed (terminal, not retried)');
      } else {
        const retryInMs = this.queue.addRateLimited(key);
        log.error(
          { err: errorMessage(err), retryInMs, retries: this.queue.numRequeues(key) },
          'reconcile failed',
        );
      }
    } finally {
      this.metrics.activeWorkers.dec(labels);
      this.metrics.reconcileTotal.inc({ controller: this.name, result });
      this.metrics.reconcileTime.observe(labels, (performance.now() - start) / 1000);
    }
  }
}
