/**
 * Go's fmt for template values: Sprintf with the verbs %v %s %d %q %x %X %o %O %b %c %U %t %e %E
 * %f %F %g %G %T %%, flags (- + # 0 space), width, precision, * and explicit argument indexes
 * %[n]; and the error notation %!d(string=x), %!s(MISSING), %!(EXTRA ...), %!(NOVERB),
 * %!(BADWIDTH), %!(BADPREC), %!v(BADINDEX). Maps print as map[k:v ...] with sorted keys,
 * slices as [a b], nil as <nil>. Also Sprint and Sprintln, and the value printing of {{.}}.
 *
 * Not supported: %p, %w, %x on floats, the %#v Go-syntax form (it prints like %v).
 * Every result is built in a bounded buffer so a value cannot print itself into a huge string.
 */
import { LimitError } from './errors.ts';
import { canBackquote, formatFloat, isPrint, quote, quoteRune } from './strconv.ts';
import {
  findMethod,
  GoFloat,
  GoNamedString,
  goTypeName,
  isNilContainer,
  kindOf,
  mapEntries,
  toNumber,
} from './values.ts';

/** Printing deeper than this is almost surely a cycle (Go would overflow its stack). */
const MAX_PRINT_DEPTH = 200;
/** Go caps widths, precisions and argument indexes at 1e6. */
const MAX_NUM = 1e6;

/** Length cap shared by one formatting operation; counts UTF-16 units. */
export class Budget {
  readonly max: number;
  used = 0;
  constructor(max: number) {
    this.max = max;
  }
  take(n: number): void {
    this.used += n;
    if (this.used > this.max)
      throw new LimitError(`formatted value exceeds the output limit of ${this.max} bytes`);
  }
}

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

function clearFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

class Printer {
  out = '';
  f: Flags = clearFlags();
  readonly budget: Budget;

  constructor(budget: Budget) {
    this.budget = budget;
  }

  write(s: string): void {
    this.budget.take(s.length);
    this.out += s;
  }

  padding(n: number): void {
    if (n <= 0) return;
    this.write((this.f.zero ? '0' : ' ').repeat(n));
  }

  /** Pad to the width, in runes, on the side the flags ask for. */
  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.write(s);
      return;
    }
    const n = this.f.wid - runeCount(s);
    if (this.f.minus) {
      this.write(s);
      const zero = this.f.zero;
      this.f.zero = false;
      this.padding(n);
      this.f.zero = zero;
    } else {
      this.padding(n);
      this.write(s);
    }
  }

  // ---- one argument ----

  printArg(arg: unknown, verb: string, depth: number): void {
    if (depth > MAX_PRINT_DEPTH)
      throw new LimitError('value is nested too deeply to print (is it cyclic?)', 'depth');
    const kind = kindOf(arg);
    if (kind === 'invalid' || kind === 'nil') {
      if (depth > 0) {
        // a nil element of a slice or map: Go prints it without looking at the verb
        this.write('<nil>');
      } else if (verb === 'T' || verb === 'v') {
        this.pad('<nil>');
      } else {
        this.badVerb(verb, arg);
      }
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncate(goTypeName(arg)));
      return;
    }
    if (verb === 'v' && this.f.sharpV) {
      this.goSyntax(arg, depth);
      return;
    }
    // A named string type formats as a string; a []byte formats as text for the string verbs.
    if (arg instanceof GoNamedString) {
      this.fmtString(arg.value, verb, arg);
      return;
    }
    if (arg instanceof Uint8Array && 'sqxX'.includes(verb)) {
      this.fmtString(Buffer.from(arg).toString('utf8'), verb, arg);
      return;
    }
    switch (kind) {
      case 'bool':
        if (verb === 't' || verb === 'v') this.pad(String(arg));
        else this.badVerb(verb, arg);
        return;
      case 'int':
        this.fmtInteger(typeof arg === 'bigint' ? arg : BigInt(arg as number), verb, arg);
        return;
      case 'float':
        this.fmtFloat(toNumber(arg), verb, arg);
        return;
      case 'string':
        this.fmtString(arg as string, verb, arg);
        return;
      case 'slice': {
        this.write('[');
        (arg as unknown[]).forEach((e, i) => {
          if (i > 0) this.write(' ');
          this.printArg(e, verb, depth + 1);
        });
        this.write(']');
        return;
      }
      case 'map': {
        this.write('map[');
        mapEntries(arg).forEach(([k, v], i) => {
          if (i > 0) this.write(' ');
          this.printArg(k, verb, depth + 1);
          this.write(':');
          this.printArg(v, verb, depth + 1);
        });
        this.write(']');
        return;
      }
      case 'func':
        // Go prints a func's address; we have none, and nothing should depend on it.
        this.pad('0x0');
        return;
      default: {
        // fmt's handleMethods: a Stringer prints as its String() for these verbs.
        const str =
          'vsxXq'.includes(verb) && !this.f.sharpV ? findMethod(arg as object, 'String') : undefined;
        if (str !== undefined) {
          this.fmtString(String(str.call(arg)), verb, arg);
          return;
        }
        const pointer = goTypeName(arg).startsWith('*');
        // Inside a list or map Go prints a pointer as its address (for b d o x X p: nothing to
        // match) or, for any other verb, as a bad verb around the pointed-to value.
        if (depth > 0 && pointer && !'bdoxXpv'.includes(verb)) {
          this.write(`%!${verb}(${goTypeName(arg)}=&{`);
          Object.values(arg as object)
            .filter((v) => typeof v !== 'function')
            .forEach((v, i) => {
              if (i > 0) this.write(' ');
              this.printArg(v, 'v', depth + 1);
            });
          this.write('})');
          return;
        }
        // A struct pointer: &{field values} at top level, like Go; a struct value has no &.
        if (depth === 0 && pointer) this.write('&');
        this.write('{');
        const values = Object.values(arg as object).filter((v) => typeof v !== 'function');
        values.forEach((v, i) => {
          if (i > 0) this.write(' ');
          this.printArg(v, verb, depth + 1);
        });
        this.write('}');
      }
    }
  }

  /**
   * %#v: Go syntax. Scalars as literals, []T{a, b} and map[K]V{k:v, ...} with Go's type names,
   * nil elements as interface {}(nil), []byte as []byte{0x68, ...}; structs keep the %v form
   * with field names (Go prints their package-qualified type; documented).
   */
  goSyntax(arg: unknown, depth: number): void {
    if (depth > MAX_PRINT_DEPTH)
      throw new LimitError('value is nested too deeply to print (is it cyclic?)', 'depth');
    if (arg instanceof GoNamedString) {
      this.write(quote(arg.value));
      return;
    }
    if (arg instanceof Uint8Array) {
      // fmt names a top-level []byte "[]byte"; reached through reflection it is "[]uint8".
      const type = depth > 0 ? '[]uint8' : '[]byte';
      this.write(`${type}{${[...arg].map((b) => `0x${b.toString(16)}`).join(', ')}}`);
      return;
    }
    const type = goTypeName(arg);
    if (kindOf(arg) === 'struct' && !type.startsWith('*') && type.includes('.')) {
      // A struct value of a named Go type: Type{Field:value, ...}.
      this.write(`${type}{`);
      Object.entries(arg as object).forEach(([k, v], i) => {
        if (i > 0) this.write(', ');
        this.write(`${k}:`);
        this.goSyntax(v, depth + 1);
      });
      this.write('}');
      return;
    }
    if (isNilContainer(arg)) {
      this.write(`${goTypeName(arg)}(nil)`);
      return;
    }
    switch (kindOf(arg)) {
      case 'invalid':
      case 'nil':
        this.write(depth > 0 ? 'interface {}(nil)' : '<nil>');
        return;
      case 'string':
        this.write(quote(arg as string));
        return;
      case 'slice':
        this.write(`${goTypeName(arg)}{`);
        (arg as unknown[]).forEach((e, i) => {
          if (i > 0) this.write(', ');
          this.goSyntax(e, depth + 1);
        });
        this.write('}');
        return;
      case 'map':
        this.write(`${goTypeName(arg)}{`);
        mapEntries(arg).forEach(([k, v], i) => {
          if (i > 0) this.write(', ');
          this.goSyntax(k, depth + 1);
          this.write(':');
          this.goSyntax(v, depth + 1);
        });
        this.write('}');
        return;
      default: {
        const sharpV = this.f.sharpV;
        this.f.sharpV = false;
        try {
          this.printArg(arg, 'v', depth);
        } finally {
          this.f.sharpV = sharpV;
        }
      }
    }
  }

  badVerb(verb: string, arg: unknown): void {
    this.write(`%!${verb}(`);
    if (arg === null || arg === undefined) {
      this.write('<nil>');
    } else {
      this.write(`${goTypeName(arg)}=`);
      // Go formats the inner value with the same width and flags.
      this.printArg(arg, 'v', 1);
    }
    this.write(')');
  }

  fmtInteger(v: bigint, verb: string, arg: unknown): void {
    switch (verb) {
      case 'v':
      case 'd':
        this.integer(v, 10, verb, false);
        return;
      case 'b':
        this.integer(v, 2, verb, false);
        return;
      case 'o':
      case 'O':
        this.integer(v, 8, verb, false);
        return;
      case 'x':
        this.integer(v, 16, verb, false);
        return;
      case 'X':
        this.integer(v, 16, verb, true);
        return;
      case 'c':
        this.pad(String.fromCodePoint(validRune(v)));
        return;
      case 'q':
        this.pad(quoteRune(Number(validRune(v)), this.f.plus));
        return;
      case 'U': {
        // Go formats the value as a uint64, so negative numbers wrap around.
        const u = BigInt.asUintN(64, v);
        const digits = this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4;
        let s = `U+${u.toString(16).toUpperCase().padStart(digits, '0')}`;
        if (this.f.sharp && u <= 0x10ffffn && isPrint(String.fromCodePoint(validRune(u)))) {
          s += ` '${String.fromCodePoint(Number(u))}'`;
        }
        const zero = this.f.zero;
        this.f.zero = false;
        this.pad(s);
        this.f.zero = zero;
        return;
      }
      default:
        this.badVerb(verb, arg);
    }
  }

  integer(v: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const negative = v < 0n;
    let digits = (negative ? -v : v).toString(base);
    if (upper) digits = digits.toUpperCase();
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      // Precision 0 and value 0 print nothing but padding.
      if (prec === 0 && v === 0n) {
        const zero = f.zero;
        f.zero = false;
        this.padding(f.wid);
        f.zero = zero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
      else if (base === 16) digits = `${upper ? '0X' : '0x'}${digits}`;
    }
    if (verb === 'O') digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (f.plus) digits = `+${digits}`;
    else if (f.space) digits = ` ${digits}`;
    // Zero padding was done as precision above; the rest is spaces.
    const zero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = zero;
  }

  fmtFloat(v: number, verb: string, arg: unknown): void {
    let goVerb: string;
    let prec: number;
    switch (verb) {
      case 'v':
        [goVerb, prec] = ['g', -1];
        break;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        [goVerb, prec] = [verb, -1];
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
        [goVerb, prec] = [verb, 6];
        break;
      default:
        this.badVerb(verb, arg);
        return;
    }
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(v, goVerb, prec);
    if (!num.startsWith('-') && !num.startsWith('+')) num = `+${num}`;
    if (f.space && num.startsWith('+') && !f.plus) num = ` ${num.slice(1)}`;
    if (f.sharp && goVerb !== 'b' && num[1] !== 'I' && num[1] !== 'N') num = sharpFloat(num, goVerb, prec);
    if (num[1] === 'I' || num[1] === 'N') {
      // Infinities and NaN are not padded with zeros.
      const zero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = zero;
      return;
    }
    if (f.plus || !num.startsWith('+')) {
      // With zero padding the sign goes before the zeros.
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.write(num[0]!);
        this.padding(f.wid - num.length);
        this.write(num.slice(1));
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  fmtString(s: string, verb: string, arg: unknown): void {
    const f = this.f;
    switch (verb) {
      case 'v':
        // %#v is Go syntax: for a string, its quoted form
        this.pad(f.sharpV ? quote(this.truncate(s)) : this.truncate(s));
        return;
      case 's':
        this.pad(this.truncate(s));
        return;
      case 'x':
      case 'X':
        this.pad(hexBytes(s, verb === 'X', f));
        return;
      case 'q': {
        const t = this.truncate(s);
        this.pad(f.sharp && canBackquote(t) ? `\`${t}\`` : quote(t, f.plus));
        return;
      }
      default:
        this.badVerb(verb, arg);
    }
  }

  truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return [...s].slice(0, this.f.prec).join('');
  }
}

/**
 * The # flag on floats: always a decimal point, and for %g/%x the trailing zeros up to the
 * precision (6 by default). `num` starts with its sign character.
 */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x' ? (prec === -1 ? 6 : prec) : 0;
  let tail = '';
  let body = num;
  let hasDecimalPoint = false;
  let sawNonzeroDigit = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i]!;
    if (c === '.') {
      hasDecimalPoint = true;
    } else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    } else {
      if (c !== '0') sawNonzeroDigit = true;
      if (sawNonzeroDigit) digits--;
    }
  }
  if (!hasDecimalPoint) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return body + tail;
}

function validRune(v: bigint): number {
  return v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn) ? 0xfffd : Number(v);
}

function hexBytes(s: string, upper: boolean, f: Flags): string {
  let bytes = Buffer.from(s, 'utf8');
  if (f.precPresent && f.prec < bytes.length) bytes = bytes.subarray(0, f.prec);
  const parts: string[] = [];
  for (const b of bytes) {
    let h = b.toString(16).padStart(2, '0');
    if (upper) h = h.toUpperCase();
    parts.push(h);
  }
  const prefix = upper ? '0X' : '0x';
  if (f.space) return parts.map((h) => (f.sharp ? prefix + h : h)).join(' ');
  return (f.sharp && parts.length > 0 ? prefix : '') + parts.join('');
}

function parseNum(s: string, i: number): { num: number; isNum: boolean; next: number } {
  let num = 0;
  let isNum = false;
  let j = i;
  while (j < s.length && s[j]! >= '0' && s[j]! <= '9') {
    if (num > MAX_NUM) return { num: 0, isNum: false, next: s.length };
    num = num * 10 + (s.charCodeAt(j) - 48);
    isNum = true;
    j++;
  }
  return { num, isNum, next: j };
}

/** fmt.Sprintf. `budget` bounds the result (and any width or precision) in UTF-16 units. */
export function sprintf(format: string, args: readonly unknown[], budget: Budget): string {
  const p = new Printer(budget);
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;
  const end = format.length;

  const argNumber = (i: number): { i: number; found: boolean } => {
    if (i >= end || format[i] !== '[') return { i, found: false };
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (close === -1) {
      goodArgNum = false;
      return { i: i + 1, found: false };
    }
    const { num, isNum, next } = parseNum(format, i + 1);
    if (!isNum || next !== close) {
      goodArgNum = false;
      return { i: close + 1, found: false };
    }
    if (num - 1 >= 0 && num - 1 < args.length) {
      argNum = num - 1;
      return { i: close + 1, found: true };
    }
    goodArgNum = false;
    return { i: close + 1, found: true };
  };

  const intFromArg = (): { num: number; ok: boolean } => {
    if (argNum >= args.length) return { num: 0, ok: false };
    const a = args[argNum++];
    if (kindOf(a) !== 'int') return { num: 0, ok: false };
    const n = toNumber(a);
    return Math.abs(n) > MAX_NUM ? { num: 0, ok: false } : { num: n, ok: true };
  };

  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      p.write(format.slice(i));
      break;
    }
    if (pct > i) p.write(format.slice(i, pct));
    i = pct + 1;
    p.f = clearFlags();
    const f = p.f;
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus; // zero padding only on the left
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    let r = argNumber(i);
    i = r.i;
    let afterIndex = r.found;
    // width
    if (i < end && format[i] === '*') {
      i++;
      const w = intFromArg();
      f.wid = w.num;
      f.widPresent = w.ok;
      if (!w.ok) p.write('%!(BADWIDTH)');
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const n = parseNum(format, i);
      f.wid = n.num;
      f.widPresent = n.isNum;
      i = n.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    // precision
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(i);
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const pr = intFromArg();
        f.prec = pr.num;
        f.precPresent = pr.ok;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.write('%!(BADPREC)');
        afterIndex = false;
      } else {
        const n = parseNum(format, i);
        f.prec = n.num;
        f.precPresent = true;
        i = n.next;
      }
    }
    if (f.wid + f.prec > budget.max)
      throw new LimitError(`printf width or precision exceeds the output limit`);
    if (!afterIndex) {
      r = argNumber(i);
      i = r.i;
      afterIndex = r.found;
    }
    if (i >= end) {
      p.write('%!(NOVERB)');
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      p.write('%');
    } else if (!goodArgNum) {
      p.write(`%!${verb}(BADINDEX)`);
    } else if (argNum >= args.length) {
      p.write(`%!${verb}(MISSING)`);
    } else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(args[argNum], verb, 0);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    p.f = clearFlags();
    p.write('%!(EXTRA ');
    args.slice(argNum).forEach((a, k) => {
      if (k > 0) p.write(', ');
      if (a === null || a === undefined) p.write('<nil>');
      else {
        p.write(`${goTypeName(a)}=`);
        p.printArg(a, 'v', 0);
      }
    });
    p.write(')');
  }
  return p.out;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[], budget: Budget): string {
  const p = new Printer(budget);
  let prevString = false;
  args.forEach((a, k) => {
    const isString = typeof a === 'string';
    if (k > 0 && !isString && !prevString) p.write(' ');
    p.printArg(a, 'v', 0);
    prevString = isString;
  });
  return p.out;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[], budget: Budget): string {
  const p = new Printer(budget);
  args.forEach((a, k) => {
    if (k > 0) p.write(' ');
    p.printArg(a, 'v', 0);
  });
  p.write('\n');
  return p.out;
}

/**
 * How {{.}} prints a value: fmt.Print of it, except that a missing value is "<no value>" and a
 * struct pointer prints as its struct (text/template dereferences pointers before printing).
 */
export function printValue(v: unknown, budget: Budget): string {
  if (v === undefined) return '<no value>';
  const p = new Printer(budget);
  p.printArg(v, 'v', kindOf(v) === 'struct' ? 1 : 0);
  return p.out;
}

/** A float that Go would print as a float even though it is integral. */
export function goFloat(v: number): number | GoFloat {
  return Number.isInteger(v) ? new GoFloat(v) : v;
}
