// Numbers that would silently become other numbers. A JavaScript number holds
// integers exactly only up to 2^53, and .inf/.nan have no JSON form at all
// (they turned into null, i.e. the chart's default): such a valuesOverride
// is refused, naming the path. And the API server may store something else
// than what we send (server-side apply truncates an int32 field where a
// create would refuse: replicas 10000000000 became 1,410,065,408), so what a
// write returns is compared with what was sent, number by number.
import { type Document, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

type Json = unknown;

/**
 * The first number in a parsed valuesOverride that JSON and JavaScript
 * cannot carry exactly, as "<path>: <why>", or undefined. Pure.
 */
export function inexactNumber(doc: Document): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown, ancestors: unknown[]): void => {
    if (found) return;
    if (isMap(node)) {
      for (const pair of node.items) walk(pair.value, [...ancestors, pair]);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item, [...ancestors, { index: i }]);
      });
    } else if (isScalar(node)) {
      const why = numberProblem(node.value, node.source);
      if (why) found = `${locate(ancestors)}: ${why}`;
    }
  };
  walk(doc.contents as Node | null, []);
  return found;
}

function locate(ancestors: readonly unknown[]): string {
  let out = '';
  for (const a of ancestors) {
    if (isPair(a)) {
      const k = isScalar(a.key) ? String(a.key.value) : String(a.key);
      out += out === '' ? k : `.${k}`;
    } else if (typeof a === 'object' && a !== null && 'index' in a)
      out += `[${(a as { index: number }).index}]`;
  }
  return out === '' ? '(the document)' : out;
}

/** Why a YAML scalar's value is not a number JSON can carry exactly, or undefined. Pure. */
export function numberProblem(v: unknown, source?: string): string | undefined {
  if (typeof v === 'bigint')
    return Number.isSafeInteger(Number(v)) ? undefined : tooBig(source ?? v.toString());
  if (typeof v !== 'number') return undefined;
  if (Number.isNaN(v)) return '.nan is not a number a Kubernetes object can hold';
  if (!Number.isFinite(v))
    return `${v > 0 ? '' : '-'}.inf (or a number too large) is not a number a Kubernetes object can hold`;
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) return tooBig(source ?? BigInt(v).toString());
  return undefined;
}

function tooBig(written: string): string {
  return `${written.trim()} is larger than 2^53 and cannot be held exactly; quote it if a string is meant`;
}

// ---- after a write ----

/** The server stored (or would store) another number than the one we sent. */
export class NumberChangedError extends Error {
  override name = 'NumberChangedError';
}

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The largest integer an int32 field holds; beyond it the server may truncate. */
const INT32_MAX = 2 ** 31 - 1;

/** Whether sent holds an integer an int32 field could not hold (worth a dry run before the write). Pure. */
export function hasWideInteger(sent: Json): boolean {
  if (typeof sent === 'number') return Number.isInteger(sent) && Math.abs(sent) > INT32_MAX;
  if (Array.isArray(sent)) return sent.some(hasWideInteger);
  if (isObj(sent)) return Object.values(sent).some(hasWideInteger);
  return false;
}

/**
 * The first number we sent that the server stored as a different number, as
 * "<path>: sent X, the server stored Y", or undefined. Lists of named items
 * (containers, ports) are matched by name, others by position; a number the
 * server turned into a string (a quantity) or dropped (pruned) is not a change
 * of value. Pure.
 */
export function changedNumber(sent: Json, got: Json, path = ''): string | undefined {
  if (typeof sent === 'number') {
    if (typeof got === 'number' && got !== sent) return `${path}: sent ${sent}, the server stored ${got}`;
    return undefined;
  }
  if (Array.isArray(sent) && Array.isArray(got)) {
    for (const [i, item] of sent.entries()) {
      const name = isObj(item) ? item.name : undefined;
      const other = typeof name === 'string' ? got.find((g) => isObj(g) && g.name === name) : got[i];
      const found = changedNumber(item, other, `${path}[${typeof name === 'string' ? name : i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isObj(sent) && isObj(got)) {
    for (const [k, v] of Object.entries(sent)) {
      const found = changedNumber(v, got[k], path === '' ? k : `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}
