/**
 * sprig v3.3's list functions (first, last, rest, initial, append/push, prepend, concat, reverse,
 * uniq, without, has, compact, and their must- forms), dict helpers (pick, omit, dig), deepEqual,
 * typeOf/kindOf/kindIs/typeIs, tuple, and sha512sum. Like sprig, the plain forms report a
 * non-list argument as an error from the call ("Cannot find first on type string"); the must-
 * forms return the same error. reflect.DeepEqual decides equality: same Go type, same contents.
 */
import { createHash } from 'node:crypto';
import { FuncError, fn, type GoFunction } from './functions.ts';
import {
  GoFloat,
  goTypeName,
  isNilContainer,
  isTrue,
  kindOf,
  mapEntries,
  newMap,
  nilSlice,
  ownValue,
  setKey,
  taggedGoType,
  toNumber,
} from './values.ts';

/** reflect.Kind's name, as sprig's messages print it. */
export function reflectKind(v: unknown): string {
  if (typeof v === 'bigint') return 'int64';
  switch (kindOf(v)) {
    case 'float':
      return 'float64';
    case 'struct':
      return goTypeName(v).startsWith('*') ? 'ptr' : 'struct';
    case 'nil':
    case 'invalid':
      return 'invalid';
    default:
      return kindOf(v);
  }
}

/** The elements of a slice argument, or sprig's error for anything else. */
function elements(v: unknown, what: string): unknown[] {
  if (v === null || v === undefined) {
    // reflect.TypeOf(nil).Kind() dereferences a nil Type.
    throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  }
  if (kindOf(v) !== 'slice') throw new FuncError(`${what} ${reflectKind(v)}`);
  return Array.from(v as ArrayLike<unknown>);
}

/** reflect.DeepEqual for template values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (goTypeName(a) !== goTypeName(b)) return false;
  switch (kindOf(a)) {
    case 'int':
    case 'float':
      return toNumber(a) === toNumber(b) && typeof a === typeof b;
    case 'slice': {
      // reflect.DeepEqual: a nil slice equals only a nil slice, not an empty one.
      if (isNilContainer(a) !== isNilContainer(b)) return false;
      const x = a as ArrayLike<unknown>;
      const y = b as ArrayLike<unknown>;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i])) return false;
      return true;
    }
    case 'map': {
      if (isNilContainer(a) !== isNilContainer(b)) return false;
      const x = mapEntries(a);
      const y = mapEntries(b);
      return x.length === y.length && x.every(([k, v], i) => y[i]![0] === k && deepEqual(v, y[i]![1]));
    }
    case 'struct':
      return a === b || (a instanceof GoFloat && b instanceof GoFloat && a.value === b.value);
    default:
      return a === b;
  }
}

/** sprig's empty, as compact uses it. */
function empty(v: unknown): boolean {
  return !isTrue(v) && kindOf(v) !== 'struct';
}

/** A list function: plain form (error from the call) and must- form (same error). */
function both(
  name: string,
  impl: (args: unknown[]) => unknown,
  params: number,
  variadic = false,
): Array<[string, GoFunction]> {
  const f = variadic
    ? fn(new Array(params).fill('any'), (_, args) => impl(args), 'any')
    : fn(new Array(params).fill('any'), (_, args) => impl(args));
  const must = `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  return [
    [name, f],
    [must, f],
  ];
}

// Of an empty list, sprig returns a nil slice.
const rest = (l: unknown[]): unknown[] => (l.length === 0 ? nilSlice() : l.slice(1));
const initial = (l: unknown[]): unknown[] => (l.length === 0 ? nilSlice() : l.slice(0, -1));

/** Go's name of a dynamic type in a failed interface conversion. */
const dynType = (v: unknown): string => (v === null || v === undefined ? 'nil' : goTypeName(v));

function asMap(v: unknown): object {
  if (v === null || v === undefined || kindOf(v) !== 'map' || taggedGoType(v) === 'map[string]string') {
    throw new FuncError(`interface conversion: interface {} is ${dynType(v)}, not map[string]interface {}`);
  }
  return v as object;
}

function pick(d: unknown, keys: unknown[], keep: boolean): Record<string, unknown> {
  const out = newMap();
  if (d === null || d === undefined) return out;
  const wanted = new Set(keys as string[]);
  for (const [k, v] of mapEntries(d)) {
    if (wanted.has(k as string) === keep) setKey(out, k as string, v);
  }
  return out;
}

/** sprig's dig: follow keys through nested map[string]interface{}; the default when one is missing. */
function dig(args: unknown[]): unknown {
  if (args.length < 3) throw new FuncError('dig needs at least three arguments');
  // Go asserts the dict first, then every key, then walks.
  let cur: object = asMap(args[args.length - 1]);
  const def = args[args.length - 2];
  const keys = args.slice(0, -2).map((k) => {
    if (typeof k !== 'string')
      throw new FuncError(`interface conversion: interface {} is ${dynType(k)}, not string`);
    return k;
  });
  for (let i = 0; i < keys.length; i++) {
    const v = cur instanceof Map ? cur.get(keys[i]) : ownValue(cur, keys[i]!);
    if (v === undefined) return def;
    if (i === keys.length - 1) return v;
    cur = asMap(v);
  }
  return def;
}

export const LIST_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ...both('first', ([l]) => elements(l, 'Cannot find first on type')[0] ?? null, 1),
  ...both('last', ([l]) => elements(l, 'Cannot find last on type').at(-1) ?? null, 1),
  ...both('rest', ([l]) => rest(elements(l, 'Cannot find rest on type')), 1),
  ...both('initial', ([l]) => initial(elements(l, 'Cannot find initial on type')), 1),
  ...both('append', ([l, v]) => [...elements(l, 'Cannot push on type'), v], 2),
  ...both('push', ([l, v]) => [...elements(l, 'Cannot push on type'), v], 2),
  ...both('prepend', ([l, v]) => [v, ...elements(l, 'Cannot prepend on type')], 2),
  ...both('reverse', ([l]) => elements(l, 'Cannot find reverse on type').reverse(), 1),
  ...both('compact', ([l]) => elements(l, 'Cannot compact on type').filter((e) => !empty(e)), 1),
  ...both(
    'uniq',
    ([l]) => {
      const out: unknown[] = [];
      for (const e of elements(l, 'Cannot find uniq on type'))
        if (!out.some((o) => deepEqual(o, e))) out.push(e);
      return out;
    },
    1,
  ),
  ...both(
    'without',
    ([l, ...omit]) =>
      elements(l, 'Cannot find without on type').filter((e) => !omit.some((o) => deepEqual(o, e))),
    1,
    true,
  ),
  ...both(
    'has',
    ([needle, hay]) =>
      hay === null || hay === undefined
        ? false
        : elements(hay, 'Cannot find has on type').some((e) => deepEqual(needle, e)),
    2,
  ),
  [
    'concat',
    fn(
      [],
      (_, lists) => {
        const out: unknown[] = [];
        for (const l of lists) {
          if (l === null || l === undefined) {
            throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
          }
          if (kindOf(l) !== 'slice') throw new FuncError(`Cannot concat type ${reflectKind(l)} as list`);
          out.push(...Array.from(l as ArrayLike<unknown>));
        }
        // sprig appends to a nil slice: with nothing to append it stays nil (toJson says null).
        return out.length === 0 ? nilSlice() : out;
      },
      'any',
    ),
  ],
  ['tuple', fn([], (_, args) => args, 'any')],
  ['pick', fn(['map'], (_, [d, ...keys]) => pick(d, keys, true), 'string')],
  ['omit', fn(['map'], (_, [d, ...keys]) => pick(d, keys, false), 'string')],
  ['dig', fn([], (_, args) => dig(args), 'any')],
  ['deepEqual', fn(['any', 'any'], (_, [a, b]) => deepEqual(a, b))],
  ['typeOf', fn(['any'], (_, [v]) => goTypeName(v))],
  ['typeIs', fn(['string', 'any'], (_, [t, v]) => t === goTypeName(v))],
  ['kindOf', fn(['any'], (_, [v]) => reflectKind(v))],
  ['kindIs', fn(['string', 'any'], (_, [k, v]) => k === reflectKind(v))],
  [
    'sha512sum',
    fn(['string'], (_, [s]) =>
      createHash('sha512')
        .update(s as string, 'utf8')
        .digest('hex'),
    ),
  ],
]);
