/**
 * sprig's mustFromJson: fromJson that reports what encoding/json's Unmarshal reports. The text
 * is first checked by a port of encoding/json's scanner (its state machine decides which byte is
 * wrong and in what context: `invalid character 'x' looking for beginning of value`,
 * `unexpected end of JSON input`), then decoded as fromJson does; a number past float64's range
 * is Unmarshal's type error.
 */
import { fromJson } from './encoding.ts';
import { FuncError, fn, type GoFunction } from './functions.ts';
import { quote } from './strconv.ts';

/** encoding/json's quoteChar: the byte as a rune, Go-quoted between single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  return `'${quote(String.fromCharCode(c)).slice(1, -1)}'`;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const ch = (s: string): number => s.charCodeAt(0);

const MAX_NESTING = 10000;

class Syntax extends Error {}

type Step = (c: number) => void;

/** encoding/json's checkValid: throws Syntax with Go's message, or returns when the text is JSON. */
function checkValid(data: Uint8Array): void {
  const stack: Array<'key' | 'value' | 'array'> = [];
  let endTop = false;
  const fail = (c: number, context: string): never => {
    throw new Syntax(`invalid character ${quoteChar(c)} ${context}`);
  };
  const push = (c: number, state: 'key' | 'array'): void => {
    stack.push(state);
    if (stack.length > MAX_NESTING) fail(c, 'exceeded max depth');
  };
  const pop = (): void => {
    stack.pop();
    if (stack.length === 0) {
      step = endTopState;
      endTop = true;
    } else {
      step = endValue;
    }
  };
  const literal =
    (expect: string, context: string, next: () => Step): Step =>
    (c) => {
      if (c === ch(expect)) step = next();
      else fail(c, context);
    };
  const endTopState: Step = (c) => {
    if (!isSpace(c)) fail(c, 'after top-level value');
  };
  const endValue: Step = (c) => {
    const n = stack.length;
    if (n === 0) {
      step = endTopState;
      endTop = true;
      endTopState(c);
      return;
    }
    if (isSpace(c)) {
      step = endValue;
      return;
    }
    const ps = stack[n - 1];
    if (ps === 'key') {
      if (c !== ch(':')) fail(c, 'after object key');
      stack[n - 1] = 'value';
      step = beginValue;
    } else if (ps === 'value') {
      if (c === ch(',')) {
        stack[n - 1] = 'key';
        step = beginString;
      } else if (c === ch('}')) pop();
      else fail(c, 'after object key:value pair');
    } else {
      if (c === ch(',')) step = beginValue;
      else if (c === ch(']')) pop();
      else fail(c, 'after array element');
    }
  };
  const hexStep =
    (then: () => Step): Step =>
    (c) => {
      if (!isHex(c)) fail(c, 'in \\u hexadecimal character escape');
      step = then();
    };
  const inStringEsc: Step = (c) => {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) step = inString;
    else if (c === ch('u')) step = hexStep(() => hexStep(() => hexStep(() => hexStep(() => inString))));
    else fail(c, 'in string escape code');
  };
  const inString: Step = (c) => {
    if (c === ch('"')) step = endValue;
    else if (c === ch('\\')) step = inStringEsc;
    else if (c < 0x20) fail(c, 'in string literal');
  };
  const e0: Step = (c) => {
    if (!isDigit(c)) endValue(c);
  };
  const eSign: Step = (c) => {
    if (!isDigit(c)) fail(c, 'in exponent of numeric literal');
    step = e0;
  };
  const e: Step = (c) => {
    if (c === ch('+') || c === ch('-')) step = eSign;
    else eSign(c);
  };
  const dot0: Step = (c) => {
    if (isDigit(c)) return;
    if (c === ch('e') || c === ch('E')) step = e;
    else endValue(c);
  };
  const dot: Step = (c) => {
    if (!isDigit(c)) fail(c, 'after decimal point in numeric literal');
    step = dot0;
  };
  const zero: Step = (c) => {
    if (c === ch('.')) step = dot;
    else if (c === ch('e') || c === ch('E')) step = e;
    else endValue(c);
  };
  const one: Step = (c) => {
    if (isDigit(c)) step = one;
    else zero(c);
  };
  const neg: Step = (c) => {
    if (c === ch('0')) step = zero;
    else if (c >= ch('1') && c <= ch('9')) step = one;
    else fail(c, 'in numeric literal');
  };
  const beginValue: Step = (c) => {
    if (isSpace(c)) return;
    const s = String.fromCharCode(c);
    if (s === '{') {
      step = beginStringOrEmpty;
      push(c, 'key');
    } else if (s === '[') {
      step = beginValueOrEmpty;
      push(c, 'array');
    } else if (s === '"') step = inString;
    else if (s === '-') step = neg;
    else if (s === '0') step = zero;
    else if (s === 't')
      step = literal('r', "in literal true (expecting 'r')", () =>
        literal('u', "in literal true (expecting 'u')", () =>
          literal('e', "in literal true (expecting 'e')", () => endValue),
        ),
      );
    else if (s === 'f')
      step = literal('a', "in literal false (expecting 'a')", () =>
        literal('l', "in literal false (expecting 'l')", () =>
          literal('s', "in literal false (expecting 's')", () =>
            literal('e', "in literal false (expecting 'e')", () => endValue),
          ),
        ),
      );
    else if (s === 'n')
      step = literal('u', "in literal null (expecting 'u')", () =>
        literal('l', "in literal null (expecting 'l')", () =>
          literal('l', "in literal null (expecting 'l')", () => endValue),
        ),
      );
    else if (c >= ch('1') && c <= ch('9')) step = one;
    else fail(c, 'looking for beginning of value');
  };
  const beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return;
    if (c === ch(']')) endValue(c);
    else beginValue(c);
  };
  const beginString: Step = (c) => {
    if (isSpace(c)) return;
    if (c !== ch('"')) fail(c, 'looking for beginning of object key string');
    step = inString;
  };
  const beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return;
    if (c === ch('}')) {
      stack[stack.length - 1] = 'value';
      endValue(c);
    } else beginString(c);
  };
  let step: Step = beginValue;
  for (const c of data) step(c);
  // eof: a trailing space completes a number; anything else unfinished is the end of input.
  if (endTop) return;
  step(0x20);
  if (!endTop) throw new Syntax('unexpected end of JSON input');
}

/** The first number literal past float64's range, which Unmarshal refuses. */
function outOfRangeNumber(s: string): string | undefined {
  const numbers = s.match(/"(?:[^"\\]|\\.)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/g) ?? [];
  return numbers.find((n) => !n.startsWith('"') && !Number.isFinite(Number(n)));
}

function mustFromJson(s: string): unknown {
  try {
    checkValid(Buffer.from(s, 'utf8'));
  } catch (e) {
    if (e instanceof Syntax) throw new FuncError(e.message);
    throw e;
  }
  const big = outOfRangeNumber(s);
  if (big !== undefined)
    throw new FuncError(`json: cannot unmarshal number ${big} into Go value of type float64`);
  return fromJson(s);
}

export const JSON_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['mustFromJson', fn(['string'], (_, [s]) => mustFromJson(s as string))],
]);
