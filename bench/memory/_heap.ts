// Summarises a V8 heap snapshot (.heapsnapshot JSON): self size by node type
// and constructor name, largest first. Enough to see where a heap goes
// without a browser's DevTools.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export function heapSummary(path: string, top = 20): { total: number; rows: [string, number, number][] } {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const fType = fields.indexOf('type');
  const fName = fields.indexOf('name');
  const fSize = fields.indexOf('self_size');
  const by = new Map<string, [number, number]>();
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + fType] as number] ?? '?';
    const size = s.nodes[i + fSize] as number;
    total += size;
    // Strings and code by type only; objects by constructor name.
    const name =
      type === 'object' || type === 'closure' ? `${type} ${s.strings[s.nodes[i + fName] as number]}` : type;
    const e = by.get(name) ?? [0, 0];
    e[0] += size;
    e[1]++;
    by.set(name, e);
  }
  const rows = [...by]
    .sort((a, b) => b[1][0] - a[1][0])
    .slice(0, top)
    .map(([k, [size, n]]) => [k, size, n] as [string, number, number]);
  return { total, rows };
}
