// The client every controller uses to read and write the API server, for any
// kind (built-in or CRD) through the RESTMapper. Writes prefer server-side
// apply with our field manager; status goes through the status subresource.

import { JitterBackoff, sleep } from './backoff.ts';
import type { ClusterAccess } from './cluster-access.ts';
import { isConflict, isGone, isNotFound } from './errors.ts';
import type { Logger } from './logger.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { type ResourceMapping, RestMapper, resourcePath } from './rest-mapper.ts';
import { type HttpRequest, type Query, Transport, type WriteGate } from './transport.ts';
import { type Kind, type KubeList, type KubeObject, kindOf, type Request, requestFor } from './types.ts';

export const defaultFieldManager = 'sdm';

export interface ClientOptions {
  /** Field manager for server-side apply and updates (default "sdm"). */
  fieldManager?: string;
  metrics?: RuntimeMetrics;
  userAgent?: string;
  writeGate?: WriteGate;
  /** Trace-level log of every request. */
  logger?: Logger;
  /** Every API server warning of any response (see warnings.ts logWarningsOnce). */
  onWarning?: (text: string, req: { method: string; path: string }) => void;
}

export interface ListOptions {
  /** Omit for all namespaces (namespaced kinds) or for cluster-scoped kinds. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  signal?: AbortSignal;
}

export interface WriteOptions {
  /** Server-side dry run: validated and defaulted, not persisted. */
  dryRun?: boolean;
  subresource?: string;
  fieldManager?: string;
  signal?: AbortSignal;
  /** Each warning the API server sent with the response (e.g. an unknown field it dropped). */
  onWarning?: (text: string) => void;
}

export interface ApplyOptions extends WriteOptions {
  /** Take ownership of conflicting fields (default true: we own what we apply). */
  force?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  signal?: AbortSignal;
}

export type PatchType = 'merge' | 'json' | 'strategic';
const patchContentTypes: Record<PatchType | 'apply', string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class Client {
  readonly transport: Transport;
  readonly mapper: RestMapper;
  readonly fieldManager: string;

  constructor(transport: Transport, options: { fieldManager?: string; mapper?: RestMapper } = {}) {
    this.transport = transport;
    this.fieldManager = options.fieldManager ?? defaultFieldManager;
    this.mapper = options.mapper ?? new RestMapper((path) => transport.request({ method: 'GET', path }));
  }

  static fromKubeConfig(kubeConfig: ClusterAccess, options: ClientOptions = {}): Client {
    const transport = new Transport(kubeConfig, options);
    return new Client(transport, { fieldManager: options.fieldManager });
  }

  /** Same connections, mapper and metrics; a different write gate (the leader elector's own client). */
  withWriteGate(writeGate: WriteGate | undefined): Client {
    return new Client(this.transport.withWriteGate(writeGate), {
      fieldManager: this.fieldManager,
      mapper: this.mapper,
    });
  }

  get metrics(): RuntimeMetrics {
    return this.transport.metrics;
  }

  mapping(k: { apiVersion: string; kind: string }): Promise<ResourceMapping> {
    return this.mapper.mapping(k);
  }

  /** The object, or ApiError 404. */
  async get<T extends KubeObject>(k: Kind<T>, key: Request, signal?: AbortSignal): Promise<T> {
    const path = await this.objectPath(k, key);
    return this.withKind(k, await this.transport.request<T>({ method: 'GET', path, signal }));
  }

  /** The object, or undefined if it does not exist. */
  async getIfExists<T extends KubeObject>(
    k: Kind<T>,
    key: Request,
    signal?: AbortSignal,
  ): Promise<T | undefined> {
    try {
      return await this.get(k, key, signal);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** One page (use limit/continue), or everything when no limit is given. */
  async list<T extends KubeObject>(k: Kind<T>, options: ListOptions = {}): Promise<KubeList<T>> {
    const m = await this.mapper.mapping(k);
    const query: Query = {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
      resourceVersionMatch: options.resourceVersionMatch,
    };
    const list = await this.transport.request<KubeList<T>>({
      method: 'GET',
      path: resourcePath(m, options.namespace),
      query,
      signal: options.signal,
      timeoutMs: 5 * 60_000,
    });
    // List items come without apiVersion/kind; objects from get/watch have them.
    for (const item of list.items) this.withKind(k, item);
    return list;
  }

  /**
   * Every object, page by page (pageSize per request). If the continue token
   * expires mid-way (410), starts over, as client-go's pager does.
   */
  async listAll<T extends KubeObject>(
    k: Kind<T>,
    options: Omit<ListOptions, 'limit' | 'continue'> & { pageSize?: number } = {},
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const { pageSize = 500, ...rest } = options;
    for (;;) {
      const items: T[] = [];
      let cont: string | undefined;
      let rv = '';
      try {
        do {
          const page = await this.list(k, { ...rest, limit: pageSize, continue: cont });
          for (const item of page.items) items.push(item);
          cont = page.metadata?.continue || undefined;
          rv = page.metadata?.resourceVersion ?? rv;
        } while (cont);
        return { items, resourceVersion: rv };
      } catch (err) {
        if (!(cont && isGone(err))) throw err;
      }
    }
  }

  async create<T extends KubeObject>(obj: T, options: WriteOptions = {}): Promise<T> {
    const k = kindOf(obj);
    const m = await this.mapper.mapping(k);
    const path = resourcePath(m, namespaceFor(m, obj.metadata?.namespace));
    return this.withKind(
      k,
      await this.transport.request<T>({
        method: 'POST',
        path,
        body: obj,
        query: this.writeQuery(options),
        signal: options.signal,
        onWarning: options.onWarning,
      }),
    );
  }

  /** PUT: replaces the object; fails with 409 if metadata.resourceVersion is stale. */
  async update<T extends KubeObject>(obj: T, options: WriteOptions = {}): Promise<T> {
    const k = kindOf(obj);
    const path = await this.objectPath(k, requestFor(obj), options.subresource);
    return this.withKind(
      k,
      await this.transport.request<T>({
        method: 'PUT',
        path,
        body: obj,
        query: this.writeQuery(options),
        signal: options.signal,
        onWarning: options.onWarning,
      }),
    );
  }

  updateStatus<T extends KubeObject>(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.update(obj, { ...options, subresource: 'status' });
  }

  async patch<T extends KubeObject>(
    k: Kind<T>,
    key: Request,
    patch: unknown,
    type: PatchType = 'merge',
    options: WriteOptions = {},
  ): Promise<T> {
    const path = await this.objectPath(k, key, options.subresource);
    return this.withKind(
      k,
      await this.transport.request<T>({
        method: 'PATCH',
        path,
        body: patch,
        contentType: patchContentTypes[type],
        query: this.writeQuery(options),
        signal: options.signal,
        onWarning: options.onWarning,
      }),
    );
  }

  /**
   * Server-side apply: the fields in obj become ours (our field manager);
   * fields we applied before and left out now are removed. Creates the object
   * if missing. See applyIfChanged() in apply.ts to skip no-op writes.
   */
  async apply<T extends KubeObject>(obj: T, options: ApplyOptions = {}): Promise<T> {
    const k = kindOf(obj);
    const key = requestFor(obj);
    const path = await this.objectPath(k, key, options.subresource);
    const body: KubeObject = { ...obj, metadata: { ...obj.metadata, managedFields: undefined } };
    return this.withKind(
      k,
      await this.transport.request<T>({
        method: 'PATCH',
        path,
        body,
        contentType: patchContentTypes.apply,
        query: { ...this.writeQuery(options), force: options.force ?? true },
        signal: options.signal,
        onWarning: options.onWarning,
      }),
    );
  }

  /** Server-side apply of the status subresource (obj holds only what we own of status). */
  applyStatus<T extends KubeObject>(obj: T, options: ApplyOptions = {}): Promise<T> {
    return this.apply(obj, { ...options, subresource: 'status' });
  }

  /** Deletes; returns false if the object was already gone. */
  async delete(k: Kind, key: Request, options: DeleteOptions = {}): Promise<boolean> {
    const path = await this.objectPath(k, key);
    const body =
      options.propagationPolicy || options.gracePeriodSeconds !== undefined || options.preconditions
        ? {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: options.propagationPolicy,
            gracePeriodSeconds: options.gracePeriodSeconds,
            preconditions: options.preconditions,
          }
        : undefined;
    try {
      await this.transport.request({
        method: 'DELETE',
        path,
        body,
        query: { dryRun: options.dryRun ? 'All' : undefined },
        signal: options.signal,
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Read-modify-write with optimistic concurrency: mutate gets a copy of the
   * current object and returns the new one (or undefined for "nothing to
   * change", which writes nothing). Retried on 409 Conflict.
   */
  modify<T extends KubeObject>(
    k: Kind<T>,
    key: Request,
    mutate: (current: T) => T | undefined,
    options: WriteOptions = {},
  ): Promise<T> {
    return retryOnConflict(async () => {
      const current = await this.get(k, key, options.signal);
      const next = mutate(structuredClone(current));
      if (next === undefined) return current;
      return this.update(next, options);
    });
  }

  async objectPath(
    k: { apiVersion: string; kind: string },
    key: Request,
    subresource?: string,
  ): Promise<string> {
    const m = await this.mapper.mapping(k);
    if (m.namespaced && !key.namespace) throw new Error(`${k.kind} ${key.name}: namespace required`);
    return resourcePath(m, namespaceFor(m, key.namespace), key.name, subresource);
  }

  async collectionPath(k: { apiVersion: string; kind: string }, namespace?: string): Promise<string> {
    const m = await this.mapper.mapping(k);
    return resourcePath(m, namespaceFor(m, namespace));
  }

  request<T>(req: HttpRequest): Promise<T> {
    return this.transport.request<T>(req);
  }

  private writeQuery(options: WriteOptions): Query {
    return {
      fieldManager: options.fieldManager ?? this.fieldManager,
      dryRun: options.dryRun ? 'All' : undefined,
    };
  }

  private withKind<T extends KubeObject>(k: { apiVersion: string; kind: string }, obj: T): T {
    obj.apiVersion ??= k.apiVersion;
    obj.kind ??= k.kind;
    return obj;
  }
}

function namespaceFor(m: ResourceMapping, namespace: string | undefined): string | undefined {
  return m.namespaced ? namespace : undefined;
}

/**
 * Retries fn while it fails with 409 Conflict (someone else wrote first),
 * like client-go's retry.RetryOnConflict: a few quick, jittered attempts.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  const backoff = new JitterBackoff({ initialMs: 10, factor: 2, maxMs: 500, jitter: 0.5 });
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConflict(err) || i >= attempts) throw err;
      await sleep(backoff.next());
    }
  }
}
