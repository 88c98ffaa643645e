// Kubernetes Events (core/v1) about our objects, written the way client-go's
// record package writes them: every event goes through an EventCorrelator
// (event-correlator.ts: similar events combined, identical ones counted, a
// spam filter per object), then one writer per recorder sends the survivors
// in order: a create, or a patch of count/lastTimestamp/message (a create
// again if the Event expired meanwhile). Recording never blocks or fails a
// reconcile: write errors are logged; only errors that may pass (network,
// API server away) are retried, up to 12 tries 10 s apart, like client-go.
import { hostname } from 'node:os';
import type { Client } from './client.ts';
import { ApiError, errorMessage, isNotFound, NotLeaderError } from './errors.ts';
import {
  type CoreEvent,
  type CorrelatorOptions,
  EventCorrelator,
  type EventPatch,
  type EventType,
  eventName,
  eventTime,
} from './event-correlator.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { KubeObject } from './types.ts';

export {
  type CoreEvent,
  type CorrelatorOptions,
  EventCorrelator,
  type EventPatch,
  type EventType,
  eventKey,
} from './event-correlator.ts';

/** Where events go: the API server in production, a recording function in unit tests. */
export interface EventSink {
  /** Creates the Event; returns what the server stored (or nothing: then the event as sent counts). */
  create(event: CoreEvent): Promise<CoreEvent | undefined>;
  /** Patches an existing Event; rejects with 404 if it expired. */
  patch(namespace: string, name: string, patch: EventPatch): Promise<CoreEvent | undefined>;
}

export function clientEventSink(client: Client): EventSink {
  return {
    async create(event) {
      return await client.create(event);
    },
    async patch(namespace, name, patch) {
      return (await client.patch(
        { apiVersion: 'v1', kind: 'Event' },
        { namespace, name },
        patch,
        'merge',
      )) as CoreEvent;
    },
  };
}

export interface EventRecorderOptions {
  /** Reporting component (the Event's source.component), e.g. the controller's name. */
  component: string;
  /** Reporting instance (default: hostname). */
  instance?: string;
  logger?: Logger;
  /** Correlation settings (defaults: client-go's); `now` is also the clock of timestamps. */
  correlator?: CorrelatorOptions;
  /** Tries per event when the API server cannot be reached (default 12, client-go's). */
  maxTries?: number;
  /** Pause between those tries (default 10 s; the first is randomized). */
  retrySleepMs?: number;
  /** Events waiting to be written beyond this are dropped (default 1000, client-go's queue). */
  maxQueued?: number;
}

interface Write {
  event: CoreEvent;
  patch?: EventPatch;
}

export class EventRecorder {
  private readonly sink: EventSink;
  private readonly component: string;
  private readonly instance: string;
  private readonly log: Logger;
  private readonly correlator: EventCorrelator;
  private readonly now: () => Date;
  private readonly maxTries: number;
  private readonly retrySleepMs: number;
  private readonly maxQueued: number;
  private readonly queue: Write[] = [];
  private writing: Promise<void> | undefined;
  /** Counters for tests and debugging: events recorded, dropped by the filter, written, failed. */
  readonly stats = { recorded: 0, skipped: 0, created: 0, patched: 0, dropped: 0, failed: 0 };

  constructor(sink: EventSink, options: EventRecorderOptions) {
    this.sink = sink;
    this.component = options.component;
    this.instance = options.instance ?? hostname();
    this.log = (options.logger ?? silentLogger()).child({ eventRecorder: options.component });
    this.correlator = new EventCorrelator(options.correlator);
    this.now = options.correlator?.now ?? (() => new Date());
    this.maxTries = options.maxTries ?? 12;
    this.retrySleepMs = options.retrySleepMs ?? 10_000;
    this.maxQueued = options.maxQueued ?? 1000;
  }

  normal(obj: KubeObject, reason: string, message: string, action?: string): void {
    this.event(obj, 'Normal', reason, message, action);
  }

  warning(obj: KubeObject, reason: string, message: string, action?: string): void {
    this.event(obj, 'Warning', reason, message, action);
  }

  /** Records an event about obj (fire and forget; see flush()). */
  event(obj: KubeObject, type: EventType, reason: string, message: string, action?: string): void {
    this.stats.recorded++;
    // Every event reaches the log (debug, as controller-runtime's recorder does), even one the filter drops.
    const m = obj.metadata ?? {};
    this.log.debug(
      { type, reason, object: `${obj.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}` },
      message,
    );
    const result = this.correlator.correlate(this.makeEvent(obj, type, reason, message, action));
    if (result.skip) {
      this.stats.skipped++;
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.stats.dropped++;
      this.log.warn({ reason }, 'event queue full, dropping event');
      return;
    }
    this.queue.push({ event: result.event, patch: result.patch });
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
  }

  /** Waits for every event recorded so far to be written (or to fail). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private makeEvent(
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    action: string | undefined,
  ): CoreEvent {
    const now = this.now();
    const ts = eventTime(now);
    const m = obj.metadata ?? {};
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName(m.name ?? '', now), namespace: m.namespace || 'default' },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      reason,
      message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
      type,
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
      action,
    };
  }

  /** One write at a time, in order: a patch must never overtake the create it counts onto. */
  private async drain(): Promise<void> {
    for (let w = this.queue.shift(); w; w = this.queue.shift()) {
      for (let tries = 1; ; tries++) {
        try {
          await this.write(w);
          break;
        } catch (err) {
          // Only an unreachable API server is worth waiting for; a refused write stays refused.
          const refused = err instanceof ApiError || err instanceof NotLeaderError;
          const retry = !refused && tries < this.maxTries;
          if (!retry) {
            this.stats.failed++;
            this.log.warn({ err: errorMessage(err), reason: w.event.reason }, 'could not record event');
            break;
          }
          const ms = tries === 1 ? this.retrySleepMs * Math.random() : this.retrySleepMs;
          await new Promise((r) => setTimeout(r, ms).unref());
        }
      }
    }
  }

  private async write({ event, patch }: Write): Promise<void> {
    const namespace = event.metadata?.namespace ?? 'default';
    const name = event.metadata?.name ?? '';
    if (patch) {
      try {
        const out = await this.sink.patch(namespace, name, patch);
        this.stats.patched++;
        this.correlator.updateState(out ?? event);
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // The Event expired (its TTL is an hour by default): create it again, count and all.
      }
    }
    const { resourceVersion: _rv, ...metadata } = event.metadata ?? {};
    const out = await this.sink.create({ ...event, metadata });
    this.stats.created++;
    this.correlator.updateState(out ?? event);
  }
}
