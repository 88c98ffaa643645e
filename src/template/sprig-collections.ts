/**
 * sprig's remaining list, dict and reflection helpers: all, any (sprig's empty over the
 * arguments), chunk / mustChunk, mustSlice, values, deepCopy / mustDeepCopy
 * (mitchellh/copystructure: a fresh copy of every map and slice, Go types kept), toStrings
 * (sprig's strslice) and typeIsLike.
 */
import { type CallContext, FuncError, fn, type GoFunction } from './functions.ts';
import { SemVersion } from './semver.ts';
import { empty, sprigSlice, strslice } from './sprig.ts';
import { reflectKind } from './sprig-lists.ts';
import {
  goTypeName,
  isNilContainer,
  jsonFormOf,
  kindOf,
  mapEntries,
  newMap,
  setKey,
  taggedGoType,
  withGoType,
  withJsonForm,
} from './values.ts';

const NIL_DEREFERENCE = 'runtime error: invalid memory address or nil pointer dereference';
const MAKESLICE = 'runtime error: makeslice: len out of range';
const INT64_MIN = -(2 ** 63);

/** Go's int(f) on amd64: out-of-range and NaN become the minimum int64. */
function floatToInt(f: number): number {
  return Number.isFinite(f) && f < 2 ** 63 && f >= -(2 ** 63) ? Math.trunc(f) : INT64_MIN;
}

/**
 * sprig's mustChunk, float arithmetic and all: a size of 0 or below gives Go's panics
 * (makeslice), not a JavaScript infinite loop.
 */
function chunk(size: number, list: unknown): unknown[][] {
  if (list === null || list === undefined) throw new FuncError(NIL_DEREFERENCE);
  if (kindOf(list) !== 'slice') throw new FuncError(`Cannot chunk type ${reflectKind(list)}`);
  const items = Array.from(list as ArrayLike<unknown>);
  const l = items.length;
  const count = floatToInt(Math.floor((l - 1) / size) + 1);
  if (count < 0) throw new FuncError(MAKESLICE);
  const out: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    let clen = size;
    if (i === count - 1) {
      // math.Mod: the sign of the dividend, NaN for a zero divisor.
      clen = floatToInt(Math.floor(l % size));
      if (clen === 0) clen = size;
    }
    if (clen < 0) throw new FuncError(MAKESLICE);
    const part: unknown[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * size + j;
      if (ix >= l) throw new FuncError('reflect: slice index out of range');
      part.push(items[ix]);
    }
    out.push(part);
  }
  return withGoType(out, '[][]interface {}');
}

/** copystructure.Copy: new maps and slices all the way down; scalars and structs as they are. */
function deepCopy(v: unknown, depth = 0): unknown {
  if (depth > 1000) throw new FuncError('deepCopy: value nested too deeply');
  if (v === null || v === undefined || isNilContainer(v)) return v ?? null;
  // copystructure copies exported fields only: a *semver.Version (all unexported) comes out zero.
  if (v instanceof SemVersion) {
    const zero = new SemVersion(0n, 0n, 0n, '', '', '');
    return withJsonForm(withGoType(zero, '*semver.Version'), () => ({ value: zero.String() }));
  }
  const tagged = taggedGoType(v);
  const form = jsonFormOf(v);
  if (v instanceof Uint8Array) return withGoType(new Uint8Array(v), tagged ?? '[]uint8');
  if (Array.isArray(v)) {
    const out = v.map((e) => deepCopy(e, depth + 1));
    return tagged !== undefined ? withGoType(out, tagged) : out;
  }
  if (kindOf(v) === 'map') {
    const out = newMap();
    for (const [k, e] of mapEntries(v)) setKey(out, String(k), deepCopy(e, depth + 1));
    if (form !== undefined) withJsonForm(out, () => form);
    return tagged !== undefined ? withGoType(out, tagged) : out;
  }
  return v;
}

function copyValue(ctx: CallContext, v: unknown): unknown {
  // copystructure's reflect.ValueOf(nil).Type() panics: only inside a map or list is nil copied.
  if (v === null || v === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  const copy = deepCopy(v);
  // A step per element copied, so that copying a big value in a loop runs out of steps.
  ctx.charge(countNodes(copy));
  return copy;
}

function countNodes(v: unknown): number {
  if (Array.isArray(v)) return v.reduce<number>((n, e) => n + countNodes(e), 1);
  if (kindOf(v) === 'map') return mapEntries(v).reduce<number>((n, [, e]) => n + countNodes(e), 1);
  return 1;
}

/** sprig's values: a map's values; Go's order is random, sorted by key here (as keys). */
function values(d: unknown): unknown[] {
  if (d === null || d === undefined) return [];
  return mapEntries(d).map(([, v]) => v);
}

export const COLLECTION_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['all', fn([], (_, args) => args.every((a) => !empty(a)), 'any')],
  ['any', fn([], (_, args) => args.some((a) => !empty(a)), 'any')],
  ['chunk', fn(['int', 'any'], (_, [n, l]) => chunk(n as number, l))],
  ['mustChunk', fn(['int', 'any'], (_, [n, l]) => chunk(n as number, l))],
  ['mustSlice', fn(['any'], (_, [list, ...indexes]) => sprigSlice(list, indexes), 'any')],
  ['values', fn(['map'], (_, [d]) => values(d))],
  ['deepCopy', fn(['any'], (ctx, [v]) => copyValue(ctx, v))],
  ['mustDeepCopy', fn(['any'], (ctx, [v]) => copyValue(ctx, v))],
  ['toStrings', fn(['any'], (ctx, [v]) => withGoType(strslice(v, ctx.budget()), '[]string'))],
  [
    'typeIsLike',
    fn(['string', 'any'], (_, [t, v]) => {
      const actual = goTypeName(v);
      return t === actual || `*${t}` === actual;
    }),
  ],
]);
