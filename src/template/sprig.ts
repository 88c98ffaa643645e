/**
 * The common sprig (github.com/Masterminds/sprig/v3) functions, with sprig's argument order and
 * quirks (e.g. `trunc` and `substr` count bytes, `nospace` works byte by byte, `atoi` and the
 * arithmetic swallow conversion errors, `get` of a missing key is ""), plus Helm's `toYaml`,
 * `required`, and sprig's `slice`, which replaces Go's builtin of the same name.
 *
 * Deliberately absent: everything that reads the clock, randomness, the environment, the
 * network or the file system (now, date, uuidv4, randAlphaNum, env, expandenv, getHostByName,
 * ...): refused.ts gives the parse error that says so. More sprig functions: sprig-regex.ts,
 * sprig-more.ts.
 */

import { createHash } from 'node:crypto';
import { goBase64Decode } from './base64.ts';
import { fromJson, fromYaml, toJson, toYaml } from './encoding.ts';
import { LimitError } from './errors.ts';
import { type CallContext, FuncError, fn, type GoFunction } from './functions.ts';
import { parseInteger } from './literals.ts';
import { type Budget, sprint, sprintf } from './printf.ts';
import { reflectKind } from './sprig-lists.ts';
import {
  compareBytes,
  isNilMap,
  kindOf,
  mapEntries,
  newMap,
  ownValue,
  setKey,
  taggedGoType,
  toNumber,
  withGoType,
} from './values.ts';

// ---- conversions ----

/** sprig's strval: strings as they are, anything else as fmt's %v. */
export function strval(v: unknown, budget: Budget): string {
  return typeof v === 'string' ? v : sprint([v ?? null], budget);
}

/** sprig's strslice: a list's non-nil elements as strings; nil is []; a scalar is [it]. */
export function strslice(v: unknown, budget: Budget): string[] {
  if (Array.isArray(v)) return v.filter((e) => e !== null && e !== undefined).map((e) => strval(e, budget));
  if (v === null || v === undefined) return [];
  return [strval(v, budget)];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An int64 result, wrapping around like Go. int64 values are bigints, Go ints are numbers (see
 * values.ts), so `trunc (add 1 2) "abc"` fails as in Go: int64 is not assignable to int.
 */
function int64Result(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** A Go int result: a number when exact (always, for the values sprig's int can produce here). */
function intResult(v: bigint): number | bigint {
  const w = BigInt.asIntN(64, v);
  return w >= BigInt(Number.MIN_SAFE_INTEGER) && w <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(w) : w;
}

/** "12.000" reads as 12 in cast's string conversion; "12.5" does not. */
function trimZeroDecimal(s: string): string {
  const m = /^(.*)\.0+$/.exec(s);
  return m !== null ? m[1]! : s;
}

/** cast.ToInt64 as sprig uses it: errors become 0. */
export function toInt64(v: unknown): bigint {
  switch (kindOf(v)) {
    case 'int':
      return BigInt(v as number | bigint);
    case 'float': {
      const f = Math.trunc(toNumber(v));
      // Go's conversion of an out-of-range float is undefined; amd64 yields the minimum int64.
      if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return INT64_MIN;
      return BigInt(f);
    }
    case 'string': {
      const n = parseInteger(trimZeroDecimal(v as string));
      return n !== null && n >= INT64_MIN && n <= INT64_MAX ? n : 0n;
    }
    case 'bool':
      return v ? 1n : 0n;
    default:
      return 0n;
  }
}

/** strconv.Atoi, with sprig ignoring the error: out-of-range values clamp, garbage is 0. */
function atoi(s: string): number | bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0;
  const n = BigInt(s);
  return intResult(n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n);
}

// ---- emptiness ----

/**
 * sprig's empty: Go's zero values (and missing values) are empty; structs never are.
 * mergo's isEmptyValue (merge) is the same test.
 */
export function empty(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return true;
    case 'string':
      return v === '';
    case 'bool':
      return v === false;
    case 'int':
    case 'float':
      return toNumber(v) === 0;
    case 'slice':
      return (v as unknown[]).length === 0;
    case 'map':
      return mapEntries(v).length === 0;
    default:
      return false;
  }
}

// ---- strings ----

const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${GO_SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${GO_SPACE}]+$`);

/** strings.TrimSpace, with Go's notion of white space (no U+FEFF, but U+0085). */
function trimSpace(s: string): string {
  return s.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

/** strings.Trim: drop leading and trailing characters that are in the cutset. */
function trimCutset(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && cut.has(chars[start]!)) start++;
  while (end > start && cut.has(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}

/**
 * Go's simple (one rune to one rune) case mappings where JavaScript's full mappings differ: JS
 * turns ᾀ into two characters and İ into i + a combining dot; Go maps them to one rune.
 */
const SIMPLE_UPPER: ReadonlyMap<number, number> = new Map([
  ...Array.from({ length: 8 }, (_, i): [number, number] => [0x1f80 + i, 0x1f88 + i]),
  ...Array.from({ length: 8 }, (_, i): [number, number] => [0x1f90 + i, 0x1f98 + i]),
  ...Array.from({ length: 8 }, (_, i): [number, number] => [0x1fa0 + i, 0x1fa8 + i]),
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
const SIMPLE_LOWER: ReadonlyMap<number, number> = new Map([[0x130, 0x69]]);
/** unicode.ToTitle differs from ToUpper for the Latin digraphs: ǆ → ǅ, not Ǆ. */
const TITLE_DIGRAPHS: ReadonlyMap<number, number> = new Map(
  [0x1c4, 0x1c7, 0x1ca, 0x1f1].flatMap(
    (base): Array<[number, number]> => [
      [base, base + 1],
      [base + 1, base + 1],
      [base + 2, base + 1],
    ],
  ),
);

/** Per-character case mapping like Go's, which never changes the number of characters. */
export function mapCase(s: string, upper: boolean): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    const simple = (upper ? SIMPLE_UPPER : SIMPLE_LOWER).get(cp);
    if (simple !== undefined) {
      out += String.fromCodePoint(simple);
      continue;
    }
    const m = upper ? c.toUpperCase() : c.toLowerCase();
    out += [...m].length === 1 ? m : c;
  }
  return out;
}

/** unicode.ToTitle of one character. */
export function toTitle(c: string): string {
  const t = TITLE_DIGRAPHS.get(c.codePointAt(0)!);
  return t !== undefined ? String.fromCodePoint(t) : mapCase(c, true);
}

/** strings.Title: title-case the first letter of each word. */
function title(s: string): string {
  let out = '';
  let prev = ' ';
  for (const c of s) {
    out += isSeparator(prev) ? toTitle(c) : c;
    prev = c;
  }
  return out;
}

function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp <= 0x7f) return !/[0-9a-zA-Z_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return new RegExp(`^[${GO_SPACE}]$`).test(c);
}

/**
 * goutils.DeleteWhiteSpace as sprig's nospace calls it: it walks bytes and writes each kept
 * byte back as a code point, so non-ASCII text comes out as Latin-1 mojibake. Faithful on purpose.
 */
function nospace(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  let kept = 0;
  for (const b of bytes) {
    if (
      b === 0x09 ||
      b === 0x0a ||
      b === 0x0b ||
      b === 0x0c ||
      b === 0x0d ||
      b === 0x20 ||
      b === 0x85 ||
      b === 0xa0
    ) {
      continue;
    }
    out += String.fromCharCode(b);
    kept++;
  }
  return kept === bytes.length ? s : out;
}

function bytesOf(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** Go's s[start:end] on bytes, with Go's panic text when out of range. */
function sliceBytes(s: string, start: number | null, end: number | null): string {
  const b = bytesOf(s);
  const lo = start ?? 0;
  const hi = end ?? b.length;
  if (hi < 0) throw new FuncError(`runtime error: slice bounds out of range [:${hi}]`);
  if (hi > b.length) {
    throw new FuncError(`runtime error: slice bounds out of range [:${hi}] with length ${b.length}`);
  }
  if (lo < 0 || lo > hi) throw new FuncError(`runtime error: slice bounds out of range [${lo}:${hi}]`);
  return b.subarray(lo, hi).toString('utf8');
}

function trunc(c: number, s: string): string {
  const len = bytesOf(s).length;
  if (c < 0 && len + c > 0) return sliceBytes(s, len + c, null);
  if (c >= 0 && len > c) return sliceBytes(s, null, c);
  return s;
}

function substr(start: number, end: number, s: string): string {
  if (start < 0) return sliceBytes(s, null, end);
  if (end < 0 || end > bytesOf(s).length) return sliceBytes(s, start, null);
  return sliceBytes(s, start, end);
}

function checkSize(ctx: CallContext, n: number): void {
  if (n > ctx.maxBytes)
    throw new LimitError(`result of ${n} bytes exceeds the output limit of ${ctx.maxBytes} bytes`);
}

function repeat(ctx: CallContext, count: number, s: string): string {
  if (count < 0) throw new FuncError('strings: negative Repeat count');
  checkSize(ctx, count * s.length);
  return s.repeat(count);
}

/** strings.Replace(src, old, new, -1); an empty old inserts between every character. */
function replace(ctx: CallContext, old: string, repl: string, src: string): string {
  const parts = old === '' ? ['', ...src, ''] : src.split(old);
  checkSize(ctx, src.length + (parts.length - 1) * repl.length);
  return parts.join(repl);
}

function indent(ctx: CallContext, spaces: number, s: string): string {
  // strings.Repeat panics on a negative count; text/template reports the panic as the error.
  if (spaces < 0) throw new FuncError('strings: negative Repeat count');
  const pad = ' '.repeat(Math.min(spaces, ctx.maxBytes + 1));
  const lines = s.split('\n');
  checkSize(ctx, s.length + lines.length * pad.length);
  return pad + lines.join(`\n${pad}`);
}

export function b64dec(s: string): string {
  // sprig returns the decoding error's text as the result.
  const r = goBase64Decode(s);
  return r.ok ? r.bytes.toString('utf8') : r.error;
}

// ---- maps and lists ----

function mapGet(m: object, key: string): { found: boolean; value: unknown } {
  if (m instanceof Map) return { found: m.has(key), value: m.get(key) };
  const v = ownValue(m, key);
  return { found: v !== undefined && typeof v !== 'function', value: v };
}

function dict(ctx: CallContext, args: unknown[]): Record<string, unknown> {
  const d = newMap();
  for (let i = 0; i < args.length; i += 2) {
    const key = strval(args[i], ctx.budget());
    setKey(d, key, i + 1 < args.length ? args[i + 1] : '');
  }
  return d;
}

function keys(dicts: unknown[]): string[] {
  return withGoType(sortedKeys(dicts), '[]string');
}

function sortedKeys(dicts: unknown[]): string[] {
  const out: string[] = [];
  for (const d of dicts) {
    if (d === null) continue;
    for (const [k] of mapEntries(d)) out.push(String(k));
  }
  // Go's map order is random; sorted is one of its possible answers, and a stable one.
  return out.sort(compareBytes);
}

/** sprig's split: a map[string]string {_0: first, _1: second, ...}. */
function split(sep: string, s: string): Record<string, unknown> {
  const d = newMap();
  goSplit(s, sep).forEach((part, i) => {
    setKey(d, `_${i}`, part);
  });
  return withGoType(d, 'map[string]string');
}

/** strings.Split: an empty separator splits into characters. */
function goSplit(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

/** sprig's slice (it shadows Go's builtin): list[start:end] with cast-converted indexes. */
export function sprigSlice(list: unknown, indexes: unknown[]): unknown {
  if (list === null || list === undefined) {
    throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  }
  if (!Array.isArray(list)) {
    throw new FuncError(`list should be type of slice or array but ${reflectKind(list)}`);
  }
  if (list.length === 0) return null;
  const start = indexes.length > 0 ? Number(toInt64(indexes[0])) : 0;
  const end = indexes.length > 1 ? Number(toInt64(indexes[1])) : list.length;
  if (start < 0 || end < start || end > list.length) {
    throw new FuncError('reflect.Value.Slice: slice index out of bounds');
  }
  const out = list.slice(start, end);
  // reflect's Slice keeps the element type: a []string stays a []string.
  const tagged = taggedGoType(list);
  return tagged !== undefined ? withGoType(out, tagged) : out;
}

// ---- hashing ----

function hashHex(algorithm: string, s: string): string {
  return createHash(algorithm).update(s, 'utf8').digest('hex');
}

// ---- the table ----

const binaryInt = (op: (a: bigint, b: bigint) => bigint) =>
  fn(['any', 'any'], (_, [a, b]) => int64Result(op(toInt64(a), toInt64(b))));

function divide(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
  return a / b;
}

/** sprig's max (sign 1) or min (sign -1) of the arguments as int64s. */
export function extreme(args: unknown[], sign: bigint): bigint {
  let best = toInt64(args[0]);
  for (const a of args.slice(1)) {
    const v = toInt64(a);
    if ((v - best) * sign > 0n) best = v;
  }
  return best;
}

function modulo(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
  return a % b;
}

export const SPRIG: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  // strings
  ['trunc', fn(['int', 'string'], (_, [c, s]) => trunc(c as number, s as string))],
  ['trim', fn(['string'], (_, [s]) => trimSpace(s as string))],
  ['upper', fn(['string'], (_, [s]) => mapCase(s as string, true))],
  ['lower', fn(['string'], (_, [s]) => mapCase(s as string, false))],
  ['title', fn(['string'], (_, [s]) => title(s as string))],
  ['substr', fn(['int', 'int', 'string'], (_, [a, b, s]) => substr(a as number, b as number, s as string))],
  ['repeat', fn(['int', 'string'], (ctx, [n, s]) => repeat(ctx, n as number, s as string))],
  ['trimAll', fn(['string', 'string'], (_, [a, b]) => trimCutset(b as string, a as string))],
  ['trimall', fn(['string', 'string'], (_, [a, b]) => trimCutset(b as string, a as string))],
  [
    'trimSuffix',
    fn(['string', 'string'], (_, [a, b]) =>
      (b as string).endsWith(a as string)
        ? (b as string).slice(0, (b as string).length - (a as string).length)
        : b,
    ),
  ],
  [
    'trimPrefix',
    fn(['string', 'string'], (_, [a, b]) =>
      (b as string).startsWith(a as string) ? (b as string).slice((a as string).length) : b,
    ),
  ],
  ['nospace', fn(['string'], (_, [s]) => nospace(s as string))],
  ['contains', fn(['string', 'string'], (_, [sub, s]) => (s as string).includes(sub as string))],
  ['hasPrefix', fn(['string', 'string'], (_, [p, s]) => (s as string).startsWith(p as string))],
  ['hasSuffix', fn(['string', 'string'], (_, [p, s]) => (s as string).endsWith(p as string))],
  [
    'quote',
    fn(
      [],
      (ctx, args) =>
        args
          .filter((a) => a !== null)
          .map((a) => sprintf('%q', [strval(a, ctx.budget())], ctx.budget()))
          .join(' '),
      'any',
    ),
  ],
  [
    'squote',
    fn(
      [],
      (ctx, args) =>
        args
          .filter((a) => a !== null)
          .map((a) => sprintf("'%v'", [a], ctx.budget()))
          .join(' '),
      'any',
    ),
  ],
  [
    'cat',
    fn(
      [],
      (ctx, args) => {
        const kept = args.filter((a) => a !== null);
        return sprintf(kept.map(() => '%v').join(' '), kept, ctx.budget());
      },
      'any',
    ),
  ],
  ['indent', fn(['int', 'string'], (ctx, [n, s]) => indent(ctx, n as number, s as string))],
  ['nindent', fn(['int', 'string'], (ctx, [n, s]) => `\n${indent(ctx, n as number, s as string)}`)],
  [
    'replace',
    fn(['string', 'string', 'string'], (ctx, [o, n, s]) =>
      replace(ctx, o as string, n as string, s as string),
    ),
  ],
  ['sha1sum', fn(['string'], (_, [s]) => hashHex('sha1', s as string))],
  ['sha256sum', fn(['string'], (_, [s]) => hashHex('sha256', s as string))],
  ['b64enc', fn(['string'], (_, [s]) => Buffer.from(s as string, 'utf8').toString('base64'))],
  ['b64dec', fn(['string'], (_, [s]) => b64dec(s as string))],
  ['toString', fn(['any'], (ctx, [v]) => strval(v, ctx.budget()))],
  // conversions and arithmetic
  ['atoi', fn(['string'], (_, [s]) => atoi(s as string))],
  ['int', fn(['any'], (_, [v]) => intResult(toInt64(v)))],
  ['int64', fn(['any'], (_, [v]) => int64Result(toInt64(v)))],
  ['add', fn([], (_, args) => int64Result(args.reduce<bigint>((sum, a) => sum + toInt64(a), 0n)), 'any')],
  ['add1', fn(['any'], (_, [a]) => int64Result(toInt64(a) + 1n))],
  ['sub', binaryInt((a, b) => a - b)],
  [
    'mul',
    fn(
      ['any'],
      (_, [a, ...rest]) =>
        int64Result(rest.reduce<bigint>((p, b) => BigInt.asIntN(64, p * toInt64(b)), toInt64(a))),
      'any',
    ),
  ],
  ['div', binaryInt(divide)],
  ['mod', binaryInt(modulo)],
  ['max', fn(['any'], (_, args) => int64Result(extreme(args, 1n)), 'any')],
  ['min', fn(['any'], (_, args) => int64Result(extreme(args, -1n)), 'any')],
  // defaults and logic
  [
    'default',
    fn(['any'], (_, [d, ...given]) => (given.length === 0 || empty(given[0]) ? d : given[0]), 'any'),
  ],
  ['empty', fn(['any'], (_, [v]) => empty(v))],
  ['coalesce', fn([], (_, args) => args.find((a) => !empty(a)) ?? null, 'any')],
  ['ternary', fn(['any', 'any', 'bool'], (_, [t, f, c]) => (c ? t : f))],
  [
    'required',
    fn(['string', 'any'], (_, [msg, v]) => {
      if (v === null || v === '') throw new FuncError(msg as string);
      return v;
    }),
  ],
  [
    'fail',
    fn(['string'], (_, [msg]) => {
      throw new FuncError(msg as string);
    }),
  ],
  // lists and dicts
  ['list', fn([], (_, args) => args, 'any')],
  ['dict', fn([], (ctx, args) => dict(ctx, args), 'any')],
  [
    'get',
    fn(['map', 'string'], (_, [d, k]) => {
      if (d === null) return '';
      const r = mapGet(d as object, k as string);
      return r.found ? r.value : '';
    }),
  ],
  [
    'set',
    fn(['map', 'string', 'any'], (_, [d, k, v]) => {
      if (d === null || isNilMap(d)) throw new FuncError('assignment to entry in nil map');
      // Template data is a frozen copy: Go would change the object being synced here.
      if (Object.isFrozen(d)) throw new FuncError('the map is read-only: template data cannot be changed');
      setKey(d as object, k as string, v);
      return d;
    }),
  ],
  ['hasKey', fn(['map', 'string'], (_, [d, k]) => d !== null && mapGet(d as object, k as string).found)],
  ['keys', fn([], (_, dicts) => keys(dicts), 'map')],
  [
    'sortAlpha',
    fn(['any'], (ctx, [v]) =>
      withGoType(
        Array.isArray(v) ? strslice(v, ctx.budget()).sort(compareBytes) : [strval(v, ctx.budget())],
        '[]string',
      ),
    ),
  ],
  [
    'join',
    fn(['string', 'any'], (ctx, [sep, v]) => {
      const parts = strslice(v, ctx.budget());
      checkSize(
        ctx,
        parts.reduce((n, p) => n + p.length + (sep as string).length, 0),
      );
      return parts.join(sep as string);
    }),
  ],
  ['split', fn(['string', 'string'], (_, [sep, s]) => split(sep as string, s as string))],
  [
    'splitList',
    fn(['string', 'string'], (_, [sep, s]) => withGoType(goSplit(s as string, sep as string), '[]string')),
  ],
  ['slice', fn(['any'], (_, [list, ...indexes]) => sprigSlice(list, indexes), 'any')],
  // encoding
  ['toJson', fn(['any'], (ctx, [v]) => toJson(v, ctx.budget()))],
  ['fromJson', fn(['string'], (_, [s]) => fromJson(s as string))],
  ['toYaml', fn(['any'], (ctx, [v]) => toYaml(v, ctx.budget()))],
  ['fromYaml', fn(['string'], (_, [s]) => fromYaml(s as string))],
]);
