// A valuesOverride is parsed once per text, not on every pass: a pass with
// nothing changed re-parses nothing (the YAML parser takes seconds for an
// override near the 256 KiB admission cap). A big text not seen yet is
// parsed on a worker thread before the pass reads it, so the event loop keeps
// renewing the lease and answering /healthz meanwhile (issue 13 item 9).
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { type OverrideResult, parseValuesOverride } from '../values.ts';

/** From this size on (characters), a text is parsed off the event loop. */
export const WORKER_MIN_CHARS = 16 * 1024;
const MAX_ENTRIES = 64;
/** The worker's file: ./worker.ts from source; bundled, an entry of its own beside this chunk (tools/bundle.ts). */
const workerFile = import.meta.url.endsWith('.ts')
  ? new URL('./worker.ts', import.meta.url)
  : new URL('./override-worker.js', import.meta.url);

const cache = new Map<string, OverrideResult>();
/** Parses made on a worker thread (tests read it: the big override did not block the loop). */
export const parsedOnWorker = { count: 0 };

function keyOf(text: string, path: string): string {
  return createHash('sha256').update(path).update('\0').update(text).digest('hex');
}

function remember(key: string, result: OverrideResult): OverrideResult {
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

/**
 * parseValuesOverride, remembered by text. The values returned are shared
 * between passes: callers merge them into new objects (mergeValues copies),
 * never change them.
 */
export function parseOverride(text: string | undefined, path: string): OverrideResult {
  if (text === undefined || text.trim() === '') return parseValuesOverride(text, path);
  const key = keyOf(text, path);
  const known = cache.get(key);
  if (known) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, known);
    return known;
  }
  return remember(key, parseValuesOverride(text, path));
}

/** Parses a big text not seen yet on a worker thread, so that parseOverride() then finds it. */
export async function prepareOverride(text: string | undefined, path: string): Promise<void> {
  if (text === undefined || text.length < WORKER_MIN_CHARS) return;
  const key = keyOf(text, path);
  if (cache.has(key)) return;
  const result = await new Promise<OverrideResult>((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { text, path } });
    worker.once('message', (r: OverrideResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`valuesOverride parser exited with ${code}`));
    });
  });
  parsedOnWorker.count++;
  remember(key, result);
}
