// A bounded map that forgets the least recently used key first, like the
// groupcache/lru cache client-go's event correlator keeps its state in: the
// state stays bounded however many distinct objects a controller talks about.
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  readonly maxEntries: number;

  constructor(maxEntries: number) {
    if (!(maxEntries > 0)) throw new Error(`LruCache: maxEntries must be > 0, got ${maxEntries}`);
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.map.size;
  }

  /** The value of key, which becomes the most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v); // Map order is insertion order: re-inserting moves it to the end
    return v;
  }

  /** Sets key (most recently used), evicting the oldest entries beyond maxEntries. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}
