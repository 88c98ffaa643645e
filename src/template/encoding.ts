/**
 * JSON and YAML as the Go side of a template writes and reads them:
 *   toJson / fromJson   sprig, on encoding/json: map keys sorted, HTML characters escaped,
 *                       numbers read back as float64, errors swallowed ("" or nil);
 *   toYaml / fromYaml   Helm, on sigs.k8s.io/yaml: the value goes through encoding/json and then
 *                       go-yaml v2, so YAML 1.1 rules decide quoting ("yes", "on", "1e3" and
 *                       dates are quoted), floats print like Go's %v, sequences are not indented.
 * The YAML text itself is laid out by the `yaml` package; scalar styles are chosen here by
 * go-yaml's rules, so the output matches Helm's in the cases that matter for values files.
 */
import { Document, Pair, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { LimitError } from './errors.ts';
import { FuncError } from './functions.ts';
import type { Budget } from './printf.ts';
import { goFloat } from './printf.ts';
import { formatFloat } from './strconv.ts';
import {
  GoNamedString,
  isNilContainer,
  jsonFormOf,
  kindOf,
  mapEntries,
  newMap,
  setKey,
  toNumber,
} from './values.ts';

/** Deepest nesting fromYaml parses (a sandbox limit; go-yaml's is 10000). */
const MAX_YAML_DEPTH = 500;

/**
 * An upper estimate of a YAML document's nesting, in one pass: flow brackets outside quotes,
 * plus, per line, half the indentation and the "- " / "? " entries that open on it.
 */
function yamlNestingDepth(s: string): number {
  let flow = 0;
  let max = 0;
  let quote = '';
  let lineStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') max = Math.max(max, ++flow);
    else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
    else if (c === '\n') lineStart = i + 1;
    else if (i === lineStart || s[i - 1] === '\n') {
      let j = i;
      while (s[j] === ' ') j++;
      let block = (j - i) >> 1;
      while ((s[j] === '-' || s[j] === '?') && (s[j + 1] === ' ' || s[j + 1] === '\n')) {
        block++;
        j += 2;
        while (s[j] === ' ') j++;
      }
      max = Math.max(max, flow + block);
    }
  }
  return max;
}

/** libyaml's complaint about a % directive line before the document, if it has one. */
function badDirective(s: string): string | undefined {
  for (const line of s.split('\n')) {
    if (line.startsWith('---')) return undefined;
    if (!line.startsWith('%')) continue;
    const m = /^%([0-9A-Za-z_-]*)/.exec(line)!;
    const after = line[m[0].length];
    if (m[1] === '' || (after !== undefined && after !== ' ' && after !== '\t' && after !== '\r')) {
      return 'found unexpected non-alphabetical character';
    }
    if (m[1] !== 'YAML' && m[1] !== 'TAG') return 'found unknown directive name';
  }
  return undefined;
}

/** Largest document fromYaml parses (a sandbox limit; Helm has none). */
const MAX_YAML_INPUT = 256 * 1024;

/**
 * Encoding recursion bound. Go encodes any depth (fromJson accepts 10000 levels); past this we
 * fail with an error naming the limit, never a silently empty result.
 */
const MAX_NESTING = 1000;

/** The value cannot be encoded (a func, NaN, a cycle): the Go functions return "" then. */
class Unencodable extends Error {}

// ---- JSON ----

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** encoding/json string encoding, HTML-safe, with lone surrogates as U+FFFD like invalid UTF-8. */
function jsonString(s: string): string {
  let out = '"';
  for (const c of s) {
    const e = JSON_ESCAPES[c];
    if (e !== undefined) out += e;
    else {
      const cp = c.codePointAt(0)!;
      if (cp < 0x20) out += `\\u00${cp.toString(16).padStart(2, '0')}`;
      else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
      else out += c;
    }
  }
  return `${out}"`;
}

/** encoding/json floats: %f, or %e outside [1e-6, 1e21) (JavaScript's shortest forms match Go's there). */
function jsonFloat(f: number): string {
  if (!Number.isFinite(f))
    throw new Unencodable(`unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  const abs = Math.abs(f);
  return abs !== 0 && (abs < 1e-6 || abs >= 1e21) ? f.toExponential() : String(f);
}

/** Struct fields as encoding/json sees them: own data properties, methods left out. */
function structEntries(v: object): Array<[string, unknown]> {
  return Object.entries(v).filter(([, e]) => typeof e !== 'function');
}

function tooDeep(): LimitError {
  // Go would encode it; we bound the recursion, and say so rather than return "".
  return new LimitError(`value is nested more than ${MAX_NESTING} levels deep: too deep to encode`, 'depth');
}

function marshalJson(v: unknown, budget: Budget, depth: number): string {
  if (depth > MAX_NESTING) throw tooDeep();
  let out: string;
  // A named string type encodes as its string; []byte as base64, as encoding/json does.
  if (v instanceof GoNamedString) v = v.value;
  if (v instanceof Uint8Array) v = Buffer.from(v).toString('base64');
  if (isNilContainer(v)) v = null;
  const form = jsonFormOf(v);
  if (form !== undefined) {
    if ('value' in form) return marshalJson(form.value, budget, depth + 1);
    out = `{${form.entries.map(([k, e]) => `${jsonString(k)}:${marshalJson(e, budget, depth + 1)}`).join(',')}}`;
    budget.take(out.length);
    return out;
  }
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      out = 'null';
      break;
    case 'string':
      out = jsonString(v as string);
      break;
    case 'bool':
    case 'int':
      out = String(v);
      break;
    case 'float':
      out = jsonFloat(toNumber(v));
      break;
    case 'slice':
      out = `[${(v as unknown[]).map((e) => marshalJson(e, budget, depth + 1)).join(',')}]`;
      break;
    case 'map':
      out = `{${mapEntries(v)
        .map(([k, e]) => `${jsonString(String(k))}:${marshalJson(e, budget, depth + 1)}`)
        .join(',')}}`;
      break;
    case 'func':
      throw new Unencodable('unsupported type: func');
    default:
      out = `{${structEntries(v as object)
        .map(([k, e]) => `${jsonString(k)}:${marshalJson(e, budget, depth + 1)}`)
        .join(',')}}`;
  }
  budget.take(out.length);
  return out;
}

/** sprig's toJson: json.Marshal, "" when the value cannot be encoded. */
export function toJson(v: unknown, budget: Budget): string {
  try {
    return marshalJson(v, budget, 0);
  } catch (e) {
    if (e instanceof Unencodable) return '';
    throw e;
  }
}

/**
 * json.Marshal's result in one of sprig's forms: compact (toJson), indented by two spaces
 * (toPrettyJson, MarshalIndent) or without HTML escaping (toRawJson). Throws FuncError("json:
 * ...") when the value cannot be encoded, as the must- forms report it.
 */
export function marshalJsonAs(v: unknown, budget: Budget, form: 'compact' | 'pretty' | 'raw'): string {
  let compact: string;
  try {
    compact = marshalJson(v, budget, 0);
  } catch (e) {
    if (e instanceof Unencodable) throw new FuncError(`json: ${e.message}`);
    throw e;
  }
  if (form === 'raw')
    return compact.replace(
      /(?<!\\)((?:\\\\)*)\\u00(3c|3e|26)/g,
      (_, slashes: string, hex: string) => slashes + String.fromCharCode(Number.parseInt(hex, 16)),
    );
  if (form === 'pretty') return reindent(compact, budget);
  return compact;
}

/** MarshalIndent(v, "", "  ") from the compact form: a newline and indent per element. */
function reindent(json: string, budget: Budget): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const nl = (): string => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += json[++i]!;
      else if (c === '"') inString = false;
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[': {
        const close = c === '{' ? '}' : ']';
        if (json[i + 1] === close) {
          out += c + close;
          i++;
        } else {
          depth++;
          out += c + nl();
        }
        break;
      }
      case '}':
      case ']':
        depth--;
        out += nl() + c;
        break;
      case ',':
        out += `,${nl()}`;
        break;
      case ':':
        out += ': ';
        break;
      default:
        out += c;
    }
  }
  budget.take(out.length);
  return out;
}

/** Numbers become float64 and objects maps, as json.Unmarshal into interface{} does. */
function fromJsonValue(value: unknown): unknown {
  if (typeof value === 'number') return goFloat(value);
  // encoding/json turns an unpaired surrogate escape (\ud800) into U+FFFD.
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(fromJsonValue);
  if (value !== null && typeof value === 'object') {
    const m = newMap();
    for (const [k, e] of Object.entries(value)) setKey(m, k.toWellFormed(), fromJsonValue(e));
    return m;
  }
  return value;
}

/** sprig's fromJson: nil when the text is not JSON. */
export function fromJson(s: string): unknown {
  try {
    // A number out of float64's range fails to decode in Go: that value becomes nil.
    return fromJsonValue(JSON.parse(s, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  } catch {
    return null;
  }
}

// ---- YAML ----

/** Text that the YAML writer must print as is (Go's number formatting, go-yaml's double quotes). */
class RawScalar {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

const RAW_TAG = {
  identify: (v: unknown) => v instanceof RawScalar,
  tag: 'tag:yaml.org,2002:float',
  default: true,
  resolve: (s: string) => s,
  stringify: (item: { value: unknown }) => (item.value as RawScalar).text,
};

/** A number after the JSON round trip: integers stay integers, other floats print like Go's %v. */
function yamlNumber(v: unknown): RawScalar {
  if (kindOf(v) === 'int') return new RawScalar(String(v));
  const f = toNumber(v);
  if (!Number.isFinite(f)) throw new Unencodable('unsupported value');
  // encoding/json writes an integral float as digits, which go-yaml reads back as an int.
  if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 64) return new RawScalar(BigInt(f).toString());
  return new RawScalar(formatFloat(f, 'g', -1));
}

/**
 * go-yaml v2's float resolution: text starting with "." is a float when strconv.ParseFloat takes
 * it; text starting with a sign or digit when, underscores dropped, it has yamlStyleFloat's shape.
 * (The YAML 1.1 schema's own float patterns also take ".", "-.", "._" and "e5".)
 */
const GO_FLOAT_TAG = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: {
    test: (s: string): boolean =>
      s.startsWith('.')
        ? /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/.test(s)
        : /^[-+0-9]/.test(s) && YAML_STYLE_FLOAT.test(s.replaceAll('_', '')),
  } as unknown as RegExp,
  resolve: (s: string) => Number(s.replaceAll('_', '')),
};

/** go-yaml v2 reads 0o17 as an octal int (YAML 1.1 itself only knows 017). */
const OCTAL_0O_TAG = {
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  default: true,
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (s: string) => {
    const neg = s.startsWith('-');
    const v = Number.parseInt(s.replace(/^[-+]?0o/, '').replaceAll('_', ''), 8);
    return neg ? -v : v;
  },
};

/** !!binary: base64 bytes; after Go's JSON round trip they are their UTF-8 text. */
const BINARY_AS_TEXT_TAG = {
  tag: 'tag:yaml.org,2002:binary',
  default: false,
  resolve: (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'base64').toString('utf8'),
};

const YAML11_NON_STRINGS = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
  ...['', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF'],
  ...['+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'],
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2}))|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?))?$/;
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;

/** go-yaml v2's resolve: would this text, written plain, read back as something other than a string? */
function resolvesToNonString(s: string): boolean {
  if (YAML11_NON_STRINGS.has(s)) return true;
  const c = s[0];
  // strconv.ParseFloat: underscores only between digits.
  if (c === '.') return /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/.test(s);
  if (c === undefined || !/[-+0-9]/.test(c)) return false;
  if (TIMESTAMP.test(s)) return true;
  const plain = s.replaceAll('_', '');
  if (GO_INT.test(plain) || YAML_STYLE_FLOAT.test(plain)) return true;
  return /^-?0b[01]+$/.test(plain) || BASE60_FLOAT.test(s);
}

/** libyaml's printable set; anything else forces double quotes (and escapes). */
function hasUnprintable(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const printable =
      cp === 0x0a ||
      (cp >= 0x20 && cp <= 0x7e) ||
      (cp >= 0xa0 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
    if (!printable) return true;
  }
  return false;
}

/**
 * Strings go-yaml can only write double-quoted: unprintable characters, text that would read
 * back as another type, and multi-line text with a space before a line break or at the end
 * (block scalars cannot keep those spaces).
 */
function needsDoubleQuotes(s: string): boolean {
  return (
    hasUnprintable(s) || resolvesToNonString(s) || (s.includes('\n') && (/ \n/.test(s) || s.endsWith(' ')))
  );
}

const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\u0085': '\\N',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

/** go-yaml's double-quoted form (without its folding of long lines, which reads back the same). */
function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const e = DOUBLE_QUOTE_ESCAPES[ch];
    if (e !== undefined) {
      out += e;
    } else if (hasUnprintable(ch)) {
      const cp = ch.codePointAt(0)!;
      const hex = cp.toString(16).toUpperCase();
      out +=
        cp <= 0xff
          ? `\\x${hex.padStart(2, '0')}`
          : cp <= 0xffff
            ? `\\u${hex.padStart(4, '0')}`
            : `\\U${hex.padStart(8, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** Can this one-line string be a plain YAML scalar (libyaml's analysis, for the cases that matter)? */
function plainAllowed(s: string): boolean {
  if (s === '' || /^\s|\s$/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return false;
  return !/: |:$| #/.test(s) && !/^[-?:]$/.test(s);
}

/** A string scalar in the style go-yaml would pick; the writer may still quote a plain one. */
function yamlString(s: string): Scalar {
  if (needsDoubleQuotes(s)) return new Scalar(new RawScalar(doubleQuoted(s)));
  // go-yaml single-quotes (doubling the quote) what cannot be plain; the writer would double-quote
  // a string holding a single quote, so those are written here.
  if (s.includes("'") && !s.includes('\n') && !plainAllowed(s)) {
    return new Scalar(new RawScalar(`'${s.replaceAll("'", "''")}'`));
  }
  // Number-like text that go-yaml resolves as a string (".", "-.", "e1", "._1") is written plain;
  // the YAML writer's own resolver would quote it.
  if (/^[-+.0-9eE_]+$/.test(s) && plainAllowed(s)) return new Scalar(new RawScalar(s));
  const node = new Scalar(s);
  // Unicode line separators are printable to go-yaml but rule out plain style.
  if (/[\u2028\u2029]/.test(s) && !s.includes('\n')) node.type = Scalar.QUOTE_SINGLE;
  return node;
}

/**
 * A multi-line string as the whole document, the way go-yaml writes it: a literal block indented
 * by two (the YAML writer would not indent a top-level block), with chomping and indentation
 * indicators.
 */
function topLevelBlock(s: string): string {
  // libyaml keeps (+) the final break when the text is only that break or ends in an empty line.
  const chomp = !s.endsWith('\n') ? '-' : s === '\n' || s.endsWith('\n\n') ? '+' : '';
  // A leading space or line break needs an explicit indentation indicator.
  const indicator = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const body = s
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
  return `|${indicator}${chomp}\n${body}${s.endsWith('\n') ? '' : '\n'}`;
}

function yamlNode(v: unknown, budget: Budget, depth: number): unknown {
  if (depth > MAX_NESTING) throw tooDeep();
  budget.take(1);
  // sigs.k8s.io/yaml goes through encoding/json: named strings as strings, []byte as base64.
  if (v instanceof GoNamedString) v = v.value;
  if (v instanceof Uint8Array) v = Buffer.from(v).toString('base64');
  if (isNilContainer(v)) v = null;
  const form = jsonFormOf(v);
  if (form !== undefined) {
    if ('value' in form) return yamlNode(form.value, budget, depth + 1);
    // Through JSON and back, a struct is a map: its keys come out sorted.
    const m = newMap();
    for (const [k, e] of form.entries) setKey(m, k, e);
    return yamlNode(m, budget, depth + 1);
  }
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return new Scalar(null);
    case 'bool':
      return new Scalar(v);
    case 'int':
    case 'float':
      return new Scalar(yamlNumber(v));
    case 'string':
      budget.take((v as string).length);
      return yamlString(v as string);
    case 'slice': {
      const seq = new YAMLSeq();
      for (const e of v as unknown[]) seq.items.push(yamlNode(e, budget, depth + 1));
      return seq;
    }
    case 'func':
      throw new Unencodable('unsupported type: func');
    default: {
      // Through JSON and go-yaml v2, every map's keys come out in go-yaml's natural order.
      const entries = (kindOf(v) === 'map' ? mapEntries(v) : structEntries(v as object))
        .map(([k, e]): [string, unknown] => [String(k), e])
        .sort((a, b) => yamlKeyOrder(a[0], b[0]));
      const map = new YAMLMap();
      for (const [k, e] of entries)
        map.items.push(new Pair(yamlString(String(k)), yamlNode(e, budget, depth + 1)));
      return map;
    }
  }
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);

/**
 * go-yaml v2's key order (its keyList.Less): letters by code point and after anything else, runs
 * of digits by numeric value ("a9" before "a10"), otherwise code point order.
 */
function yamlKeyOrder(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return x.codePointAt(0)! - y.codePointAt(0)!;
    if (al || bl) return bl ? -1 : 1;
    let an = 0n;
    let bn = 0n;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(Number(ar[ai]));
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(Number(br[bi]));
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai - bi;
    return x.codePointAt(0)! - y.codePointAt(0)!;
  }
  return ar.length - br.length;
}

/** Helm's toYaml: YAML without the final newline; "" when the value cannot be encoded. */
export function toYaml(v: unknown, budget: Budget): string {
  let contents: unknown;
  try {
    contents = yamlNode(v, budget, 0);
  } catch (e) {
    if (e instanceof Unencodable) return '';
    throw e;
  }
  let text: string;
  if (typeof v === 'string' && v.includes('\n') && !needsDoubleQuotes(v)) {
    text = topLevelBlock(v);
  } else {
    const doc = new Document(null, { version: '1.1', customTags: [RAW_TAG] });
    doc.contents = contents as Document['contents'];
    text = doc.toString({ indentSeq: false, singleQuote: true, blockQuote: 'literal' });
  }
  budget.take(text.length);
  // go-yaml leaves the empty lines of a block scalar empty; the writer indents them. (A string
  // with a whitespace-only line is double-quoted, so these can only be such empty lines.)
  return text.replace(/\n$/, '').replace(/^ +$/gm, '');
}

const JSON_KIND: Readonly<Record<string, string>> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  object: 'array',
};

/**
 * Helm's fromYaml: a map; on failure a map holding the error under "Error". Numbers come back as
 * float64 and timestamps as strings, as they do through sigs.k8s.io/yaml's JSON round trip.
 */
export function fromYaml(s: string): Record<string, unknown> {
  // The YAML parser is slow on big documents; values files are small.
  if (s.length > MAX_YAML_INPUT) throw new LimitError(`fromYaml input exceeds ${MAX_YAML_INPUT} characters`);
  const m = newMap();
  // Deep nesting costs the parser time and stack far beyond its size: refuse it up front, in
  // go-yaml's words (its own limit is 10000; ours is lower, and estimated in one linear pass).
  if (yamlNestingDepth(s) > MAX_YAML_DEPTH) {
    setKey(m, 'Error', `error converting YAML to JSON: yaml: exceeded max depth of ${MAX_YAML_DEPTH}`);
    return m;
  }
  let value: unknown;
  try {
    // go-yaml reads the first document only, with YAML 1.1 scalars but neither timestamps (they
    // stay strings) nor base-60 numbers.
    // A repeated key keeps its last value (go-yaml v2 as sigs.k8s.io/yaml uses it); 0o17 is an
    // octal int there; !!binary decodes to its bytes, which the JSON round trip turns into text.
    const docs = parseAllDocuments(s, {
      version: '1.1',
      uniqueKeys: false,
      customTags: (tags) => [
        OCTAL_0O_TAG,
        BINARY_AS_TEXT_TAG,
        ...tags
          .filter(
            (t) =>
              typeof t === 'object' &&
              t.tag !== 'tag:yaml.org,2002:timestamp' &&
              t.tag !== 'tag:yaml.org,2002:binary' &&
              t.format !== 'TIME',
          )
          // The schema's decimal and exponent floats give way to go-yaml's rule (.inf/.nan stay).
          .flatMap((t) =>
            typeof t === 'object' && t.tag === 'tag:yaml.org,2002:float' && !String(t.test).includes('inf')
              ? t.format === 'EXP'
                ? []
                : [GO_FLOAT_TAG]
              : [t],
          ),
      ],
    });
    const directive = badDirective(s);
    if (directive !== undefined) throw new Error(directive);
    const doc = Array.isArray(docs) ? docs[0] : undefined;
    if (doc === undefined) return m;
    const error = doc.errors[0];
    if (error !== undefined) throw error;
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = ((e as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
    setKey(m, 'Error', `error converting YAML to JSON: yaml: ${message}`);
    return m;
  }
  if (value === null || value === undefined) return m;
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = JSON_KIND[typeof value] ?? 'value';
    setKey(
      m,
      'Error',
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`,
    );
    return m;
  }
  // Through JSON: keys become strings, numbers float64. A self-referencing alias cannot pass.
  let json: string;
  let unsupported: string | undefined;
  try {
    // encoding/json refuses .nan and .inf where JSON.stringify would write null.
    json = JSON.stringify(value, (_, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v) && unsupported === undefined) {
        unsupported = Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
      }
      return v;
    });
  } catch {
    setKey(m, 'Error', 'error converting YAML to JSON: yaml: anchor value contains itself');
    return m;
  }
  if (unsupported !== undefined) {
    setKey(m, 'Error', `error converting YAML to JSON: json: unsupported value: ${unsupported}`);
    return m;
  }
  return fromJsonValue(JSON.parse(json)) as Record<string, unknown>;
}
