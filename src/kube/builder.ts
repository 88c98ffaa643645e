// Wires informers to a controller's queue, controller-runtime style:
//   for(Primary)            primary events -> the primary's own key
//   owns(Secondary)         secondary events -> key of its controlling owner
//                           (ownerReference with controller=true, of the primary's kind)
//   watches(Other, map)     any events -> whatever keys map() returns
// Handlers only enqueue keys; reconcile always reads the current state, so a
// burst of events on one object collapses into one reconcile.
import { JitterBackoff, sleep } from './backoff.ts';
import type { Client } from './client.ts';
import { Controller, type ControllerOptions, type ReconcileFunc, type Reconciler } from './controller.ts';
import { errorMessage } from './errors.ts';
import type { EventHandler, Informer } from './informer.ts';
import type { Logger } from './logger.ts';
import type { RuntimeMetrics } from './metrics.ts';
import type { Runnable } from './runnable.ts';
import { type Kind, type KubeObject, parseKind, type Request, requestFor } from './types.ts';

export type EventType = 'add' | 'update' | 'delete';

/** Filters events before they enqueue anything (true = let through). */
export type Predicate<T> = (event: { type: EventType; object: T; old?: T }) => boolean;

export interface InformerScope {
  /** Default: the manager's namespace (all namespaces if it has none). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchSpec<T> extends InformerScope {
  predicates?: Predicate<T>[];
}

/** What the builder needs from a manager. */
export interface ControllerHost {
  readonly client: Client;
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  informer<T extends KubeObject>(kind: Kind<T>, scope?: InformerScope): Informer<T>;
  add(runnable: Runnable): void;
}

/** Passes updates that change metadata.generation (spec changes), and all adds and deletes. */
export const generationChanged: Predicate<KubeObject> = (e) =>
  e.type !== 'update' || e.old?.metadata?.generation !== e.object.metadata?.generation;

/** Passes updates that change labels. */
export const labelsChanged: Predicate<KubeObject> = (e) =>
  e.type !== 'update' ||
  JSON.stringify(e.old?.metadata?.labels ?? {}) !== JSON.stringify(e.object.metadata?.labels ?? {});

interface Source {
  informer: Informer<KubeObject>;
  predicates: Predicate<KubeObject>[];
  /** Keys to enqueue for an object; primaryNamespaced tells how to key a controlling owner. */
  map: (obj: KubeObject, primaryNamespaced: boolean) => Request[];
}

export class ControllerBuilder {
  private readonly host: ControllerHost;
  private readonly name: string;
  private primary: Kind | undefined;
  private readonly sources: Source[] = [];
  private options: Pick<ControllerOptions, 'concurrency' | 'backoff'> = {};

  constructor(host: ControllerHost, name: string) {
    this.host = host;
    this.name = name;
  }

  for<T extends KubeObject>(k: Kind<T>, spec: WatchSpec<T> = {}): this {
    if (this.primary) throw new Error(`controller ${this.name}: for() called twice`);
    this.primary = k;
    this.add(k, spec, (obj) => [requestFor(obj)]);
    return this;
  }

  owns<T extends KubeObject>(k: Kind<T>, spec: WatchSpec<T> = {}): this {
    this.add(k, spec, (obj, primaryNamespaced) => {
      const primary = this.primary!;
      const group = parseKind(primary).group;
      const ref = obj.metadata?.ownerReferences?.find(
        (r) => r.controller && r.kind === primary.kind && parseKind(r).group === group,
      );
      if (!ref) return [];
      const namespace = obj.metadata?.namespace;
      return [primaryNamespaced && namespace ? { namespace, name: ref.name } : { name: ref.name }];
    });
    return this;
  }

  watches<T extends KubeObject>(k: Kind<T>, map: (obj: T) => Request[], spec: WatchSpec<T> = {}): this {
    this.add(k, spec, (obj) => map(obj as T));
    return this;
  }

  withOptions(options: Pick<ControllerOptions, 'concurrency' | 'backoff'>): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** Builds the controller and hands it to the manager, which starts it when leader. */
  complete(reconciler: Reconciler | ReconcileFunc): Controller {
    const primary = this.primary;
    if (!primary) throw new Error(`controller ${this.name}: for() is required`);
    const sources = this.sources;
    const host = this.host;
    const controller = new Controller({
      name: this.name,
      reconciler,
      ...this.options,
      logger: host.log,
      metrics: host.metrics,
      waitFor: sources.map((s) => s.informer),
      setup: async (ctrl, signal) => {
        const primaryNamespaced = await resolveScope(host, primary, signal, ctrl.name);
        for (const source of sources) {
          const enqueue = (type: EventType, object: KubeObject, old?: KubeObject) => {
            if (!source.predicates.every((p) => p({ type, object, old }))) return;
            for (const req of source.map(object, primaryNamespaced)) ctrl.enqueue(req);
          };
          const handler: EventHandler<KubeObject> = {
            onAdd: (o) => enqueue('add', o),
            onUpdate: (old, o) => enqueue('update', o, old),
            onDelete: (o) => enqueue('delete', o),
          };
          const remove = source.informer.addHandler(handler);
          signal.addEventListener('abort', remove, { once: true });
        }
      },
    });
    host.add(controller);
    return controller;
  }

  private add<T extends KubeObject>(k: Kind<T>, spec: WatchSpec<T>, map: Source['map']): void {
    const { predicates = [], ...scope } = spec;
    this.sources.push({
      informer: this.host.informer(k, scope) as unknown as Informer<KubeObject>,
      predicates: predicates as Predicate<KubeObject>[],
      map,
    });
  }
}

/** Whether the primary kind is namespaced; retried until known (its CRD may arrive later). */
async function resolveScope(
  host: ControllerHost,
  k: Kind,
  signal: AbortSignal,
  name: string,
): Promise<boolean> {
  const backoff = new JitterBackoff({ initialMs: 500, maxMs: 30_000 });
  for (;;) {
    try {
      return (await host.client.mapping(k)).namespaced;
    } catch (err) {
      if (signal.aborted) return true;
      host.log.warn({ controller: name, err: errorMessage(err) }, 'cannot resolve primary kind, retrying');
      await sleep(backoff.next(), signal);
    }
  }
}
