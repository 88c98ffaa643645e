/**
 * sprig's duration (seconds to Go's time.Duration.String) and durationRound (a duration to its
 * largest whole unit: "2h", "3mo", "1y"). Neither reads the clock here: sprig's durationRound
 * only does for a time.Time argument, and templates in sdm never hold one (every function that
 * makes one is refused). As in sprig, only a string or an int64 counts; any other argument (an
 * int literal too) is a zero duration.
 */
import { fn, type GoFunction } from './functions.ts';

const NANOSECOND = 1n;
const MICROSECOND = 1000n;
const MILLISECOND = 1000_000n;
const SECOND = 1000_000_000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const LIMIT = 1n << 63n;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', NANOSECOND],
  ['us', MICROSECOND],
  ['µs', MICROSECOND],
  ['μs', MICROSECOND],
  ['ms', MILLISECOND],
  ['s', SECOND],
  ['m', MINUTE],
  ['h', HOUR],
]);

/** time.ParseDuration; null where Go returns an error. */
export function parseDuration(text: string): bigint | null {
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return null;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) return null;
    // [0-9]*
    const int = /^[0-9]*/.exec(s)![0];
    s = s.slice(int.length);
    let v = 0n;
    for (const c of int) {
      if (v > LIMIT / 10n) return null;
      v = v * 10n + BigInt(c);
      if (v > LIMIT) return null;
    }
    // (\.[0-9]*)?
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      const frac = /^[0-9]*/.exec(s.slice(1))![0];
      s = s.slice(1 + frac.length);
      post = frac.length > 0;
      let overflow = false;
      for (const c of frac) {
        if (overflow) continue;
        if (f > (LIMIT - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
    }
    if (int.length === 0 && !post) return null;
    const unitText = /^[^.0-9]*/.exec(s)![0];
    if (unitText === '') return null;
    s = s.slice(unitText.length);
    const unit = UNITS.get(unitText);
    if (unit === undefined) return null;
    if (v > LIMIT / unit) return null;
    v *= unit;
    if (f > 0n) {
      // Go computes the fraction's nanoseconds in float64.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return null;
    }
    d += v;
    if (d > LIMIT) return null;
  }
  if (neg) return BigInt.asIntN(64, -d);
  return d > LIMIT - 1n ? null : d;
}

/** The digits of v's last `prec` decimals without trailing zeros, as Go's fmtFrac. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let print = false;
  let rest = v;
  for (let i = 0; i < prec; i++) {
    const digit = rest % 10n;
    print = print || digit !== 0n;
    if (print) digits = String(digit) + digits;
    rest /= 10n;
  }
  return [print ? `.${digits}` : '', rest];
}

/** time.Duration.String: "1h2m3.5s", "1.5ms", "0s". */
export function formatDuration(d: bigint): string {
  const neg = d < 0n;
  const u = neg ? -d : d;
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    const [unit, prec] = u < MICROSECOND ? ['ns', 0] : u < MILLISECOND ? ['µs', 3] : ['ms', 6];
    const [frac, whole] = fraction(u, prec as number);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secs] = fraction(u, 9);
    out = `${secs % 60n}${frac}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** strconv.ParseInt(s, 10, 64) as sprig ignores its error: the clamped value when out of range, else 0. */
function parseSeconds(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0n;
  const n = BigInt(s);
  return n >= LIMIT ? LIMIT - 1n : n < -LIMIT ? -LIMIT : n;
}

function duration(sec: unknown): string {
  const n = typeof sec === 'string' ? parseSeconds(sec) : typeof sec === 'bigint' ? sec : 0n;
  return formatDuration(BigInt.asIntN(64, n * SECOND));
}

const ROUND_UNITS: ReadonlyArray<readonly [bigint, string]> = [
  [HOUR * 24n * 365n, 'y'],
  [HOUR * 24n * 30n, 'mo'],
  [HOUR * 24n, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'm'],
  [SECOND, 's'],
];

function durationRound(v: unknown): string {
  const d = typeof v === 'string' ? (parseDuration(v) ?? 0n) : typeof v === 'bigint' ? v : 0n;
  // uint64(d), negated when negative: the magnitude (the minimum int64 stays 2^63).
  const u = d < 0n ? -d : d;
  for (const [size, unit] of ROUND_UNITS) if (u > size) return `${u / size}${unit}`;
  return '0s';
}

export const DURATION_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['duration', fn(['any'], (_, [s]) => duration(s))],
  ['durationRound', fn(['any'], (_, [d]) => durationRound(d))],
]);
