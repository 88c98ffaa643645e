// Reading rendered manifests the way Kubernetes reads them. kubectl, Helm and
// the API server turn YAML into JSON with sigs.k8s.io/yaml, which decodes with
// its fork of go-yaml v2 (YAML 1.1 scalars) into untyped values and only then
// decodes the JSON into typed fields. So a plain `0555` is the octal 365,
// `yes`/`on`/`y` are the boolean true wherever they appear (a string field
// then refuses them, as the server does), `1:20` stays a string (go-yaml never
// supported base-60), a timestamp stays the string it was, and non-string map
// keys become strings. Quoted and block scalars are always strings.
// The yaml package parses the syntax (failsafe schema: every scalar a
// string); the scalar rules below follow go-yaml v2's resolve().
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';

export class Yaml11Error extends Error {
  override name = 'Yaml11Error';
}

const TAG = 'tag:yaml.org,2002:';

/** Plain scalars go-yaml v2 resolves by table lookup (the YAML 1.1 bool and null forms). */
const WORDS = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (s) => [s, false] as const,
  ),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint syntax: sign, then 0x, 0o, 0b, a leading 0 (octal) or decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([1-9][0-9]*|0))$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

function goInt(text: string): number | undefined {
  const m = GO_INT.exec(text);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, legacyOct, dec] = m;
  const digits = hex ?? oct ?? bin ?? legacyOct ?? dec ?? '';
  const prefix =
    hex !== undefined ? '0x' : oct !== undefined || legacyOct !== undefined ? '0o' : bin ? '0b' : '';
  const n = BigInt(`${prefix}${digits}`);
  // Beyond 64 bits go-yaml falls back to big.Int; JSON carries it as a number either way.
  return Number(sign === '-' ? -n : n);
}

/** The value go-yaml v2 gives a plain (unquoted, untagged) scalar. */
export function resolvePlain(text: string): unknown {
  const first = text[0] ?? '';
  const hint =
    text === ''
      ? 'N'
      : /[+-]/.test(first)
        ? 'S'
        : /[0-9]/.test(first)
          ? 'D'
          : /[yYnNtTfFoO~]/.test(first)
            ? 'M'
            : first === '.'
              ? '.'
              : '';
  if (hint === '') return text;
  if (WORDS.has(text)) return WORDS.get(text);
  if (hint === '.') return DOT_FLOAT.test(text) ? Number(text) : text;
  if (hint === 'D' || hint === 'S') {
    // Timestamps stay strings when decoded untyped (go-yaml v2 keeps the text).
    const plain = text.replaceAll('_', '');
    const int = goInt(plain);
    if (int !== undefined) return Object.is(int, -0) ? 0 : int;
    if (YAML_FLOAT.test(plain)) return Number(plain);
  }
  return text;
}

/** A scalar with an explicit tag: !!str keeps the text, the other core tags resolve it, unknown tags keep it. */
function resolveTagged(tag: string, text: string): unknown {
  switch (tag) {
    case `${TAG}bool`:
    case `${TAG}int`:
    case `${TAG}float`:
    case `${TAG}null`:
      return resolvePlain(text);
    default:
      return text;
  }
}

/** A map key as JSON has it: go-yaml's non-string keys are printed the way sigs.k8s.io/yaml prints them. */
function keyString(key: unknown, where: string): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') {
    if (Number.isInteger(key)) return String(key);
    // Go prints float keys with float32 precision: the shortest digits that round-trip.
    const f = Math.fround(key);
    for (let p = 1; p <= 9; p++) {
      const s = Number(key.toPrecision(p));
      if (Math.fround(s) === f) return String(s);
    }
    return String(key);
  }
  throw new Yaml11Error(`${where}: unsupported map key ${JSON.stringify(key)}`);
}

function jsonSafe(v: unknown, where: string): unknown {
  if (typeof v === 'number' && !Number.isFinite(v))
    throw new Yaml11Error(`${where}: ${v} cannot be represented in JSON, so Kubernetes cannot read it`);
  return v;
}

const MERGE_KEY = '<<';

class Converter {
  private depth = 0;
  private readonly doc: Document;
  constructor(doc: Document) {
    this.doc = doc;
  }

  value(node: unknown, where: string): unknown {
    if (node === null || node === undefined) return null;
    if (++this.depth > 1000)
      throw new Yaml11Error(`${where}: aliases nested too deeply (a recursive alias?)`);
    try {
      return this.convert(node as Node, where);
    } finally {
      this.depth--;
    }
  }

  private convert(node: Node, where: string): unknown {
    if (isAlias(node)) return this.value(node.resolve(this.doc), where);
    if (isScalar(node)) {
      const text = String(node.value ?? '');
      if (node.tag && node.tag !== '!') return jsonSafe(resolveTagged(node.tag, text), where);
      if (node.type !== 'PLAIN' || node.tag === '!') return text;
      return jsonSafe(resolvePlain(text), where);
    }
    if (isSeq(node)) return node.items.map((item, i) => this.value(item, `${where}[${i}]`));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        // go-yaml v2 applies a merge key where it stands: what it brings overwrites
        // keys before it, keys after it overwrite what it brought.
        if (isScalar(keyNode) && keyNode.type === 'PLAIN' && !keyNode.tag && keyNode.value === MERGE_KEY) {
          this.merge(pair.value, out, where);
          continue;
        }
        const key = keyString(this.value(keyNode, where), where);
        out[key] = this.value(pair.value, `${where}.${key}`);
      }
      return out;
    }
    return null;
  }

  private merge(node: unknown, into: Record<string, unknown>, where: string): void {
    const sources = isSeq(node as Node) ? [...(node as { items: unknown[] }).items].reverse() : [node];
    for (const source of sources) {
      const v = this.value(source, where);
      if (!v || typeof v !== 'object' || Array.isArray(v))
        throw new Yaml11Error(`${where}: a merge key (<<) needs a map or a list of maps`);
      Object.assign(into, v);
    }
  }
}

/**
 * Every document of a multi-document YAML stream, as Kubernetes reads it
 * (empty documents give null). Throws Yaml11Error on invalid YAML.
 */
export function parseYaml11Documents(text: string): unknown[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, merge: false });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc, i) => {
    const err = doc.errors[0];
    if (err)
      throw new Yaml11Error(
        `document ${i + 1}: ${err.code.toLowerCase().replaceAll('_', ' ')}: ${err.message.split('\n')[0]}`,
      );
    return new Converter(doc).value(doc.contents, `document ${i + 1}`);
  });
}

/** One YAML document, as Kubernetes reads it. */
export function parseYaml11(text: string): unknown {
  return parseYaml11Documents(text)[0] ?? null;
}
