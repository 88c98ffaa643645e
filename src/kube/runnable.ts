// Anything the manager runs: a controller, a peer pool, a refresh scheduler,
// a server. The manager starts every runnable once its caches are started
// (those that need leadership only once this process leads) and stops them on
// SIGTERM or when the lease is lost. A runnable does its work until
// `ctx.stop` is aborted, then finishes what is in flight and resolves.
import type { Logger } from './logger.ts';

export interface RunnableContext {
  /** Aborted when the runnable should stop: take no new work, finish what is in flight, resolve. */
  stop: AbortSignal;
  /** Aborted when in-flight work must be abandoned at once (leadership lost; writes are refused anyway). */
  abort: AbortSignal;
  /** The manager's logger, with the runnable's name. */
  log: Logger;
}

export interface Runnable {
  /** For logs and errors, e.g. "clusterregistry-peers". */
  readonly name: string;
  /**
   * True (the default) when only the lease holder may run it: anything that
   * writes. False for work every replica does (serving, warming caches).
   */
  readonly needsLeaderElection?: boolean;
  /**
   * Runs until ctx.stop is aborted, then resolves once stopped. A rejection
   * before the manager stops means the process cannot do its job: the
   * manager stops everything and fails.
   */
  run(ctx: RunnableContext): Promise<void>;
}

/** A runnable from a name and a function, for small jobs that need no class. */
export function runnable(
  name: string,
  run: (ctx: RunnableContext) => Promise<void>,
  options: { needsLeaderElection?: boolean } = {},
): Runnable {
  return { name, run, needsLeaderElection: options.needsLeaderElection ?? true };
}

/** Resolves when signal is aborted (at once if it already is). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Closes a resource (a client pool, a connection) when the manager stops, on
 * every replica: what the process opened is released whether or not it leads.
 */
export function closeOnStop(name: string, resource: { close(): Promise<void> }): Runnable {
  return runnable(
    name,
    async (ctx) => {
      await untilAborted(ctx.stop);
      await resource.close();
    },
    { needsLeaderElection: false },
  );
}
