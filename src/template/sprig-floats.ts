/**
 * sprig's float functions: addf add1f subf mulf divf (shopspring/decimal arithmetic on the
 * arguments' shortest decimal forms, then back to the nearest float64), maxf minf (math.Max/Min),
 * round (sprig's own rule: ceil when the fraction reaches the threshold), biggest (max's old
 * name, int64) and toDecimal (an octal string to int64). Arguments go through cast.ToFloat64 as
 * sprig's do: anything unconvertible is 0.
 */
import { FuncError, fn, type GoFunction } from './functions.ts';
import { goFloat, sprint } from './printf.ts';
import { extreme } from './sprig.ts';
import { toFloat64 } from './sprig-more.ts';

/** A shopspring Decimal: value * 10^exp, exactly. */
interface Decimal {
  readonly value: bigint;
  readonly exp: number;
}

/** Go's %v of a float64 for the panic message (NaN, +Inf, -Inf). */
function goSpecial(f: number): string {
  return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
}

/** decimal.NewFromFloat: the shortest decimal that reads back as the same float64. */
function fromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) throw new FuncError(`Cannot create a Decimal from ${goSpecial(f)}`);
  if (f === 0) return { value: 0n, exp: 0 };
  // toExponential() without digits gives the shortest round-tripping digits, as Go's 'e', -1 does.
  const [mantissa, e] = f.toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace('-', '');
  const fraction = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
  const value = BigInt(digits) * (f < 0 ? -1n : 1n);
  return { value, exp: Number(e) - fraction };
}

/** Both at the smaller exponent. */
function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.value * 10n ** BigInt(a.exp - exp), b.value * 10n ** BigInt(b.exp - exp), exp];
}

const add = (a: Decimal, b: Decimal): Decimal => {
  const [x, y, exp] = align(a, b);
  return { value: x + y, exp };
};
const sub = (a: Decimal, b: Decimal): Decimal => add(a, { value: -b.value, exp: b.exp });
const mul = (a: Decimal, b: Decimal): Decimal => ({ value: a.value * b.value, exp: a.exp + b.exp });

const DIVISION_PRECISION = 16;

/** Decimal.Div: DivRound to 16 decimal places, halves away from zero. */
function div(a: Decimal, b: Decimal): Decimal {
  if (b.value === 0n) throw new FuncError('decimal division by 0');
  const scale = -DIVISION_PRECISION;
  const e = a.exp - b.exp - scale;
  let aa: bigint;
  let bb: bigint;
  let restExp: number;
  if (e < 0) {
    aa = a.value;
    bb = b.value * 10n ** BigInt(-e);
    restExp = a.exp;
  } else {
    aa = a.value * 10n ** BigInt(e);
    bb = b.value;
    restExp = scale + b.exp;
  }
  // big.Int's QuoRem truncates toward zero, as BigInt division does.
  const q = aa / bb;
  const r = aa % bb;
  // Round: compare 2|r|·10^precision with |b|.
  const twiceRest: Decimal = { value: (r < 0n ? -r : r) * 2n, exp: restExp + DIVISION_PRECISION };
  const [x, y] = align(twiceRest, { value: b.value < 0n ? -b.value : b.value, exp: b.exp });
  if (x < y) return { value: q, exp: scale };
  const negative = a.value < 0n !== b.value < 0n && a.value !== 0n;
  return { value: q + (negative ? -1n : 1n), exp: scale };
}

/** Decimal.Float64: the float64 nearest the exact value (JavaScript's parse rounds correctly). */
function toFloat(d: Decimal): number {
  return Number(`${d.value}e${d.exp}`);
}

/** sprig's execDecimalOp: fold the operation over the arguments as decimals. */
function decimalOp(first: unknown, rest: readonly unknown[], op: (a: Decimal, b: Decimal) => Decimal) {
  let acc = fromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, fromFloat(toFloat64(x)));
  return goFloat(toFloat(acc));
}

/** math.Max / math.Min: like JavaScript's (NaN wins, signed zeros), except that an infinity beats NaN. */
function goMax(a: number, b: number): number {
  return a === Infinity || b === Infinity ? Infinity : Math.max(a, b);
}

function goMin(a: number, b: number): number {
  return a === -Infinity || b === -Infinity ? -Infinity : Math.min(a, b);
}

/** math.Frexp of a finite non-zero float: fraction in [0.5, 1) and exponent. */
function frexp(x: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  let e = 0;
  let f = x;
  if (Math.abs(f) < 2 ** -1022) {
    f *= 2 ** 52; // normalise a subnormal first, as Go does
    e = -52;
  }
  view.setFloat64(0, f);
  const hi = view.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1022;
  view.setUint32(0, (hi & ~(0x7ff << 20)) | (1022 << 20));
  return [view.getFloat64(0), e];
}

/** math.Ldexp: frac · 2^exp, in two steps where 2^exp alone would leave float64's range. */
function ldexp(frac: number, exp: number): number {
  if (exp > 1023) return frac * 2 ** 1023 * 2 ** Math.min(exp - 1023, 1100);
  if (exp < -1022) return frac * 2 ** -1022 * 2 ** Math.max(exp + 1022, -1100);
  return frac * 2 ** exp;
}

/**
 * math.Pow(10, n) for a whole n, by Go's algorithm (repeated squaring of Frexp's fraction with the
 * exponent kept apart): its last bit can differ from JavaScript's 10 ** n, and round shows it.
 */
function pow10(n: number): number {
  if (n === 0) return 1;
  if (n === 1) return 10;
  if (!Number.isFinite(n)) return n > 0 ? Infinity : 0;
  let [x1, xe] = frexp(10);
  let a1 = 1;
  let ae = 0;
  for (let i = Math.abs(n); i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (n < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

/** sprig's round: to `places` decimals, up when the fraction is at least roundOn (0.5 by default). */
function round(v: unknown, places: number, roundOn: number): number {
  const pow = pow10(places);
  const digit = pow * toFloat64(v);
  // math.Modf's fraction has the sign of its argument, so negative halves round down.
  const frac = Number.isFinite(digit) ? digit - Math.trunc(digit) : Number.NaN;
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(fmt.Sprint(v), 8, 64), with sprig's 0 on any error. */
function toDecimal(text: string): bigint {
  if (!/^[+-]?[0-7]+$/.test(text)) return 0n;
  const neg = text.startsWith('-');
  const n = BigInt(`0o${text.replace(/^[+-]/, '')}`) * (neg ? -1n : 1n);
  return n < INT64_MIN || n > INT64_MAX ? 0n : n;
}

export const FLOAT_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['add1f', fn(['any'], (_, [a]) => decimalOp(a, [1], add))],
  ['addf', fn([], (_, args) => decimalOp(0, args, add), 'any')],
  ['subf', fn(['any'], (_, [a, ...rest]) => decimalOp(a, rest, sub), 'any')],
  ['mulf', fn(['any'], (_, [a, ...rest]) => decimalOp(a, rest, mul), 'any')],
  ['divf', fn(['any'], (_, [a, ...rest]) => decimalOp(a, rest, div), 'any')],
  [
    'maxf',
    fn(
      ['any'],
      (_, [a, ...rest]) => goFloat(rest.reduce<number>((m, b) => goMax(m, toFloat64(b)), toFloat64(a))),
      'any',
    ),
  ],
  [
    'minf',
    fn(
      ['any'],
      (_, [a, ...rest]) => goFloat(rest.reduce<number>((m, b) => goMin(m, toFloat64(b)), toFloat64(a))),
      'any',
    ),
  ],
  [
    'round',
    fn(
      ['any', 'int'],
      (_, [v, p, ...opt]) => goFloat(round(v, p as number, opt.length > 0 ? (opt[0] as number) : 0.5)),
      'float',
    ),
  ],
  ['biggest', fn(['any'], (_, args) => BigInt.asIntN(64, extreme(args, 1n)), 'any')],
  ['toDecimal', fn(['any'], (ctx, [v]) => toDecimal(sprint([v], ctx.budget())))],
]);
