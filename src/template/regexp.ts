/**
 * Go (RE2) regular expressions for regexMatch and regexReplaceAll.
 *
 * Go's regexp runs in linear time; JavaScript's backtracking engine does not, and one bad pattern
 * would hang the sandbox. So patterns run on V8's linear-time engine (the `l` flag, enabled once
 * through a V8 flag), which, like RE2, has no backreferences or lookaround. Go syntax is
 * translated first: (?P<name>…), leading (?i) (?m) (?s), \A \z \Q…\E, [[:alpha:]] classes,
 * octal and \x{…} escapes, Go's narrower \s and `.`. What cannot be translated faithfully
 * (\p{…} classes, flags in the middle of a pattern, non-BMP characters) is reported as an
 * unsupported pattern. Matching is by UTF-16 unit, not by rune; it differs from Go only for
 * characters outside the Basic Multilingual Plane.
 */
import v8 from 'node:v8';
import { FuncError } from './functions.ts';

/** Go rejects repeat counts above 1000; so do we, which also bounds the compiled program. */
const MAX_REPEAT = 1000;
const MAX_PATTERN_LENGTH = 4096;

/** The flag of V8's linear-time engine (kept in a variable: linters do not know it). */
const LINEAR_FLAG = 'l';

let linearEngine: boolean | undefined;

function linearAvailable(): boolean {
  if (linearEngine === undefined) {
    try {
      v8.setFlagsFromString('--enable-experimental-regexp-engine');
      new RegExp('a', LINEAR_FLAG);
      linearEngine = true;
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

class RegexSyntaxError extends Error {}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function hexEscape(cp: number): string {
  if (cp > 0xffff) throw new RegexSyntaxError('characters outside the BMP are not supported');
  return `\\u${cp.toString(16).padStart(4, '0')}`;
}

function literal(c: string, fold: boolean): string {
  if (fold && /[a-zA-Z]/.test(c)) return `[${c.toLowerCase()}${c.toUpperCase()}]`;
  if (/[\\^$.|?*+()[\]{}/-]/.test(c)) return `\\${c}`;
  const cp = c.codePointAt(0)!;
  return cp < 0x20 || cp > 0x7e ? hexEscape(cp) : c;
}

interface Translation {
  source: string;
  flags: string;
}

/** Translate a Go pattern into a source for V8's linear engine, or throw RegexSyntaxError. */
function translate(src: string): Translation {
  let i = 0;
  let fold = false;
  let multiline = false;
  let dotAll = false;
  // Leading flag groups apply to the whole pattern.
  for (let m = /^\(\?([imsU]+)\)/.exec(src); m !== null; m = /^\(\?([imsU]+)\)/.exec(src.slice(i))) {
    for (const f of m[1]!) {
      if (f === 'i') fold = true;
      else if (f === 'm') multiline = true;
      else if (f === 's') dotAll = true;
      else throw new RegexSyntaxError('the U (ungreedy) flag is not supported');
    }
    i += m[0].length;
  }
  let out = '';
  let depth = 0;
  const next = (): string => {
    const cp = src.codePointAt(i);
    if (cp === undefined) return '';
    const c = String.fromCodePoint(cp);
    i += c.length;
    return c;
  };
  const readEscape = (inClass: boolean): string => {
    const c = next();
    if (c === '') throw new RegexSyntaxError('trailing backslash at end of expression');
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 't':
      case 'n':
      case 'r':
      case 'f':
      case 'v':
        return `\\${c}`;
      case 'b':
      case 'B':
        if (inClass) throw new RegexSyntaxError(`invalid escape sequence: \`\\${c}\``);
        return `\\${c}`;
      case 's':
        return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      case 'S':
        if (inClass) throw new RegexSyntaxError('\\S inside a character class is not supported');
        return '[^\\t\\n\\f\\r ]';
      case 'a':
        return '\\x07';
      case 'A':
        if (inClass || multiline) throw new RegexSyntaxError(`invalid escape sequence: \`\\A\``);
        return '^';
      case 'z':
        if (inClass || multiline) throw new RegexSyntaxError(`invalid escape sequence: \`\\z\``);
        return '$';
      case 'x': {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(src.slice(i));
        if (braced !== null) {
          i += braced[0].length;
          return hexEscape(Number.parseInt(braced[1]!, 16));
        }
        const two = /^[0-9a-fA-F]{2}/.exec(src.slice(i));
        if (two === null) throw new RegexSyntaxError('invalid escape sequence: `\\x`');
        i += 2;
        return `\\x${two[0]}`;
      }
      case 'p':
      case 'P':
        throw new RegexSyntaxError('Unicode classes \\p are not supported');
      default:
        // Octal \0, \012, \123; a lone \1..\7 would be a backreference, which RE2 lacks.
        if (c >= '0' && c <= '7' && (c === '0' || /^[0-7]/.test(src.slice(i)))) {
          const oct = /^[0-7]{0,2}/.exec(src.slice(i))![0];
          i += oct.length;
          return hexEscape(Number.parseInt(c + oct, 8));
        }
        // Go allows escaping any punctuation, nothing else.
        if (/[\p{L}\p{N}_]/u.test(c)) throw new RegexSyntaxError(`invalid escape sequence: \`\\${c}\``);
        return literal(c, false);
    }
  };
  const charClass = (): string => {
    let body = '';
    if (src[i] === '^') {
      body += '^';
      i++;
    }
    let first = true;
    const folded: string[] = [];
    for (;;) {
      if (i >= src.length) throw new RegexSyntaxError(`missing closing ]: \`${src}\``);
      if (src[i] === ']' && !first) {
        i++;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      if (posix !== null) {
        const cls = POSIX_CLASSES[posix[2]!];
        if (cls === undefined || posix[1] === '^')
          throw new RegexSyntaxError(`invalid character class range`);
        body += cls;
        i += posix[0].length;
        continue;
      }
      let item: string;
      let lo: number | null = null;
      let c = next();
      if (c === '\\') {
        item = readEscape(true);
        if (/^\\(x[0-9a-f]{2}|u[0-9a-f]{4})$/i.test(item)) lo = Number.parseInt(item.slice(2), 16);
      } else {
        item = c === ']' || c === '[' || c === '\\' || c === '^' || c === '-' ? `\\${c}` : literal(c, false);
        lo = c.codePointAt(0)!;
      }
      if (lo !== null && src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        i++;
        c = next();
        let hi: number;
        let hiItem: string;
        if (c === '\\') {
          hiItem = readEscape(true);
          if (!/^\\(x[0-9a-f]{2}|u[0-9a-f]{4})$/i.test(hiItem))
            throw new RegexSyntaxError('invalid character class range');
          hi = Number.parseInt(hiItem.slice(2), 16);
        } else {
          hi = c.codePointAt(0)!;
          hiItem = c === ']' || c === '[' || c === '^' || c === '-' ? `\\${c}` : literal(c, false);
        }
        if (hi < lo) throw new RegexSyntaxError('invalid character class range');
        body += `${item}-${hiItem}`;
        if (fold) foldRange(lo, hi, folded);
      } else {
        body += item;
        if (fold && lo !== null) foldRange(lo, lo, folded);
      }
    }
    return `[${body}${folded.join('')}]`;
  };
  while (i < src.length) {
    const c = next();
    switch (c) {
      case '\\':
        if (src[i] === 'Q') {
          i++;
          const end = src.indexOf('\\E', i);
          const text = end === -1 ? src.slice(i) : src.slice(i, end);
          i = end === -1 ? src.length : end + 2;
          for (const t of text) out += literal(t, fold);
        } else {
          out += readEscape(false);
        }
        break;
      case '[':
        out += charClass();
        break;
      case '(':
        if (src[i] === '?') {
          const named = /^\?P?<([A-Za-z0-9_]+)>/.exec(src.slice(i));
          if (named !== null) {
            out += `(?<${named[1]}>`;
            i += named[0].length;
          } else if (src[i + 1] === ':') {
            out += '(?:';
            i += 2;
          } else {
            throw new RegexSyntaxError(`invalid or unsupported Perl syntax: \`${src.slice(i - 1, i + 2)}\``);
          }
        } else {
          out += '(';
        }
        depth++;
        break;
      case ')':
        if (depth === 0) throw new RegexSyntaxError(`unexpected ): \`${src}\``);
        depth--;
        out += ')';
        break;
      case '{': {
        const rep = /^(\d+)(,(\d*))?\}/.exec(src.slice(i));
        if (rep === null) {
          out += '\\{'; // Go treats a brace that is not a repeat as a literal
          break;
        }
        if (
          Number(rep[1]) > MAX_REPEAT ||
          (rep[3] !== undefined && rep[3] !== '' && Number(rep[3]) > MAX_REPEAT)
        ) {
          throw new RegexSyntaxError(`invalid repeat count: \`{${rep[0]}\``);
        }
        out += `{${rep[0]}`;
        i += rep[0].length;
        break;
      }
      case '.':
        out += dotAll ? '[\\s\\S]' : '[^\\n]';
        break;
      case '^':
      case '$':
      case '|':
      case '*':
      case '+':
      case '?':
        out += c;
        break;
      default:
        out += literal(c, fold);
    }
  }
  if (depth > 0) throw new RegexSyntaxError(`missing closing ): \`${src}\``);
  return { source: out, flags: multiline ? 'm' : '' };
}

/** Add the other-case counterparts of the ASCII letters in lo..hi. */
function foldRange(lo: number, hi: number, out: string[]): void {
  const add = (a: number, b: number, shift: number): void => {
    const from = Math.max(lo, a);
    const to = Math.min(hi, b);
    if (from <= to) out.push(`${String.fromCharCode(from + shift)}-${String.fromCharCode(to + shift)}`);
  };
  add(0x61, 0x7a, -32);
  add(0x41, 0x5a, 32);
}

/** Compile a Go pattern; the error message is Go's "error parsing regexp: ..." where we can tell. */
export function compileRegex(pattern: string, global = false): RegExp {
  if (!linearAvailable()) throw new FuncError('regular expressions are not available in this runtime');
  if (pattern.length > MAX_PATTERN_LENGTH) throw new FuncError('regexp: pattern too long');
  let t: Translation;
  try {
    t = translate(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new FuncError(`error parsing regexp: ${e.message}`);
    throw e;
  }
  try {
    return new RegExp(t.source, `${LINEAR_FLAG}${t.flags}${global ? 'g' : ''}`);
  } catch (e) {
    throw new FuncError(`error parsing regexp: unsupported pattern \`${pattern}\`: ${(e as Error).message}`);
  }
}

/** Go's template expansion in replacements: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar === -1) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
    if (ref === null) {
      out += '$'; // malformed: the $ is literal text
      continue;
    }
    rest = rest.slice(ref[0].length);
    const name = ref[1] ?? ref[2]!;
    if (/^(0|[1-9][0-9]{0,7})$/.test(name)) {
      out += m[Number(name)] ?? '';
    } else {
      out += m.groups?.[name] ?? '';
    }
  }
  return out + rest;
}

/** regexp.ReplaceAllString, including Go's handling of empty matches. */
export function replaceAll(re: RegExp, src: string, template: string, maxLength: number): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    out += src.slice(lastMatchEnd, start);
    // No replacement for an empty match right after a previous match.
    if (end > lastMatchEnd || start === 0) out += expand(template, m);
    if (out.length > maxLength) throw new FuncError('regexReplaceAll result exceeds the output limit');
    lastMatchEnd = end;
    const cp = src.codePointAt(searchPos);
    const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}
