/**
 * Go's strconv formatting primitives that fmt and sprig build on: Go-syntax quoting and
 * float formatting ('e', 'f', 'g' with shortest or fixed precision, rounding half to even on
 * the exact binary value, as strconv does).
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(c: string): boolean {
  return PRINTABLE.test(c);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(c: string, quote: string, asciiOnly: boolean): string {
  if (c === quote || c === '\\') return `\\${c}`;
  const cp = c.codePointAt(0)!;
  if (asciiOnly ? cp < 0x80 && isPrint(c) : isPrint(c)) return c;
  switch (c) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd'; // a lone surrogate is invalid UTF-8 in Go
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** strconv.Quote (or QuoteToASCII). */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const c of s) out += escapeRune(c, '"', asciiOnly);
  return `${out}"`;
}

/**
 * strconv.Quote of a byte string (one character per byte, as net/url's port holds text): invalid
 * UTF-8 bytes as \x escapes; the result is a byte string too.
 */
export function quoteBytes(b: string): string {
  const buf = Buffer.from(b, 'latin1');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  for (let i = 0; i < buf.length; ) {
    const lead = buf[i]!;
    const n = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    let char: string | null = null;
    if (n > 0 && i + n <= buf.length) {
      try {
        char = decoder.decode(buf.subarray(i, i + n));
      } catch {
        char = null;
      }
    }
    if (char === null) {
      out += `\\x${lead.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += Buffer.from(quote(char).slice(1, -1), 'utf8').toString('latin1');
      i += n;
    }
  }
  return `"${out}"`;
}

/** strconv.QuoteRune (or QuoteRuneToASCII). */
export function quoteRune(cp: number, asciiOnly = false): string {
  const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
  return `'${escapeRune(String.fromCodePoint(valid ? cp : 0xfffd), "'", asciiOnly)}'`;
}

/** strconv.CanBackquote: no backquote, no control characters other than tab. */
export function canBackquote(s: string): boolean {
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '`' || cp === 0xfeff || (cp < 0x20 && c !== '\t') || cp === 0x7f) return false;
  }
  return true;
}

// ---- floats ----

/** A decimal: value = 0.digits × 10^dp; digits has no trailing zeros ('' is zero). */
interface Decimal {
  digits: string;
  dp: number;
}

/** The shortest decimal that reads back as the same float (what JS and Go both print). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '').replace(/0+$/, '');
  return { digits, dp: Number(exp) + 1 };
}

/** The exact decimal expansion of a float: every double is a finite decimal. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp2: number;
  if (biasedExp === 0) {
    exp2 = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp2 = biasedExp - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp2 >= 0) {
    digits = (mantissa << BigInt(exp2)).toString();
    dp = digits.length;
  } else {
    // m / 2^k = m·5^k / 10^k
    digits = (mantissa * 5n ** BigInt(-exp2)).toString();
    dp = digits.length + exp2;
  }
  const trimmed = digits.replace(/0+$/, '');
  return { digits: trimmed, dp };
}

/** Keep nd significant digits, rounding half to even (exact halves only occur in exact expansions). */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: '', dp: 0 };
  if (nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === d.digits.length) {
    up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = next >= 5;
  }
  if (!up) {
    const digits = d.digits.slice(0, nd).replace(/0+$/, '');
    return { digits, dp: digits === '' ? 0 : d.dp };
  }
  // Round up: propagate the carry through trailing nines.
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  return { digits: d.digits.slice(0, i) + String.fromCharCode(d.digits.charCodeAt(i) + 1), dp: d.dp };
}

function fmtE(d: Decimal, prec: number, upper: boolean): string {
  let out = d.digits[0] ?? '0';
  if (prec > 0) out += `.${d.digits.slice(1, 1 + prec).padEnd(prec, '0')}`;
  const exp = d.digits === '' ? 0 : d.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  return `${out}${upper ? 'E' : 'e'}${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtF(d: Decimal, prec: number): string {
  let out: string;
  if (d.dp > 0) out = d.digits.slice(0, d.dp).padEnd(d.dp, '0');
  else out = '0';
  if (prec > 0) {
    let frac = '';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      frac += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
    out += `.${frac}`;
  }
  return out;
}

const MASK64 = (1n << 64n) - 1n;

/** The float's mantissa (with the implicit bit) and unbiased binary exponent, as strconv splits it. */
function floatBits(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { mant, exp: exp - 1023 };
}

/** strconv's %b: decimal mantissa, binary exponent (5629499534213120p-51). */
function fmtB(x: number): string {
  const { mant, exp } = floatBits(x);
  const e = exp - 52;
  return `${mant}p${e >= 0 ? '+' : '-'}${Math.abs(e)}`;
}

/** strconv's %x: hexadecimal mantissa 1.yyy, binary exponent of at least two digits (0x1.4p+01). */
function fmtX(x: number, prec: number, upper: boolean): string {
  let { mant, exp } = floatBits(x);
  if (mant === 0n) exp = 0;
  mant <<= 60n - 52n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hexDigits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `0${upper ? 'X' : 'x'}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & MASK64;
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hexDigits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK64;
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hexDigits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK64;
    }
  }
  return `${out}${upper ? 'P' : 'p'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * strconv.FormatFloat(x, verb, prec, 64) for verbs b, e, E, f, F, g, G, x, X; prec < 0 means
 * shortest. Infinities and NaN print as +Inf, -Inf and NaN.
 */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  let body: string;
  switch (verb) {
    case 'b':
      body = fmtB(x);
      break;
    case 'x':
    case 'X':
      body = fmtX(x, prec, verb === 'X');
      break;
    case 'e':
    case 'E': {
      const d = shortest ? shortestDecimal(x) : roundDecimal(exactDecimal(x), prec + 1);
      body = fmtE(d, shortest ? Math.max(d.digits.length - 1, 0) : prec, verb === 'E');
      break;
    }
    case 'f':
    case 'F': {
      if (shortest) {
        const d = shortestDecimal(x);
        body = fmtF(d, Math.max(d.digits.length - d.dp, 0));
      } else {
        const exact = exactDecimal(x);
        body = fmtF(roundDecimal(exact, exact.dp + prec), prec);
      }
      break;
    }
    default: {
      // g, G
      let p = prec === 0 ? 1 : prec;
      const d = shortest ? shortestDecimal(x) : roundDecimal(exactDecimal(x), p);
      const nd = d.digits.length;
      if (shortest) p = nd;
      let eprec = p;
      if (eprec > nd && nd >= d.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (nd !== 0 && (exp < -4 || exp >= eprec)) {
        body = fmtE(d, Math.min(p, nd) - 1, verb === 'G');
      } else {
        if (p > d.dp) p = nd;
        body = fmtF(d, Math.max(p - d.dp, 0));
      }
    }
  }
  return neg ? `-${body}` : body;
}
