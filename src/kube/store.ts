// The informer's cache: objects by "namespace/name", plus secondary indexes
// (index name -> value -> keys) so controllers can ask "which objects have
// owner X / reference secret Y" without scanning everything.
import { type KubeObject, objectKey } from './types.ts';

/** Maps an object to the index values it should be found under. */
export type IndexFunc<T> = (obj: T) => string[];

export class Store<T extends KubeObject = KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name -> index value -> object keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`indexer ${name} already exists`);
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.objects) this.index(name, fn, key, obj);
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  /** Stores obj under its key; returns the object it replaced. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.objects.get(key);
    if (old) this.unindex(key, old);
    this.objects.set(key, obj);
    for (const [name, fn] of this.indexers) this.index(name, fn, key, obj);
    return old;
  }

  /** Removes key; returns the object that was there. */
  delete(key: string): T | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.objects.delete(key);
    return old;
  }

  /** Objects whose index function returned value. */
  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no indexer named ${indexName}`);
    const keys = index.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const obj = this.objects.get(k);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** The distinct values of an index (e.g. every owner UID we have seen). */
  indexValues(indexName: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no indexer named ${indexName}`);
    return [...index.keys()];
  }

  private index(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const value of fn(obj)) {
      const keys = index.get(value);
      if (keys) keys.add(key);
      else index.set(value, new Set([key]));
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}

/** Index by namespace ("" for cluster-scoped objects). */
export const byNamespace: IndexFunc<KubeObject> = (obj) => [obj.metadata?.namespace ?? ''];

/** Index by the UID of the controlling owner (ownerReference with controller=true). */
export const byControllerUid: IndexFunc<KubeObject> = (obj) => {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  return ref ? [ref.uid] : [];
};
