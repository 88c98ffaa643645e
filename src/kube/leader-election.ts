// Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules:
// - a candidate takes the lease when it is free, released (no holder) or not
//   renewed for leaseDuration, as measured on OUR monotonic clock from when we
//   last saw it change (so clock skew between machines does not matter);
// - the leader renews every retryPeriod; if it cannot renew for renewDeadline
//   (< leaseDuration), it has lost, before anyone else may take over;
// - every write is an update with resourceVersion, so two candidates racing
//   for the lease cannot both win (409 for the loser).
// isLeader() is also a fence: it turns false as soon as our last renewal is
// older than renewDeadline, even if the renew loop has not noticed yet (a
// process that was paused, or starved), so the write gate refuses writes.
import { hostname } from 'node:os';
import { sleep } from './backoff.ts';
import type { Client } from './client.ts';
import { errorMessage, isAlreadyExists, isConflict, isNotFound } from './errors.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { type Lease, Leases } from './types.ts';

export interface LeaderElectionOptions {
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease. */
  name: string;
  /** Unique per process (default hostname_pid_random). */
  identity?: string;
  /** How long a lease is valid without renewal (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before giving up (default 10 s). */
  renewDeadlineMs?: number;
  /** Interval between attempts (default 2 s). */
  retryPeriodMs?: number;
}

export type ElectionOutcome = 'lost' | 'stopped';

/** MicroTime as the API server wants it: RFC 3339 with exactly 6 fractional digits. */
export function microTime(date = new Date()): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

export class LeaderElector {
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  private readonly options: LeaderElectionOptions;
  private readonly client: Client;
  private readonly log: Logger;
  private readonly metrics: RuntimeMetrics | undefined;
  private leading = false;
  private lastRenewAt = Number.NEGATIVE_INFINITY;
  /** The last lease we read or wrote, and when (monotonic) we saw it change. */
  private observed: Lease | undefined;
  private observedAt = 0;
  /** The lease request in flight, if any: release() must not race it. */
  private attempt: Promise<boolean> | undefined;

  constructor(
    client: Client,
    options: LeaderElectionOptions,
    extras: { log?: Logger; metrics?: RuntimeMetrics } = {},
  ) {
    this.client = client;
    this.options = options;
    this.identity =
      options.identity ?? `${hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new Error('renewDeadline must be shorter than leaseDuration');
    if (this.retryPeriodMs * 1.2 >= this.renewDeadlineMs)
      throw new Error('retryPeriod*1.2 must be shorter than renewDeadline');
    this.log = (extras.log ?? silentLogger()).child({
      lease: `${options.namespace}/${options.name}`,
      identity: this.identity,
    });
    this.metrics = extras.metrics;
    this.setGauge(0);
  }

  /** True while we hold the lease AND renewed it less than renewDeadline ago. */
  isLeader(): boolean {
    return this.leading && performance.now() - this.lastRenewAt < this.renewDeadlineMs;
  }

  /**
   * Campaigns until we lead, calls onStartedLeading, then renews until the
   * lease is lost ('lost') or signal aborts ('stopped'; the caller releases).
   */
  async run(signal: AbortSignal, onStartedLeading: () => void): Promise<ElectionOutcome> {
    this.log.info('waiting to acquire leader lease');
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) break;
      await sleep(this.retryPeriodMs * (1 + 0.2 * Math.random()), signal);
    }
    if (signal.aborted) return 'stopped';
    this.leading = true;
    this.setGauge(1);
    this.log.info('acquired leader lease');
    onStartedLeading();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) break;
      if (!(await this.renew(signal))) {
        this.leading = false;
        this.setGauge(0);
        this.log.error('leader lease lost');
        return 'lost';
      }
    }
    return 'stopped';
  }

  /** Gives the lease up so a standby can take over at once (graceful shutdown). */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.setGauge(0);
    // A renewal sent just before the stop would land after our release and
    // re-take the lease (or make our update conflict): let it finish first.
    await this.attempt;
    for (let tries = 0; tries < 2; tries++) {
      const lease = tries === 0 ? this.observed : await this.reread();
      if (!lease || lease.spec?.holderIdentity !== this.identity) return;
      const now = microTime();
      try {
        await this.client.update<Lease>(
          {
            ...lease,
            spec: {
              leaseTransitions: lease.spec?.leaseTransitions,
              leaseDurationSeconds: 1,
              acquireTime: now,
              renewTime: now,
            },
          },
          { signal: AbortSignal.timeout(5_000) },
        );
        this.log.info('released leader lease');
        return;
      } catch (err) {
        if (isConflict(err) && tries === 0) continue; // our copy was stale: read and try once more
        this.log.warn({ err: errorMessage(err) }, 'could not release leader lease');
        return;
      }
    }
  }

  private async reread(): Promise<Lease | undefined> {
    try {
      return await this.client.getIfExists(
        Leases,
        { namespace: this.options.namespace, name: this.options.name },
        AbortSignal.timeout(5_000),
      );
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'could not read leader lease to release it');
      return undefined;
    }
  }

  /** Retries renewal until it works or renewDeadline has passed since the last success. */
  private async renew(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (performance.now() - this.lastRenewAt >= this.renewDeadlineMs) return false;
      if (await this.tryAcquireOrRenew()) return true;
      if (
        this.observed &&
        this.holder(this.observed) !== this.identity &&
        this.holder(this.observed) !== ''
      ) {
        return false; // someone else holds it: no point retrying
      }
      await sleep(this.retryPeriodMs / 2, signal);
      if (signal.aborted) return true;
    }
  }

  private holder(lease: Lease): string {
    return lease.spec?.holderIdentity ?? '';
  }

  private tryAcquireOrRenew(): Promise<boolean> {
    const attempt = this.acquireOrRenewOnce();
    this.attempt = attempt;
    return attempt;
  }

  private async acquireOrRenewOnce(): Promise<boolean> {
    const key = { namespace: this.options.namespace, name: this.options.name };
    const now = microTime();
    const startedAt = performance.now();
    const durationSeconds = Math.max(1, Math.ceil(this.leaseDurationMs / 1000));
    const timeout = AbortSignal.timeout(Math.max(1000, this.renewDeadlineMs / 2));
    let lease: Lease | undefined;
    try {
      lease = await this.client.getIfExists(Leases, key, timeout);
      if (!lease) {
        const created = await this.client.create<Lease>(
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: key.name, namespace: key.namespace },
            spec: {
              holderIdentity: this.identity,
              leaseDurationSeconds: durationSeconds,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: 0,
            },
          },
          { signal: timeout },
        );
        this.observe(created);
        this.lastRenewAt = startedAt;
        return true;
      }
      this.observe(lease);
      const holder = this.holder(lease);
      const spec = lease.spec ?? {};
      const validFor = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
      if (holder !== '' && holder !== this.identity && performance.now() - this.observedAt < validFor) {
        return false; // held by someone else, and not expired
      }
      const iHeldIt = holder === this.identity;
      const updated = await this.client.update<Lease>(
        {
          ...lease,
          spec: {
            holderIdentity: this.identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: iHeldIt ? spec.acquireTime : now,
            renewTime: now,
            leaseTransitions: (spec.leaseTransitions ?? 0) + (iHeldIt ? 0 : 1),
          },
        },
        { signal: timeout },
      );
      this.observe(updated);
      this.lastRenewAt = startedAt;
      return true;
    } catch (err) {
      if (!isConflict(err) && !isAlreadyExists(err) && !isNotFound(err)) {
        this.log.warn({ err: errorMessage(err) }, 'leader lease request failed');
      }
      return false;
    }
  }

  private observe(lease: Lease): void {
    const prev = this.observed?.spec;
    const next = lease.spec;
    if (
      !prev ||
      prev.holderIdentity !== next?.holderIdentity ||
      prev.renewTime !== next?.renewTime ||
      prev.leaseDurationSeconds !== next?.leaseDurationSeconds
    ) {
      this.observedAt = performance.now();
    }
    this.observed = lease;
  }

  private setGauge(v: number): void {
    this.metrics?.leaderElectionStatus.set({ name: this.options.name }, v);
  }
}
