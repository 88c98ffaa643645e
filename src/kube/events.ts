// Kubernetes Events (core/v1) about our objects, with aggregation: the same
// type+reason+message about the same object bumps the count and lastTimestamp
// of the existing Event instead of creating another one, so a controller that
// retries a failure every few seconds does not flood etcd. Recording never
// blocks or fails a reconcile; write errors are logged.
import { randomBytes } from 'node:crypto';
import type { Client } from './client.ts';
import { errorMessage, isNotFound } from './errors.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { KubeObject } from './types.ts';

export type EventType = 'Normal' | 'Warning';

export interface CoreEvent extends KubeObject {
  involvedObject: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
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

/** Where events go: the API server in production, a recording function in unit tests. */
export interface EventSink {
  create(event: CoreEvent): Promise<void>;
  /** Bumps count/lastTimestamp of an existing event; rejects with 404 if it expired. */
  bump(namespace: string, name: string, count: number, lastTimestamp: string): Promise<void>;
}

export function clientEventSink(client: Client): EventSink {
  return {
    async create(event) {
      await client.create(event);
    },
    async bump(namespace, name, count, lastTimestamp) {
      await client.patch(
        { apiVersion: 'v1', kind: 'Event' },
        { namespace, name },
        { count, lastTimestamp },
        'merge',
      );
    },
  };
}

/** Events with the same key are aggregated into one Event object. */
export function eventKey(
  obj: KubeObject,
  type: EventType,
  reason: string,
  message: string,
  component: string,
): string {
  const m = obj.metadata ?? {};
  return JSON.stringify([
    obj.apiVersion,
    obj.kind,
    m.namespace ?? '',
    m.name,
    m.uid,
    type,
    reason,
    message,
    component,
  ]);
}

interface Aggregate {
  namespace: string;
  name: string;
  count: number;
}

export interface EventRecorderOptions {
  /** Reporting component, e.g. the controller's name. */
  component: string;
  /** Reporting instance (default hostname-like identity). */
  instance?: string;
  logger?: Logger;
  /** How many distinct events to remember for aggregation (default 4096, LRU). */
  cacheSize?: number;
  now?: () => Date;
}

export class EventRecorder {
  private readonly sink: EventSink;
  private readonly component: string;
  private readonly instance: string;
  private readonly log: Logger;
  private readonly cacheSize: number;
  private readonly now: () => Date;
  /** key -> the Event object we created for it (Map order = recency, for LRU). */
  private readonly seen = new Map<string, Aggregate>();
  /** key -> tail of the writes for that key, so count bumps apply in order. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(sink: EventSink, options: EventRecorderOptions) {
    this.sink = sink;
    this.component = options.component;
    this.instance = options.instance ?? `${options.component}-${process.pid}`;
    this.log = (options.logger ?? silentLogger()).child({ eventRecorder: options.component });
    this.cacheSize = options.cacheSize ?? 4096;
    this.now = options.now ?? (() => new Date());
  }

  normal(obj: KubeObject, reason: string, message: string, action?: string): void {
    this.event(obj, 'Normal', reason, message, action);
  }

  warning(obj: KubeObject, reason: string, message: string, action?: string): void {
    this.event(obj, 'Warning', reason, message, action);
  }

  /** Records an event about obj (fire and forget; see flush()). */
  event(obj: KubeObject, type: EventType, reason: string, message: string, action?: string): void {
    const key = eventKey(obj, type, reason, message, this.component);
    const write = (this.pending.get(key) ?? Promise.resolve())
      .then(() => this.write(key, obj, type, reason, message, action))
      .catch((err) => this.log.warn({ err: errorMessage(err), reason }, 'could not record event'));
    this.pending.set(key, write);
    void write.finally(() => {
      if (this.pending.get(key) === write) this.pending.delete(key);
    });
  }

  /** Waits for every event recorded so far to be written (or to fail). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }

  private async write(
    key: string,
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    action: string | undefined,
  ): Promise<void> {
    const now = this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const agg = this.seen.get(key);
    if (agg) {
      this.seen.delete(key);
      this.seen.set(key, agg); // most recently used
      try {
        await this.sink.bump(agg.namespace, agg.name, agg.count + 1, now);
        agg.count++;
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.seen.delete(key); // the Event expired (TTL): start a new one
      }
    }
    const m = obj.metadata ?? {};
    const namespace = m.namespace || 'default';
    const name = `${m.name}.${randomBytes(8).toString('hex')}`;
    await this.sink.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      reason,
      message: message.slice(0, 1024),
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
      action,
    });
    this.seen.set(key, { namespace, name, count: 1 });
    while (this.seen.size > this.cacheSize) this.seen.delete(this.seen.keys().next().value as string);
  }
}
