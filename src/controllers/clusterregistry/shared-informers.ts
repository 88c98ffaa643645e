// Informers shared by reference count. Many (rule x peer) pairs watch the same kind on the same peer,
// and many rules write copies of the same kind locally: one watch per (cluster, kind, namespace) serves
// them all, started by the first user and stopped when the last one lets go.
/** What sharing needs of an informer. */
export interface Startable {
  start(): void;
  stop(): Promise<void>;
}

interface Entry<I extends Startable> {
  informer: I;
  refs: number;
}

export class SharedInformers<I extends Startable> {
  private readonly entries = new Map<string, Entry<I>>();

  /** The informer under `key`, created and started by `create` when nobody holds one yet. */
  acquire(key: string, create: () => I): I {
    let e = this.entries.get(key);
    if (!e) {
      const informer = create();
      informer.start();
      e = { informer, refs: 0 };
      this.entries.set(key, e);
    }
    e.refs++;
    return e.informer;
  }

  /** Lets go of one reference; the last one stops the informer. */
  async release(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    e.refs--;
    if (e.refs > 0) return;
    this.entries.delete(key);
    await e.informer.stop();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every shared informer (for lookups across all users, e.g. copies of one owner). */
  *informers(): Iterable<[string, I]> {
    for (const [k, e] of this.entries) yield [k, e.informer];
  }
}
