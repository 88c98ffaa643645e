// An informer keeps a local cache of one kind (optionally one namespace and
// selector) in sync with the API server and tells handlers what changed:
//
//   list (consistent, paginated) -> cache + handlers -> watch from the list's
//   resourceVersion (with bookmarks, so resuming after a quiet period does not
//   hit 410) -> each event updates the cache, then the handlers
//
// and it never gives up: a watch that the server closes is resumed from the
// last resourceVersion; 410 Gone (history compacted) triggers a relist that
// also reports deletes that happened meanwhile; any other error (API server
// down, RBAC, network) is retried with jittered exponential backoff. Each
// object passes the informer's transform before it is cached or handed on
// (default stripForCache, cache-transform.ts: no Update managedFields, no
// last-applied annotation).
import { JitterBackoff, type JitterBackoffOptions, sleep } from './backoff.ts';
import { type CacheTransform, stripForCache } from './cache-transform.ts';
import type { Client } from './client.ts';
import { errorMessage, isGone } from './errors.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import { type IndexFunc, Store } from './store.ts';
import { type Kind, type KubeObject, objectKey, type Request, requestKey } from './types.ts';
import { watchOnce } from './watch.ts';

export interface InformerOptions<T extends KubeObject> {
  kind: Kind<T>;
  /** Only this namespace (default: all namespaces). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every cached object as an update this often (0 = never). controller-runtime: 10 h. */
  resyncPeriodMs?: number;
  /** Objects per list page (default 500). */
  pageSize?: number;
  indexers?: Record<string, IndexFunc<T>>;
  logger?: Logger;
  /** Reconnect backoff (default 250 ms doubling to 15 s, +50% jitter). */
  backoff?: JitterBackoffOptions;
  /** Base server-side watch timeout; each watch uses a random value in [t, 2t). Default 300 s. */
  watchTimeoutSeconds?: number;
  /**
   * What is kept of each object (client-go SetTransform); may edit it in place.
   * Default stripForCache; keepWhole keeps everything.
   */
  transform?: CacheTransform<T>;
}

export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export class Informer<T extends KubeObject = KubeObject> {
  readonly kind: Kind<T>;
  readonly options: InformerOptions<T>;
  readonly store: Store<T>;
  /** Counters a test or a debug endpoint can look at. */
  readonly stats = { lists: 0, watches: 0, gone: 0, errors: 0, events: 0 };
  private readonly client: Client;
  private readonly log: Logger;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly backoff: JitterBackoff;
  private readonly transform: CacheTransform<T>;
  private resourceVersion = '';
  private synced = false;
  private readonly syncWaiters: ((ok: boolean) => void)[] = [];
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private resyncTimer: ReturnType<typeof setInterval> | undefined;

  constructor(client: Client, options: InformerOptions<T>) {
    this.client = client;
    this.kind = options.kind;
    this.options = options;
    this.store = new Store<T>(options.indexers);
    this.log = (options.logger ?? silentLogger()).child({
      informer: `${options.kind.kind}.${options.kind.apiVersion}`,
      namespace: options.namespace,
      labelSelector: options.labelSelector,
    });
    this.backoff = new JitterBackoff({ initialMs: 250, maxMs: 15_000, ...options.backoff });
    this.transform = options.transform ?? stripForCache;
  }

  /**
   * Registers a handler. One added after the initial sync first gets an add
   * for every cached object, so it sees the same world as earlier handlers.
   * Returns a function that removes it.
   */
  addHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) for (const obj of this.store.list()) this.call(handler, 'onAdd', obj);
    return () => this.handlers.delete(handler);
  }

  /** Starts listing and watching in the background (idempotent). */
  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.run(this.abort.signal);
    const period = this.options.resyncPeriodMs ?? 0;
    if (period > 0) this.resyncTimer = setInterval(() => this.resync(), period);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.running;
    this.running = undefined;
    for (const w of this.syncWaiters.splice(0)) w(false);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is in the cache, false if stopped (or signal aborted) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push((ok) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      });
    });
  }

  get(key: string | Request): T | undefined {
    return this.store.get(typeof key === 'string' ? key : requestKey(key));
  }

  list(): T[] {
    return this.store.list();
  }

  byIndex(indexName: string, value: string): T[] {
    return this.store.byIndex(indexName, value);
  }

  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist(signal);
          needList = false;
          this.backoff.reset();
        }
        const started = performance.now();
        const before = this.stats.events;
        this.stats.watches++;
        await watchOnce<T>(
          this.client.transport,
          {
            path: await this.client.collectionPath(this.kind, this.options.namespace),
            resourceVersion: this.resourceVersion,
            labelSelector: this.options.labelSelector,
            fieldSelector: this.options.fieldSelector,
            timeoutSeconds: Math.floor((this.options.watchTimeoutSeconds ?? 300) * (1 + Math.random())),
            signal,
          },
          (event) => this.onWatchEvent(event.type, event.object),
        );
        // A normal end (server timeout): resume at once, unless the stream
        // closes instantly and empty, which would otherwise spin.
        if (this.stats.events > before || performance.now() - started > 1000) this.backoff.reset();
        else await sleep(this.backoff.next(), signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          // History compacted past our resourceVersion: only a relist can catch up.
          this.stats.gone++;
          this.log.info({ resourceVersion: this.resourceVersion }, 'watch expired (410), relisting');
          needList = true;
          continue;
        }
        this.stats.errors++;
        const delay = this.backoff.next();
        this.log.warn(
          { err: errorMessage(err), retryInMs: Math.round(delay), relist: needList },
          needList ? 'list failed, retrying' : 'watch failed, retrying',
        );
        await sleep(delay, signal);
      }
    }
  }

  /** Replaces the cache with a fresh list; handlers see adds, updates and the deletes we missed. */
  private async relist(signal: AbortSignal): Promise<void> {
    this.stats.lists++;
    const { items, resourceVersion } = await this.client.listAll(this.kind, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      pageSize: this.options.pageSize ?? 500,
      signal,
    });
    if (signal.aborted) return;
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.transform(item);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.set(obj);
      if (!old) this.notify('onAdd', obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion)
        this.notify('onUpdate', old, obj);
    }
    for (const key of [...this.store.keys()]) {
      if (seen.has(key)) continue;
      const gone = this.store.delete(key);
      if (gone) this.notify('onDelete', gone);
    }
    this.resourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      this.log.debug({ objects: items.length, resourceVersion }, 'synced');
      for (const w of this.syncWaiters.splice(0)) w(true);
    }
  }

  private onWatchEvent(type: string, received: T): void {
    this.stats.events++;
    const rv = received.metadata?.resourceVersion;
    if (type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    const obj = this.transform(received);
    if (type === 'ADDED' || type === 'MODIFIED') {
      const old = this.store.set(obj);
      if (old) this.notify('onUpdate', old, obj);
      else this.notify('onAdd', obj);
    } else if (type === 'DELETED') {
      this.store.delete(objectKey(obj));
      this.notify('onDelete', obj);
    }
    if (rv) this.resourceVersion = rv;
  }

  private resync(): void {
    if (!this.synced) return;
    for (const obj of this.store.list()) this.notify('onUpdate', obj, obj);
  }

  private notify(what: 'onAdd' | 'onDelete', obj: T): void;
  private notify(what: 'onUpdate', old: T, obj: T): void;
  private notify(what: keyof EventHandler<T>, a: T, b?: T): void {
    for (const h of this.handlers) this.call(h, what, a, b);
  }

  private call(h: EventHandler<T>, what: keyof EventHandler<T>, a: T, b?: T): void {
    try {
      if (what === 'onUpdate') h.onUpdate?.(a, b as T);
      else h[what]?.(a);
    } catch (err) {
      // A faulty handler must not break the cache for everyone else.
      this.log.error({ err: errorMessage(err) }, `event handler ${what} threw`);
    }
  }
}
