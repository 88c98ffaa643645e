// Small helpers for plain JSON values (equality and canonical text are src/kube/json.ts's). Keys come
// from user data, so nothing here ever reads through or writes into a prototype: a "__proto__" or
// "constructor" key is just a key.

export type JsonMap = Record<string, unknown>;

export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(m: object, key: string): boolean {
  return Object.hasOwn(m, key);
}

export function getOwn(m: object, key: string): unknown {
  return Object.hasOwn(m, key) ? (m as JsonMap)[key] : undefined;
}

export function setOwn(m: object, key: string, value: unknown): void {
  Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Deep copy of a JSON value; other leaves (numbers, strings, ...) are shared, which is safe. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const k of Object.keys(v)) setOwn(out, k, cloneJson(v[k]));
    return out as T;
  }
  return v;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as JsonMap)[k]);
  }
  return v;
}

/** Whether v nests maps and arrays deeper than `limit` levels. Iterative: any depth is safe to ask about. */
export function deeperThan(v: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(x) ? x : Object.values(x)) stack.push([child, depth + 1]);
  }
  return false;
}
