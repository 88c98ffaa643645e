/**
 * The function model, and Go text/template's predefined functions: and, or, not, len, index,
 * slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery. (`call` is left out:
 * templates here never receive function values to call.)
 *
 * A function declares Go parameter types so the evaluator can convert and check arguments the
 * way text/template does, with the same error messages.
 */
import { Budget, sprint, sprintf, sprintln } from './printf.ts';
import { isPrint } from './strconv.ts';
import { goTypeName, isNilContainer, isTrue, kindOf, mapEntries, ownValue, toNumber } from './values.ts';

/**
 * Go parameter types. `value` is reflect.Value: the argument arrives as is, even when missing
 * (undefined). `any` is interface{}: a missing value arrives as nil (null).
 */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'uint32' | 'float' | 'bool' | 'map';

export interface CallContext {
  /** Size cap for any string a function builds. */
  readonly maxBytes: number;
  budget(): Budget;
  /** Count steps for work a function does beyond its arguments and result (scrypt, deep copies). */
  charge(steps: number): void;
}

export interface GoFunction {
  readonly params: readonly ParamType[];
  /** Element type of a trailing ...parameter. */
  readonly variadic?: ParamType;
  readonly call: (ctx: CallContext, args: unknown[]) => unknown;
  /** and/or evaluate their arguments lazily, stopping at the first that decides. */
  readonly shortCircuit?: boolean;
}

/** An error returned by a function; the evaluator reports it as "error calling NAME: MESSAGE". */
export class FuncError extends Error {}

export function goTypeString(t: ParamType): string {
  switch (t) {
    case 'any':
      return 'interface {}';
    case 'value':
      return 'reflect.Value';
    case 'float':
      return 'float64';
    case 'map':
      return 'map[string]interface {}';
    default:
      return t;
  }
}

/** Shorthand for declaring a function. */
export function fn(
  params: readonly ParamType[],
  call: (ctx: CallContext, args: unknown[]) => unknown,
  variadic?: ParamType,
): GoFunction {
  return variadic === undefined ? { params, call } : { params, call, variadic };
}

// ---- comparison ----

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';

function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  if (k === 'bool' || k === 'int' || k === 'float' || k === 'string') return k;
  if (k === 'invalid' || k === 'nil') return 'invalid';
  return 'other';
}

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_NO_COMPARISON = 'missing argument for comparison';

function incompatible(a: unknown, b: unknown): FuncError {
  return new FuncError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
}

function compareScalars(a: unknown, b: unknown): number {
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = BigInt(a as bigint | number);
    const y = BigInt(b as bigint | number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return toNumber(a) - toNumber(b);
}

function eq(args: unknown[]): boolean {
  const [a, ...rest] = args;
  if (rest.length === 0) throw new FuncError(ERR_NO_COMPARISON);
  const ka = basicKind(a);
  for (const b of rest) {
    const kb = basicKind(b);
    let truth: boolean;
    if (ka !== kb) {
      if (a !== undefined && a !== null && b !== undefined && b !== null) throw incompatible(a, b);
      // Go's basicKind puts nil and containers in one kind: a nil slice or map equals nil.
      truth = (ka === 'other' && isNilContainer(a)) || (kb === 'other' && isNilContainer(b));
    } else if (ka === 'other') {
      const budget = new Budget(4096);
      // Go's canCompare looks at kinds only: a []string and a []T fail later, as non-comparable.
      if (kindOf(a) !== kindOf(b)) {
        const left = sprintf('%s', [a], budget);
        throw new FuncError(
          `non-comparable types ${left}: ${goTypeName(a)}, ${goTypeName(b)}: ${sprintf('%v', [b], budget)}`,
        );
      }
      const bk = kindOf(b);
      if (isNilContainer(a) || isNilContainer(b)) {
        // Go: a nil slice or map equals only another nil.
        truth = isNilContainer(a) && isNilContainer(b);
        if (truth) return true;
        continue;
      }
      if (bk === 'slice' || bk === 'map') {
        throw new FuncError(`non-comparable type ${sprintf('%s', [b], budget)}: ${goTypeName(b)}`);
      }
      truth = a === b;
    } else if (ka === 'invalid') {
      truth = true; // both nil
    } else {
      truth = compareScalars(a, b) === 0;
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'invalid' || ka === 'other' || kb === 'invalid' || kb === 'other') {
    throw new FuncError(ERR_BAD_COMPARISON_TYPE);
  }
  if (ka !== kb) throw incompatible(a, b);
  if (ka === 'bool') throw new FuncError(ERR_BAD_COMPARISON_TYPE);
  return compareScalars(a, b) < 0;
}

// ---- len, index, slice ----

function length(v: unknown): number {
  if (v === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  if (v === null) throw new FuncError('len of nil pointer');
  switch (kindOf(v)) {
    case 'string':
      return Buffer.byteLength(v as string, 'utf8');
    case 'slice':
      return (v as unknown[]).length;
    case 'map':
      return mapEntries(v).length;
    default:
      // Go's len follows the pointer first.
      throw new FuncError(`len of type ${goTypeName(v).replace(/^\*/, '')}`);
  }
}

function indexArg(i: unknown, len: number): number {
  const k = kindOf(i);
  if (k === 'invalid' || k === 'nil') throw new FuncError('cannot index slice/array with nil');
  if (k !== 'int') throw new FuncError(`cannot index slice/array with type ${goTypeName(i)}`);
  const x = toNumber(i);
  if (x < 0 || x > len) throw new FuncError(`index out of range: ${String(i)}`);
  return x;
}

function index(item: unknown, indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('index of untyped nil');
  let cur: unknown = item;
  for (const i of indexes) {
    if (cur === undefined || cur === null) throw new FuncError('index of nil pointer');
    switch (kindOf(cur)) {
      case 'slice': {
        const arr = cur as unknown[];
        const x = indexArg(i, arr.length);
        if (x === arr.length) throw new FuncError('reflect: slice index out of range');
        cur = arr[x] ?? null;
        break;
      }
      case 'string': {
        const bytes = Buffer.from(cur as string, 'utf8');
        const x = indexArg(i, bytes.length);
        if (x === bytes.length) throw new FuncError('reflect: string index out of range');
        cur = bytes[x]!;
        break;
      }
      case 'map': {
        if (cur instanceof Map) {
          cur = cur.has(i) ? cur.get(i) : undefined;
          break;
        }
        if (i === undefined || i === null) throw new FuncError('value is nil; should be of type string');
        if (typeof i !== 'string') throw new FuncError(`value has type ${goTypeName(i)}; should be string`);
        const v = ownValue(cur as object, i);
        cur = typeof v === 'function' ? undefined : v;
        break;
      }
      default:
        // Go reports the type after following the pointer.
        throw new FuncError(`can't index item of type ${goTypeName(cur).replace(/^\*/, '')}`);
    }
    // A missing map entry yields the element type's zero value: a nil interface.
    if (cur === undefined) cur = null;
  }
  return cur;
}

function slice(item: unknown, indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  if (k === 'string' && indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
  if (k !== 'string' && k !== 'slice') throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  const bytes = k === 'string' ? Buffer.from(item as string, 'utf8') : null;
  const len = bytes !== null ? bytes.length : (item as unknown[]).length;
  const idx = [0, len, len];
  indexes.forEach((i, n) => {
    idx[n] = indexArg(i, len);
  });
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!)
    throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes !== null) return bytes.subarray(idx[0], idx[1]).toString('utf8');
  return (item as unknown[]).slice(idx[0], idx[1]);
}

// ---- escaping ----

/** The text html/js/urlquery escape: one string argument as is, otherwise fmt.Sprint with "<no value>" for nil. */
function evalArgs(args: unknown[], budget: Budget): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(
    args.map((a) => (a === null || a === undefined ? '<no value>' : a)),
    budget,
  );
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => HTML_ESCAPES[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    switch (c) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case '<':
        out += '\\u003C';
        break;
      case '>':
        out += '\\u003E';
        break;
      case '&':
        out += '\\u0026';
        break;
      case '=':
        out += '\\u003D';
        break;
      default: {
        const cp = c.codePointAt(0)!;
        if (cp < 0x20 || (cp >= 0x80 && !isPrint(c))) {
          out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
        } else {
          out += c;
        }
      }
    }
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---- the table ----

export const BUILTINS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  // and/or are evaluated by the evaluator (lazily); the call is only their fallback.
  ['and', { params: ['value'], variadic: 'value', shortCircuit: true, call: () => undefined }],
  ['or', { params: ['value'], variadic: 'value', shortCircuit: true, call: () => undefined }],
  ['not', fn(['value'], (_, [v]) => !isTrue(v))],
  ['len', fn(['value'], (_, [v]) => length(v))],
  ['index', fn(['value'], (_, [item, ...rest]) => index(item, rest), 'value')],
  ['slice', fn(['value'], (_, [item, ...rest]) => slice(item, rest), 'value')],
  ['print', fn([], (ctx, args) => sprint(args, ctx.budget()), 'any')],
  [
    'printf',
    fn(['string'], (ctx, [format, ...args]) => sprintf(format as string, args, ctx.budget()), 'any'),
  ],
  ['println', fn([], (ctx, args) => sprintln(args, ctx.budget()), 'any')],
  ['eq', fn(['value'], (_, args) => eq(args), 'value')],
  ['ne', fn(['value', 'value'], (_, args) => !eq(args))],
  ['lt', fn(['value', 'value'], (_, [a, b]) => lt(a, b))],
  ['le', fn(['value', 'value'], (_, [a, b]) => lt(a, b) || eq([a, b]))],
  ['gt', fn(['value', 'value'], (_, [a, b]) => !(lt(a, b) || eq([a, b])))],
  ['ge', fn(['value', 'value'], (_, [a, b]) => !lt(a, b))],
  ['html', fn([], (ctx, args) => htmlEscape(evalArgs(args, ctx.budget())), 'any')],
  ['js', fn([], (ctx, args) => jsEscape(evalArgs(args, ctx.budget())), 'any')],
  ['urlquery', fn([], (ctx, args) => queryEscape(evalArgs(args, ctx.budget())), 'any')],
]);
