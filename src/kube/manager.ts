// The manager owns a controller process's lifecycle:
//   start: health/metrics server -> shared informers (also on standbys, so a
//          new leader starts with a warm cache) -> runnables that need no
//          leadership -> leader election -> runnables that do (controllers)
//   SIGTERM: stop taking work -> finish in-flight reconciles -> flush events
//          -> release the lease (a standby takes over at once) -> exit 0
//   lease lost: stop reconciling at once (the write gate already refuses
//          writes) -> exit non-zero, as controller-runtime does; a fresh
//          process then campaigns again from a clean state.
//   a runnable fails (its run() rejects): stop everything -> exit non-zero.
// A runnable (runnable.ts) is anything with run(ctx): controllers, peer
// pools, schedulers.

import { type JitterBackoffOptions, sleep } from './backoff.ts';
import { ControllerBuilder, type ControllerHost, type InformerScope } from './builder.ts';
import { Client } from './client.ts';
import type { ClusterAccess } from './cluster-access.ts';
import { errorMessage, NotLeaderError } from './errors.ts';
import { clientEventSink, EventRecorder } from './events.ts';
import { type Check, HealthServer } from './health-server.ts';
import { Informer } from './informer.ts';
import { type LeaderElectionOptions, LeaderElector } from './leader-election.ts';
import { createLogger, type Logger } from './logger.ts';
import { RuntimeMetrics } from './metrics.ts';
import type { Runnable } from './runnable.ts';
import type { IndexFunc } from './store.ts';
import type { Kind, KubeObject } from './types.ts';
import { logWarningsOnce } from './warnings.ts';

export interface ManagerOptions {
  kubeConfig: ClusterAccess;
  /** Names the logger, the default field manager and the event source. Default "sdm". */
  name?: string;
  /** Scope every informer to this namespace (default $WATCH_NAMESPACE, else all). */
  namespace?: string;
  /** Server-side apply field manager (default: name). */
  fieldManager?: string;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** Only the lease holder runs controllers. Off by default (CLI, tests of one process). */
  leaderElection?: LeaderElectionOptions;
  /** Serve /healthz /readyz /metrics on this port (0 = any free one). Default: no server. */
  healthPort?: number;
  healthHost?: string;
  /** Informer resync period (default 10 h, as controller-runtime). */
  resyncPeriodMs?: number;
  informerBackoff?: JitterBackoffOptions;
  /** Stop gracefully on SIGTERM/SIGINT (default true). */
  handleSignals?: boolean;
  /** How long stop() waits for in-flight reconciles (default 30 s). */
  gracefulShutdownTimeoutMs?: number;
}

interface Running {
  runnable: Runnable;
  stop: AbortController;
  abort: AbortController;
  /** Set once started; settles when run() has returned. */
  done?: Promise<void>;
}

function needsLeader(r: Runnable): boolean {
  return r.needsLeaderElection ?? true;
}

export class LeaderElectionLostError extends Error {
  constructor() {
    super('leader election lost');
    this.name = 'LeaderElectionLostError';
  }
}

export class Manager implements ControllerHost {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  /** For controllers: its writes are refused unless this process currently leads. */
  readonly client: Client;
  /** Writes from any replica (start-up work that is safe to race); also used by the elector. */
  readonly directClient: Client;
  readonly health: HealthServer;
  readonly elector: LeaderElector | undefined;
  private readonly options: ManagerOptions;
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly runnables: Running[] = [];
  private readonly recorders: EventRecorder[] = [];
  private readonly electionAbort = new AbortController();
  private running = false;
  private leading = false;
  private stopping: Promise<void> | undefined;
  /** Why the manager stopped, when a runnable failed. */
  private failure: Error | undefined;
  private settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private done: Promise<void> | undefined;
  private readonly signalHandlers: [NodeJS.Signals, () => void][] = [];

  constructor(options: ManagerOptions) {
    this.options = options;
    this.name = options.name ?? 'sdm';
    this.namespace = options.namespace ?? (process.env.WATCH_NAMESPACE || undefined);
    this.log = options.logger ?? createLogger({ name: this.name });
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.directClient = Client.fromKubeConfig(options.kubeConfig, {
      fieldManager: options.fieldManager ?? this.name,
      metrics: this.metrics,
      userAgent: this.name,
      logger: this.log,
      onWarning: logWarningsOnce(this.log),
    });
    if (options.leaderElection) {
      this.elector = new LeaderElector(this.directClient, options.leaderElection, {
        log: this.log,
        metrics: this.metrics,
      });
      const elector = this.elector;
      this.client = this.directClient.withWriteGate((method, path) => {
        if (!elector.isLeader()) throw new NotLeaderError(`${method} ${path}`);
      });
    } else {
      this.client = this.directClient;
    }
    this.health = new HealthServer(this.metrics.registry);
    this.health.addReadyCheck('informers', () => {
      const waiting = [...this.informers.values()].filter((i) => !i.hasSynced());
      return waiting.length ? `waiting for ${waiting.map((i) => i.kind.kind).join(', ')} to sync` : undefined;
    });
  }

  /** A shared informer for kind in scope (one per kind+namespace+selectors). */
  informer<T extends KubeObject>(
    k: Kind<T>,
    scope: InformerScope & { indexers?: Record<string, IndexFunc<T>> } = {},
  ): Informer<T> {
    const namespace = scope.namespace ?? this.namespace;
    const key = JSON.stringify([
      k.apiVersion,
      k.kind,
      namespace ?? '',
      scope.labelSelector ?? '',
      scope.fieldSelector ?? '',
    ]);
    let inf = this.informers.get(key) as Informer<T> | undefined;
    if (!inf) {
      inf = new Informer<T>(this.client, {
        kind: k,
        namespace,
        labelSelector: scope.labelSelector,
        fieldSelector: scope.fieldSelector,
        resyncPeriodMs: this.options.resyncPeriodMs ?? 10 * 3600_000,
        indexers: scope.indexers,
        logger: this.log,
        backoff: this.options.informerBackoff,
      });
      this.informers.set(key, inf as unknown as Informer<KubeObject>);
      if (this.running) inf.start();
    } else if (scope.indexers) {
      for (const [name, fn] of Object.entries(scope.indexers)) inf.store.addIndexer(name, fn);
    }
    return inf;
  }

  /** Starts building a controller: mgr.controller('x').for(Kind).owns(Kind).complete(reconciler). */
  controller(name: string): ControllerBuilder {
    return new ControllerBuilder(this, name);
  }

  /** Runs r once the manager has started (and, if r needs leadership, once this process leads). */
  add(r: Runnable): void {
    const entry: Running = { runnable: r, stop: new AbortController(), abort: new AbortController() };
    this.runnables.push(entry);
    if (this.mayStart(entry)) this.startRunnable(entry);
  }

  /** An event recorder whose writes go through the leader-gated client. */
  eventRecorder(component = this.name): EventRecorder {
    const r = new EventRecorder(clientEventSink(this.client), {
      component,
      instance: this.elector?.identity,
      logger: this.log,
    });
    this.recorders.push(r);
    return r;
  }

  addHealthCheck(name: string, check: Check): void {
    this.health.addHealthCheck(name, check);
  }

  addReadyCheck(name: string, check: Check): void {
    this.health.addReadyCheck(name, check);
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  /**
   * Runs until stop() (or SIGTERM): resolves after a graceful shutdown,
   * rejects with LeaderElectionLostError if the lease is lost.
   */
  start(): Promise<void> {
    if (this.done) return this.done;
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    void this.doStart().catch((err) => this.fail(err instanceof Error ? err : new Error(String(err))));
    return this.done;
  }

  /** start(), then exit the process: 0 after a graceful stop, 1 on lost lease or failure. */
  async run(): Promise<never> {
    try {
      await this.start();
      this.log.info('stopped');
      process.exit(0);
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'manager failed');
      process.exit(1);
    }
  }

  private async doStart(): Promise<void> {
    this.running = true;
    if (this.options.handleSignals ?? true) this.installSignalHandlers();
    if (this.options.healthPort !== undefined) {
      const addr = await this.health.listen(this.options.healthPort, this.options.healthHost);
      this.log.info({ port: addr.port }, 'serving /healthz /readyz /metrics');
    }
    for (const inf of this.informers.values()) inf.start();
    for (const r of this.runnables) if (this.mayStart(r)) this.startRunnable(r);
    if (!this.elector) {
      this.startLeaderRunnables();
      return;
    }
    const outcome = await this.elector.run(this.electionAbort.signal, () => this.startLeaderRunnables());
    if (outcome === 'lost' && !this.stopping) {
      // Stop everything now. In-flight reconciles are told to abort and their
      // writes are refused by the write gate, so we wait for them only briefly.
      await Promise.race([this.stopRunnables(this.runnables, true), sleep(2000)]);
      await this.shutdownInfrastructure();
      this.fail(new LeaderElectionLostError());
    }
  }

  private mayStart(r: Running): boolean {
    return !r.done && this.running && (!needsLeader(r.runnable) || this.leading);
  }

  private startLeaderRunnables(): void {
    this.leading = true;
    for (const r of this.runnables) if (this.mayStart(r)) this.startRunnable(r);
  }

  private startRunnable(r: Running): void {
    const name = r.runnable.name;
    const log = this.log.child({ runnable: name });
    r.done = r.runnable.run({ stop: r.stop.signal, abort: r.abort.signal, log }).then(
      () => {
        if (!r.stop.signal.aborted) log.info('runnable returned before it was stopped');
      },
      (err) => {
        if (r.stop.signal.aborted) {
          log.warn({ err: errorMessage(err) }, 'runnable failed while stopping');
          return;
        }
        // Like controller-runtime: a runnable that fails takes the process down, so a restart recovers.
        log.error({ err: errorMessage(err) }, 'runnable failed');
        void this.failAfterStop(new Error(`${name}: ${errorMessage(err)}`));
      },
    );
  }

  /** Stops the given runnables (at once with abort) and waits for those that were started. */
  private async stopRunnables(list: readonly Running[], abort: boolean): Promise<void> {
    for (const r of list) {
      if (abort) r.abort.abort();
      r.stop.abort();
    }
    await Promise.all(list.map((r) => r.done));
  }

  private failAfterStop(err: Error): Promise<void> {
    this.failure ??= err;
    return this.stop();
  }

  /** Graceful stop (idempotent); start() resolves when it is done. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.log.info('shutting down: finishing in-flight reconciles');
    const timeoutMs = this.options.gracefulShutdownTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    // Leader-only runnables (the writers) first, then the rest, as controller-runtime does.
    const drained = this.stopRunnables(
      this.runnables.filter((r) => needsLeader(r.runnable)),
      false,
    )
      .then(() =>
        this.stopRunnables(
          this.runnables.filter((r) => !needsLeader(r.runnable)),
          false,
        ),
      )
      .then(() => 'drained' as const);
    if ((await Promise.race([drained, timedOut])) === 'timeout') {
      this.log.warn({ timeoutMs }, 'reconciles still running at shutdown timeout');
    }
    await Promise.race([Promise.all(this.recorders.map((r) => r.flush())), timedOut]);
    clearTimeout(timer);
    this.electionAbort.abort();
    await this.elector?.release();
    await this.shutdownInfrastructure();
    if (this.failure) this.settle?.reject(this.failure);
    else this.settle?.resolve();
  }

  private async shutdownInfrastructure(): Promise<void> {
    this.electionAbort.abort();
    for (const [sig, fn] of this.signalHandlers.splice(0)) process.off(sig, fn);
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    await this.health.close();
    await this.directClient.transport.close();
    this.running = false;
  }

  private fail(err: Error): void {
    this.settle?.reject(err);
  }

  private installSignalHandlers(): void {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const fn = () => {
        if (this.stopping) {
          this.log.warn({ signal: sig }, 'second signal, exiting now');
          process.exit(1);
        }
        this.log.info({ signal: sig }, 'signal received');
        void this.stop();
      };
      process.on(sig, fn);
      this.signalHandlers.push([sig, fn]);
    }
  }
}
