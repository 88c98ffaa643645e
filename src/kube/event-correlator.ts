// What keeps Events quiet: client-go's EventCorrelator (tools/record/
// events_cache.go), pure logic with an injected clock. Every event passes
// three steps, in client-go's order:
//
//   1. aggregate: events that differ only by message (same source, involved
//      object, type, reason) are "similar"; from the 10th distinct message
//      within 10 minutes on, they go into ONE event whose message is
//      "(combined from similar events): <latest message>";
//   2. count: an event identical to one already written bumps that Event's
//      count and lastTimestamp (a patch) instead of creating another object;
//   3. spam filter: a token bucket per source+object (burst 25, one more
//      every 5 minutes) drops what is left over; counts still go up, so the
//      next write that passes reports the true total.
//
// State lives in LRU caches (4,096 entries each), so it stays bounded.
import { LruCache } from './lru-cache.ts';
import { TokenBucket } from './token-bucket.ts';
import type { KubeObject } from './types.ts';

export type EventType = 'Normal' | 'Warning';

/** A core/v1 Event as client-go's record package writes it. */
export interface CoreEvent extends KubeObject {
  involvedObject: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    fieldPath?: string;
  };
  reason: string;
  message: string;
  type: EventType;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source: { component: string; host?: string };
  reportingComponent: string;
  reportingInstance: string;
  action?: string;
}

/** What changes on an Event that is counted again (client-go's two-way merge patch holds these). */
export interface EventPatch {
  count: number;
  lastTimestamp: string;
  message: string;
}

export type CorrelateResult =
  /** Dropped by the spam filter. */
  | { skip: true }
  /** Write event: create it, or apply patch to the Event of that name (create it if it is gone). */
  | { skip: false; event: CoreEvent; patch?: EventPatch };

export interface CorrelatorOptions {
  /** Entries of each state cache (default 4096). */
  lruCacheSize?: number;
  /** Events a source may send about one object at once (default 25). */
  burst?: number;
  /** Refill of that budget per second (default 1/300: one every 5 minutes). */
  qps?: number;
  /** Distinct similar messages in the interval before they are combined (default 10). */
  maxEvents?: number;
  /** A similar event older than this starts a fresh count (default 600 s). */
  maxIntervalSeconds?: number;
  /** The prefix of a combined event's message (default client-go's). */
  messageFunc?: (event: CoreEvent) => string;
  now?: () => Date;
}

export const DEFAULT_CORRELATOR = {
  lruCacheSize: 4096,
  burst: 25,
  qps: 1 / 300,
  maxEvents: 10,
  maxIntervalSeconds: 600,
} as const;

const SEP = '\u0000';

function objectPart(e: CoreEvent): string[] {
  const o = e.involvedObject;
  return [
    e.source.component,
    e.source.host ?? '',
    o.kind ?? '',
    o.namespace ?? '',
    o.name ?? '',
    o.uid ?? '',
    o.apiVersion ?? '',
  ];
}

/** Identical events share this key (client-go getEventKey). */
export function eventKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return [...objectPart(e), o.fieldPath ?? '', e.type, e.reason, e.message].join(SEP);
}

/** The spam filter's bucket: one per source + involved object (client-go getSpamKey). */
export function spamKey(e: CoreEvent): string {
  return objectPart(e).join(SEP);
}

/** Similar events share this key; the message tells them apart (client-go EventAggregatorByReasonFunc). */
export function aggregateKey(e: CoreEvent): { aggregate: string; local: string } {
  return {
    aggregate: [...objectPart(e), e.type, e.reason, e.reportingComponent, e.reportingInstance].join(SEP),
    local: e.message,
  };
}

export function combinedMessage(e: CoreEvent): string {
  return `(combined from similar events): ${e.message}`;
}

/** metav1.Time's wire format: RFC 3339 in whole seconds. */
export function eventTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

let lastNanos = 0n;
/** client-go names an Event "<object>.<hex UnixNano>"; unique within this process. */
export function eventName(objectName: string, now: Date): string {
  let nanos = BigInt(now.getTime()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (nanos <= lastNanos) nanos = lastNanos + 1n;
  lastNanos = nanos;
  return `${objectName.slice(0, 253 - 17)}.${nanos.toString(16)}`;
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastMs: number;
}

interface EventLog {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion?: string;
}

export class EventCorrelator {
  private readonly now: () => Date;
  private readonly burst: number;
  private readonly qps: number;
  private readonly maxEvents: number;
  private readonly maxIntervalMs: number;
  private readonly messageFunc: (event: CoreEvent) => string;
  private readonly aggregates: LruCache<string, AggregateRecord>;
  private readonly logs: LruCache<string, EventLog>;
  private readonly buckets: LruCache<string, TokenBucket>;

  constructor(options: CorrelatorOptions = {}) {
    const size = options.lruCacheSize ?? DEFAULT_CORRELATOR.lruCacheSize;
    this.now = options.now ?? (() => new Date());
    this.burst = options.burst ?? DEFAULT_CORRELATOR.burst;
    this.qps = options.qps ?? DEFAULT_CORRELATOR.qps;
    this.maxEvents = options.maxEvents ?? DEFAULT_CORRELATOR.maxEvents;
    this.maxIntervalMs = (options.maxIntervalSeconds ?? DEFAULT_CORRELATOR.maxIntervalSeconds) * 1000;
    this.messageFunc = options.messageFunc ?? combinedMessage;
    this.aggregates = new LruCache(size);
    this.logs = new LruCache(size);
    this.buckets = new LruCache(size);
  }

  /** Decides what to write for a new event (aggregate, count, filter). */
  correlate(event: CoreEvent): CorrelateResult {
    const now = this.now();
    const { event: aggregated, key } = this.aggregate(event, now);
    const { event: observed, patch } = this.observe(aggregated, key);
    if (!this.allow(observed, now.getTime())) return { skip: true };
    return { skip: false, event: observed, patch };
  }

  /** Remembers what the server returned (name, count, resourceVersion) after a successful write. */
  updateState(written: CoreEvent): void {
    this.logs.set(eventKey(written), {
      count: written.count,
      firstTimestamp: written.firstTimestamp,
      name: written.metadata?.name ?? '',
      resourceVersion: written.metadata?.resourceVersion,
    });
  }

  private aggregate(event: CoreEvent, now: Date): { event: CoreEvent; key: string } {
    const { aggregate, local } = aggregateKey(event);
    const nowMs = now.getTime();
    let record = this.aggregates.get(aggregate);
    if (!record || nowMs - record.lastMs > this.maxIntervalMs) record = { localKeys: new Set(), lastMs: 0 };
    record.localKeys.add(local);
    record.lastMs = nowMs;
    this.aggregates.set(aggregate, record);
    if (record.localKeys.size < this.maxEvents) return { event, key: eventKey(event) };
    // Keep the set below the threshold, so every further distinct message is combined too.
    record.localKeys.delete(record.localKeys.values().next().value as string);
    const ts = eventTime(now);
    const combined: CoreEvent = {
      ...event,
      metadata: {
        name: eventName(event.involvedObject.name ?? '', now),
        namespace: event.metadata?.namespace,
      },
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      message: this.messageFunc(event),
    };
    // The aggregate key, not the event's own, so later combined events count onto this one.
    return { event: combined, key: aggregate };
  }

  private observe(event: CoreEvent, key: string): { event: CoreEvent; patch?: EventPatch } {
    const last = this.logs.get(key);
    let out = event;
    let patch: EventPatch | undefined;
    if (last && last.count > 0) {
      out = {
        ...event,
        metadata: { ...event.metadata, name: last.name, resourceVersion: last.resourceVersion },
        firstTimestamp: last.firstTimestamp,
        count: last.count + 1,
      };
      patch = { count: out.count, lastTimestamp: out.lastTimestamp, message: out.message };
    }
    this.logs.set(key, {
      count: out.count,
      firstTimestamp: out.firstTimestamp,
      name: out.metadata?.name ?? '',
      resourceVersion: out.metadata?.resourceVersion,
    });
    return { event: out, patch };
  }

  private allow(event: CoreEvent, nowMs: number): boolean {
    const key = spamKey(event);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.burst, this.qps, nowMs);
      this.buckets.set(key, bucket);
    }
    return bucket.tryAccept(nowMs);
  }
}
