// Equality and canonical text of JSON values, the one copy every package uses.
// Both follow what goes over the wire: a key whose value is undefined is the
// same as a missing key. Keys come from user data, so only own keys are read
// ("__proto__" is just a key).

/** Whether a and b serialize to the same JSON, ignoring key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const xk = definedKeys(x);
  const yk = definedKeys(y);
  return xk.length === yk.length && xk.every((k) => Object.hasOwn(y, k) && jsonEqual(x[k], y[k]));
}

/**
 * JSON with map keys sorted, the way Go's encoding/json writes maps
 * (including its HTML escaping): equal values give equal text, so it serves
 * as a hash input and as Go-compatible output.
 */
export function canonicalJson(v: unknown): string {
  return (JSON.stringify(sortKeys(v)) ?? 'null')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function definedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).filter((k) => m[k] !== undefined);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const m = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(m).sort()) {
      // defineProperty: a "__proto__" key stays a key instead of setting the prototype.
      Object.defineProperty(out, k, {
        value: sortKeys(m[k]),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return out;
  }
  return v;
}
