/**
 * More sprig functions, each with sprig v3.3's semantics: pluck, merge / mergeOverwrite and their
 * must- forms (dario.cat/mergo's rules), until, untilStep, seq, float64, adler32sum, semver and
 * semverCompare.
 */

import { marshalJsonAs } from './encoding.ts';
import { LimitError } from './errors.ts';
import { type CallContext, FuncError, fn, type GoFunction } from './functions.ts';
import { goFloat } from './printf.ts';
import { newVersion, semverCompare } from './semver.ts';
import { empty } from './sprig.ts';
import {
  goStringMap,
  isNilMap,
  kindOf,
  mapEntries,
  newMap,
  nilMap,
  ownValue,
  setKey,
  toNumber,
  withGoType,
  withJsonForm,
} from './values.ts';

// ---- lists of numbers ----

/** The element count of untilStep, computed before anything is allocated. */
function stepCount(start: number, stop: number, step: number): number {
  if (stop < start) return step >= 0 ? 0 : Math.ceil((start - stop) / -step);
  return step <= 0 ? 0 : Math.ceil((stop - start) / step);
}

function checkCount(ctx: CallContext, n: number): void {
  // A list costs a step per element anyway; refusing early also bounds the memory.
  if (n > ctx.maxBytes) throw new LimitError(`result of ${n} elements exceeds the limit of ${ctx.maxBytes}`);
}

/** sprig's untilStep: [start, stop) by step; nothing when the step goes the wrong way. */
export function untilStep(ctx: CallContext, start: number, stop: number, step: number): number[] {
  const n = stepCount(start, stop, step);
  checkCount(ctx, n);
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return withGoType(out, '[]int');
}

function seq(ctx: CallContext, params: number[]): string {
  let list: number[];
  switch (params.length) {
    case 0:
      return '';
    case 1: {
      const end = params[0]!;
      const inc = end < 1 ? -1 : 1;
      list = untilStep(ctx, 1, end + inc, inc);
      break;
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      list = untilStep(ctx, start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      list = untilStep(ctx, start, end + inc, step);
      break;
    }
    default:
      return '';
  }
  return list.join(' ');
}

// ---- float64 ----

const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/** strconv.ParseFloat for the forms templates meet; null where Go returns an error. */
export function parseFloat64(s: string): number | null {
  if (SPECIAL_FLOAT.test(s)) {
    const neg = s.startsWith('-');
    if (/nan/i.test(s)) return Number.NaN;
    return neg ? -Infinity : Infinity;
  }
  if (!DECIMAL_FLOAT.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null; // out of range is an error in Go
}

/** cast.ToFloat64 as sprig calls it: conversion errors become 0. */
export function toFloat64(v: unknown): number {
  switch (kindOf(v)) {
    case 'int':
    case 'float':
      return toNumber(v);
    case 'string':
      return parseFloat64(v as string) ?? 0;
    case 'bool':
      return v ? 1 : 0;
    default:
      return 0;
  }
}

// ---- adler32 ----

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

// ---- dicts ----

function pluck(key: string, dicts: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const d of dicts) {
    if (d === null || d === undefined) continue;
    if (d instanceof Map) {
      if (d.has(key)) out.push(d.get(key) ?? null);
      continue;
    }
    const v = ownValue(d as object, key);
    if (v !== undefined && typeof v !== 'function') out.push(v);
  }
  return out;
}

function mapHas(m: object, key: string): boolean {
  if (m instanceof Map) return m.has(key);
  const v = ownValue(m, key);
  return v !== undefined && typeof v !== 'function';
}

function mapRead(m: object, key: string): unknown {
  return m instanceof Map ? m.get(key) : ownValue(m, key);
}

const MAX_MERGE_DEPTH = 200;

/**
 * mergo.Merge (overwrite=false) / MergeWithOverwrite (true) of map[string]interface{} values:
 * nested maps merge in place; otherwise src fills keys dst lacks or holds an empty value for, and
 * with overwrite replaces any value (a nil src value too). A slice in dst is kept unless dst is
 * empty or overwriting.
 */
function deepMerge(dst: object, src: object, overwrite: boolean, depth: number, dstEmpty: boolean): void {
  if (depth > MAX_MERGE_DEPTH) throw new LimitError('merge: values nested too deeply', 'depth');
  if (Object.isFrozen(dst)) throw new FuncError('the map is read-only: template data cannot be changed');
  const srcEmpty = mapEntries(src).length === 0;
  for (const [key, sv] of mapEntries(src)) {
    const k = key as string;
    const has = mapHas(dst, k);
    const dv = has ? mapRead(dst, k) : undefined;
    if (sv === null) {
      if (overwrite) setKey(dst, k, null);
      continue;
    }
    const sk = kindOf(sv);
    if (sk === 'map') {
      if (has && kindOf(dv) === 'map') deepMerge(dv as object, sv as object, overwrite, depth + 1, empty(dv));
    } else if (sk === 'slice') {
      let slice: unknown = !has || dv === null ? [] : dv;
      if (!srcEmpty && (overwrite || dstEmpty)) slice = sv;
      setKey(dst, k, slice);
    }
    if (has && !empty(dv)) {
      if (sk === 'slice') continue;
      if (sk === 'map' && kindOf(dv) === 'map') continue;
    }
    if (overwrite || !has || empty(dv)) setKey(dst, k, sv);
  }
}

function merge(given: unknown, srcs: unknown[], overwrite: boolean): unknown {
  // mergo makes a nil destination map only when a source map is not nil; else dst stays nil.
  const live = srcs.some((x) => x !== null && x !== undefined);
  if ((given === null || given === undefined || isNilMap(given)) && !live) return nilMap();
  const dst = given === null || given === undefined || isNilMap(given) ? newMap() : given;
  if (Object.isFrozen(dst)) throw new FuncError('the map is read-only: template data cannot be changed');
  for (const src of srcs) {
    if (src === null || src === undefined) continue;
    deepMerge(dst as object, src as object, overwrite, 0, empty(dst));
  }
  return dst;
}

/** strings.SplitN as sprig's splitn returns it: a map[string]string {_0: ..., _1: ...}. */
function splitn(sep: string, n: number, s: string): Record<string, string> {
  if (n === 0) return goStringMap({});
  let parts: string[];
  if (sep === '') parts = [...s];
  else parts = s.split(sep);
  if (n > 0 && parts.length > n) parts = [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  if (sep === '' && n > 0 && [...s].length > n) {
    const chars = [...s];
    parts = [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const out: Record<string, string> = {};
  parts.forEach((p, i) => {
    out[`_${i}`] = p;
  });
  return goStringMap(out);
}

/** base32.StdEncoding.EncodeToString. */
function base32(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

const swallowJson = (f: () => string): string => {
  try {
    return f();
  } catch (e) {
    if (e instanceof FuncError) return '';
    throw e;
  }
};

export const MORE_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['toPrettyJson', fn(['any'], (ctx, [v]) => swallowJson(() => marshalJsonAs(v, ctx.budget(), 'pretty')))],
  ['toRawJson', fn(['any'], (ctx, [v]) => marshalJsonAs(v, ctx.budget(), 'raw'))],
  ['mustToJson', fn(['any'], (ctx, [v]) => marshalJsonAs(v, ctx.budget(), 'compact'))],
  ['mustToPrettyJson', fn(['any'], (ctx, [v]) => marshalJsonAs(v, ctx.budget(), 'pretty'))],
  ['mustToRawJson', fn(['any'], (ctx, [v]) => marshalJsonAs(v, ctx.budget(), 'raw'))],
  [
    'splitn',
    fn(['string', 'int', 'string'], (_, [sep, n, s]) => splitn(sep as string, n as number, s as string)),
  ],
  ['floor', fn(['any'], (_, [v]) => goFloat(Math.floor(toFloat64(v))))],
  ['ceil', fn(['any'], (_, [v]) => goFloat(Math.ceil(toFloat64(v))))],
  ['b32enc', fn(['string'], (_, [s]) => base32(s as string))],
  [
    'unset',
    fn(['map', 'string'], (_, [d, k]) => {
      if (d === null || isNilMap(d)) return d ?? nilMap();
      if (Object.isFrozen(d)) throw new FuncError('the map is read-only: template data cannot be changed');
      delete (d as Record<string, unknown>)[k as string];
      return d;
    }),
  ],
  ['pluck', fn(['string'], (_, [k, ...ds]) => pluck(k as string, ds), 'map')],
  // sprig's merge returns "" on mergo's errors; with map[string]interface{} values mergo has none
  // to report, so the plain and must- forms agree. (Read-only data is our error, and surfaces.)
  ['merge', fn(['map'], (_, [d, ...s]) => merge(d, s, false), 'map')],
  ['mergeOverwrite', fn(['map'], (_, [d, ...s]) => merge(d, s, true), 'map')],
  ['mustMerge', fn(['map'], (_, [d, ...s]) => merge(d, s, false), 'map')],
  ['mustMergeOverwrite', fn(['map'], (_, [d, ...s]) => merge(d, s, true), 'map')],
  ['until', fn(['int'], (ctx, [n]) => untilStep(ctx, 0, n as number, (n as number) < 0 ? -1 : 1))],
  [
    'untilStep',
    fn(['int', 'int', 'int'], (ctx, [a, b, c]) => untilStep(ctx, a as number, b as number, c as number)),
  ],
  ['seq', fn([], (ctx, params) => seq(ctx, params as number[]), 'int')],
  ['float64', fn(['any'], (_, [v]) => goFloat(toFloat64(v)))],
  ['adler32sum', fn(['string'], (_, [s]) => String(adler32(s as string)))],
  [
    'semver',
    fn(['string'], (_, [v]) => {
      const version = newVersion(v as string);
      // Version.MarshalJSON writes its String().
      return withJsonForm(withGoType(version, '*semver.Version'), () => ({ value: version.String() }));
    }),
  ],
  ['semverCompare', fn(['string', 'string'], (_, [c, v]) => semverCompare(c as string, v as string))],
]);
