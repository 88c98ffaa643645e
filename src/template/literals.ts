/**
 * Go literal syntax inside actions: numbers (as strconv.ParseInt/ParseFloat with base 0 read them)
 * and quoted strings and characters (as strconv.Unquote does).
 */

export interface ParsedNumber {
  isInt: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A number token's value, or the error message Go gives for it. */
export function parseNumber(text: string): ParsedNumber | string {
  if (text.endsWith('i')) return `complex constants are not supported: ${JSON.stringify(text)}`;
  const int = parseInteger(text);
  if (int !== null && int >= INT64_MIN && int <= INT64_MAX) {
    return { isInt: true, isFloat: true, int, float: Number(int) };
  }
  // Go accepts uint64 constants at parse time and rejects them when used as an int.
  if (int !== null && int > 0n && int <= UINT64_MAX) return `${text} overflows int`;
  const f = parseFloat64(text);
  if (f === null) return `illegal number syntax: ${JSON.stringify(text)}`;
  // An integer-looking text that failed as an integer is too big for one.
  if (!/[.eEpP]/.test(text)) return `integer overflow: ${JSON.stringify(text)}`;
  const isInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
  return { isInt, isFloat: true, int: isInt ? BigInt(f) : 0n, float: f };
}

/** Go's rule: an underscore must sit between digits, or right after a base prefix. */
function underscoresOK(body: string, hasPrefix: boolean): boolean {
  if (!body.includes('_')) return true;
  const s = hasPrefix ? `0${body}` : body;
  return !/__/.test(s) && !s.startsWith('_') && !s.endsWith('_') && !/_[.eEpP]|[.eEpP+-]_/.test(s);
}

/** strconv.ParseInt(text, 0, 0) without the range check: base prefixes, legacy octal, underscores. */
export function parseInteger(text: string): bigint | null {
  let s = text;
  let negative = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  let base = 10;
  let prefix = '';
  if (/^0[xX]/.test(s)) [base, prefix] = [16, '0x'];
  else if (/^0[oO]/.test(s)) [base, prefix] = [8, '0o'];
  else if (/^0[bB]/.test(s)) [base, prefix] = [2, '0b'];
  else if (/^0[0-9_]/.test(s)) [base, prefix] = [8, '0'];
  let body = s.slice(prefix.length);
  if (!underscoresOK(body, prefix !== '')) return null;
  body = body.replaceAll('_', '');
  if (body === '') return prefix === '0' ? 0n : null;
  const digit = { 16: /^[0-9a-fA-F]+$/, 10: /^[0-9]+$/, 8: /^[0-7]+$/, 2: /^[01]+$/ }[base]!;
  if (!digit.test(body)) return null;
  const literal = base === 10 ? body : `${{ 16: '0x', 8: '0o', 2: '0b' }[base]}${body}`;
  const v = BigInt(literal);
  return negative ? -v : v;
}

function parseFloat64(text: string): number | null {
  let s = text;
  let sign = 1;
  if (s.startsWith('+') || s.startsWith('-')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (/^0[xX]/.test(s)) {
    const m = /^0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(s);
    if (m === null || !underscoresOK(s.slice(2), true)) return null;
    const intPart = (m[1] ?? '').replaceAll('_', '');
    const fracPart = (m[2] ?? '').replaceAll('_', '');
    if (intPart === '' && fracPart === '') return null;
    let mantissa = 0;
    for (const c of intPart + fracPart) mantissa = mantissa * 16 + Number.parseInt(c, 16);
    const exp = Number(m[3]!.replaceAll('_', '')) - 4 * fracPart.length;
    const v = sign * mantissa * 2 ** exp;
    return Number.isFinite(v) ? v : null;
  }
  if (!/^(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/.test(s)) return null;
  if (!underscoresOK(s, false)) return null;
  const v = sign * Number(s.replaceAll('_', ''));
  return Number.isFinite(v) ? v : null;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
};

/**
 * Decode one possibly-escaped character at s[i]. Returns the value, whether it is a raw byte
 * (\x and octal escapes in strings are bytes, not code points), and the next index; null when
 * the escape is invalid.
 */
function unquoteOne(
  s: string,
  i: number,
  quote: string,
): { value: number; byte: boolean; next: number } | null {
  const c = s[i];
  if (c === undefined || c === quote) return null;
  if (c !== '\\') {
    const cp = s.codePointAt(i)!;
    return { value: cp, byte: false, next: i + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[i + 1];
  if (e === undefined) return null;
  if (e in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[e]!, byte: false, next: i + 2 };
  if (e === "'" || e === '"')
    return e === quote ? { value: e.charCodeAt(0), byte: false, next: i + 2 } : null;
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const hex = s.slice(i + 2, i + 2 + hexLen);
    if (hex.length !== hexLen || !/^[0-9a-fA-F]+$/.test(hex)) return null;
    const value = Number.parseInt(hex, 16);
    if (e === 'x') return { value, byte: true, next: i + 2 + hexLen };
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return null;
    return { value, byte: false, next: i + 2 + hexLen };
  }
  if (e >= '0' && e <= '7') {
    const oct = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(oct)) return null;
    const value = Number.parseInt(oct, 8);
    return value > 255 ? null : { value, byte: true, next: i + 4 };
  }
  return null;
}

/**
 * The value of a double-quoted Go string literal (with its quotes), or null if it is malformed.
 * Linear and chunked: runs of plain text are copied as slices, only escapes are decoded one by
 * one (a 4.5 MB literal takes milliseconds, not seconds).
 */
export function unquoteString(quoted: string): string | null {
  const s = quoted.slice(1, -1);
  if (s.includes('\n')) return null;
  if (!s.includes('\\')) return s;
  const fast = decodeCharEscapes(s);
  if (fast !== null) return fast;
  const parts: string[] = [];
  // \x and octal escapes are raw bytes; consecutive ones may form one UTF-8 character
  // ("\xc3\xa9" is é), and bad sequences become U+FFFD.
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) parts.push(new TextDecoder('utf-8').decode(new Uint8Array(bytes)));
    bytes = [];
  };
  let i = 0;
  while (i < s.length) {
    const slash = s.indexOf('\\', i);
    const end = slash === -1 ? s.length : slash;
    if (end > i) {
      flush();
      const plain = s.slice(i, end);
      if (plain.includes('"')) return null;
      parts.push(plain);
      i = end;
      continue;
    }
    const r = unquoteOne(s, i, '"');
    if (r === null) return null;
    if (r.byte) {
      bytes.push(r.value);
    } else {
      flush();
      parts.push(String.fromCodePoint(r.value));
    }
    i = r.next;
  }
  flush();
  return parts.join('');
}

const CHAR_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([abfnrtv\\"]))/g;
const OTHER_ESCAPE = /\\(?![abfnrtv\\"]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/;

/**
 * The common case in one regular-expression pass: only character escapes (\n, \", \u00e9, ...),
 * no byte escapes. null when the text has anything else (the general loop decides then).
 */
function decodeCharEscapes(s: string): string | null {
  if (OTHER_ESCAPE.test(s)) return null;
  let bad = false;
  const out = s.replace(CHAR_ESCAPE, (_, u4?: string, u8?: string, c?: string) => {
    if (c !== undefined) return String.fromCharCode(SIMPLE_ESCAPES[c] ?? c.charCodeAt(0));
    const cp = Number.parseInt((u4 ?? u8)!, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      bad = true;
      return '';
    }
    return String.fromCodePoint(cp);
  });
  return bad ? null : out;
}

/** The code point of a Go character literal such as 'a' or '\n', or Go's error message. */
export function unquoteChar(quoted: string): number | string {
  const r = unquoteOne(quoted, 1, "'");
  if (r === null) return 'invalid syntax';
  if (quoted.slice(r.next) !== "'") return `malformed character constant: ${quoted}`;
  return r.value;
}
