// The subset of gjson (github.com/tidwall/gjson) paths that ResourceSyncRule content matchers use:
// `spec.foo.bar`, `\.` to escape a dot (label keys like `app\.kubernetes\.io/name`), `*` and `?`
// wildcards in keys, numeric components indexing arrays, `#` for an array's length and `list.#.field`
// collecting a field of every item. Queries `#(...)`, modifiers `@...` and pipes are not supported:
// such a path simply finds nothing.
import { canonicalJson } from '../../kube/json.ts';
import { getOwn, hasOwn, isMap } from './json.ts';

interface Component {
  /** The component with escapes resolved. */
  text: string;
  /** Set when the component has an unescaped `*` or `?`. */
  glob?: RegExp;
}

function parsePath(path: string): Component[] {
  const out: Component[] = [];
  let text = '';
  let re = '';
  let wild = false;
  const flush = () => {
    out.push(wild ? { text, glob: new RegExp(`^${re}$`, 's') } : { text });
    text = '';
    re = '';
    wild = false;
  };
  for (let i = 0; i < path.length; i++) {
    let c = path[i]!;
    if (c === '\\' && i + 1 < path.length) {
      c = path[++i]!;
    } else if (c === '.') {
      flush();
      continue;
    } else if (c === '*' || c === '?') {
      wild = true;
      text += c;
      re += c === '*' ? '.*' : '.';
      continue;
    }
    text += c;
    re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  flush();
  return out;
}

export interface GjsonResult {
  exists: boolean;
  value: unknown;
}

const MISSING: GjsonResult = { exists: false, value: undefined };

export function gjsonGet(doc: unknown, path: string): GjsonResult {
  if (path === '') return MISSING;
  return walk(doc, parsePath(path), 0);
}

function walk(v: unknown, comps: Component[], i: number): GjsonResult {
  if (i === comps.length) return { exists: true, value: v };
  const c = comps[i]!;
  if (Array.isArray(v)) {
    if (c.text === '#' && !c.glob) {
      if (i === comps.length - 1) return { exists: true, value: v.length };
      const values = v.map((item) => walk(item, comps, i + 1)).filter((r) => r.exists);
      return { exists: true, value: values.map((r) => r.value) };
    }
    if (!c.glob && /^[0-9]+$/.test(c.text)) {
      const idx = Number(c.text);
      return idx < v.length ? walk(v[idx], comps, i + 1) : MISSING;
    }
    return MISSING;
  }
  if (isMap(v)) {
    if (c.glob) {
      // gjson takes the first key, in document order, that the pattern matches.
      const key = Object.keys(v).find((k) => c.glob!.test(k));
      return key === undefined ? MISSING : walk(v[key], comps, i + 1);
    }
    return hasOwn(v, c.text) ? walk(getOwn(v, c.text), comps, i + 1) : MISSING;
  }
  return MISSING;
}

/** gjson's Result.String(): '' for missing and null, raw JSON for maps and arrays. */
export function gjsonString(r: GjsonResult): string {
  if (!r.exists) return '';
  const v = r.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatNumber(v);
  return canonicalJson(v);
}

/** Integers as written; other numbers like Go's strconv.FormatFloat(f, 'f', -1, 64): never an exponent. */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const digits = lead! + frac;
  const exp = Number(expText);
  if (exp >= 0) return sign + digits.padEnd(exp + 1, '0');
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}
