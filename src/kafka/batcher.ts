// Coalesces single-item calls made at about the same time into one batched
// call. Kafka's admin API takes many topics per request, and the topic
// controller reconciles topics one by one on several workers: without this,
// 1,000 new KafkaTopics cost 1,000 CreateTopics round trips to the controller
// broker; with it, a handful.

export interface BatcherOptions {
  /** How long the first item of a batch waits for others (default 5 ms). */
  maxWaitMs?: number;
  /** A batch is sent at once when it reaches this size (default 500). */
  maxBatch?: number;
}

/** Runs one batch; returns one result (or Error) per item, in order. */
export type BatchFunction<I, O> = (items: I[]) => Promise<(O | Error)[]>;

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: Error) => void;
}

export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly maxWaitMs: number;
  private readonly maxBatch: number;
  /** Batches sent so far (tests and metrics). */
  batches = 0;

  private readonly run: BatchFunction<I, O>;

  constructor(run: BatchFunction<I, O>, options: BatcherOptions = {}) {
    this.run = run;
    this.maxWaitMs = options.maxWaitMs ?? 5;
    this.maxBatch = options.maxBatch ?? 500;
  }

  call(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
    if (batch.length === 0) return;
    this.batches++;
    this.run(batch.map((p) => p.item)).then(
      (results) => {
        batch.forEach((p, i) => {
          const r = results[i];
          if (r instanceof Error) p.reject(r);
          else if (r === undefined && results.length <= i)
            p.reject(new Error('batch returned too few results'));
          else p.resolve(r as O);
        });
      },
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        for (const p of batch) p.reject(e);
      },
    );
  }
}
