// Two kinds of backoff: per work-queue key (how long before retrying a failed
// reconcile), and a single jittered sequence for reconnect loops (watches,
// leader election), where jitter keeps many clients from retrying in step.

export interface KeyBackoffOptions {
  /** Delay after the first failure (ms). controller-runtime: 5 ms. */
  baseMs?: number;
  /** Ceiling (ms). controller-runtime: 1000 s. */
  maxMs?: number;
  factor?: number;
}

/** Per-key exponential backoff: base * factor^failures, capped, reset by forget(). */
export class KeyBackoff<K = string> {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly factor: number;
  private readonly failures = new Map<K, number>();

  constructor(options: KeyBackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 5;
    this.maxMs = options.maxMs ?? 1_000_000;
    this.factor = options.factor ?? 2;
  }

  /** The delay before the next retry of key; counts one more failure. */
  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = this.baseMs * this.factor ** n;
    return Number.isFinite(delay) ? Math.min(delay, this.maxMs) : this.maxMs;
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: K): void {
    this.failures.delete(key);
  }
}

export interface JitterBackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of the delay added at random: delay * (1 + jitter * random). */
  jitter?: number;
  random?: () => number;
}

/** A jittered exponential sequence for retry loops; reset() after a success. */
export class JitterBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: JitterBackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.random = options.random ?? Math.random;
  }

  next(): number {
    const base = Math.min(this.initialMs * this.factor ** this.attempt, this.maxMs);
    this.attempt++;
    return base * (1 + this.jitter * this.random());
  }

  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** jitter(d, f): a duration in [d, d*(1+f)), as client-go's wait.Jitter. */
export function jitter(durationMs: number, factor: number, random: () => number = Math.random): number {
  return durationMs * (1 + factor * random());
}

/** Resolves after ms, or early (without throwing) when signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
