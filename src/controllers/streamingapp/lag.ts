// Consumer lag of each process, read from Kafka: for every partition of its
// input topics, the end offset minus the offset its consumer group
// (`<application>.<process>`) committed (a group that committed nothing on a
// partition lags by the whole partition). Two admin calls per application:
// one listOffsets for all input topics, one listConsumerGroupOffsets for all
// groups. The arithmetic is a pure function (lagByProcess) of what they return.
import type { Admin } from '@platformatic/kafka';

export interface LagQuery {
  /** Process name -> its consumer group and the Kafka topics it reads. */
  processes: { name: string; group: string; inputs: string[] }[];
  /** Kafka topic -> partition count (from the KafkaTopic's status). */
  partitions: ReadonlyMap<string, number>;
}

/** topic -> partition -> offset */
export type Offsets = Map<string, Map<number, bigint>>;

export function lagByProcess(
  q: LagQuery,
  endOffsets: Offsets,
  committed: ReadonlyMap<string, Offsets>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of q.processes) {
    let lag = 0n;
    for (const topic of p.inputs) {
      const ends = endOffsets.get(topic);
      if (!ends) continue;
      for (const [partition, end] of ends) {
        const c = committed.get(p.group)?.get(topic)?.get(partition);
        const done = c === undefined || c < 0n ? 0n : c;
        if (end > done) lag += end - done;
      }
    }
    out.set(p.name, Number(lag));
  }
  return out;
}

/** Reads both offset sets from Kafka and returns the lag per process; throws what Kafka throws. */
export async function readLag(admin: Admin, q: LagQuery): Promise<Map<string, number>> {
  const topics = [...new Set(q.processes.flatMap((p) => p.inputs))].filter((t) => q.partitions.has(t));
  const endOffsets: Offsets = new Map();
  if (topics.length > 0) {
    const listed = await admin.listOffsets({
      topics: topics.map((name) => ({
        name,
        partitions: Array.from({ length: q.partitions.get(name) ?? 0 }, (_, i) => ({
          partitionIndex: i,
          timestamp: -1n, // latest
        })),
      })),
    });
    for (const t of listed) {
      endOffsets.set(t.name, new Map(t.partitions.map((p) => [p.partitionIndex, p.offset])));
    }
  }
  const committed = new Map<string, Offsets>();
  const groups = q.processes.filter((p) => p.inputs.length > 0).map((p) => p.group);
  if (groups.length > 0) {
    const listed = await admin.listConsumerGroupOffsets({ groups });
    for (const g of listed) {
      const byTopic: Offsets = new Map();
      for (const t of g.topics) {
        byTopic.set(t.name, new Map(t.partitions.map((p) => [p.partitionIndex, p.committedOffset])));
      }
      committed.set(g.groupId, byTopic);
    }
  }
  return lagByProcess(q, endOffsets, committed);
}
