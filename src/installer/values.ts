// Chart values: defaults, then values derived from the manifest, then the
// user's valuesOverride, merged the way Helm merges values files (maps merge
// key by key, anything else is replaced, null removes the key).
import { parseDocument } from 'yaml';
import { inexactNumber } from './numbers.ts';
import type { Values } from './types.ts';

// Plain objects only: YAML's !!binary is a Uint8Array, not a map of values.
function isMap(v: unknown): v is Values {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = mergeValues(out[k] as Values, v);
    else out[k] = structuredClone(v);
  }
  return out;
}

export type OverrideResult = { ok: true; values: Values } | { ok: false; error: string };

/**
 * Parses a valuesOverride. The error names the place (line, column) and the
 * reason but never quotes the text: overrides hold passwords.
 */
export function parseValuesOverride(text: string | undefined, path: string): OverrideResult {
  if (text === undefined || text.trim() === '') return { ok: true, values: {} };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    // The line from the offset: yaml's pretty errors would quote the text.
    const at = err.pos[0];
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    const where = ` at line ${line}, column ${col}`;
    return { ok: false, error: `${path}.valuesOverride is not valid YAML${where}: ${reason(err.code)}` };
  }
  const inexact = inexactNumber(doc);
  if (inexact) return { ok: false, error: `${path}.valuesOverride: ${inexact}` };
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return { ok: true, values: {} };
  if (!isMap(value)) {
    return {
      ok: false,
      error: `${path}.valuesOverride must be a YAML map of chart values, not a ${kindOf(value)}`,
    };
  }
  return { ok: true, values: value };
}

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'list' : v instanceof Uint8Array ? '!!binary' : typeof v;
}

function reason(code: string): string {
  return code.toLowerCase().replaceAll('_', ' ');
}

/** The values a component's chart is rendered with. */
export function componentValues(defaults: Values, derived: Values, override: Values): Values {
  return mergeValues(mergeValues(defaults, derived), override);
}
