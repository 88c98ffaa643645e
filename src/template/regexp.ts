/**
 * Go's regexp package as sprig's regex functions use it, on re2js: a port of RE2, the engine
 * behind Go's regexp, so the syntax (counted repetition up to 1000, \pL and \p{Greek},
 * [[:^alpha:]], (?U), (?i) anywhere, \Q..\E, \z) and the leftmost-first semantics are Go's, and
 * matching runs in time linear in the input (no catastrophic backtracking). Error texts are Go's
 * ("error parsing regexp: missing closing ): `(`").
 *
 * Matching works on the UTF-16 string; re2js decodes surrogate pairs, so it walks runes as Go
 * does and characters outside the BMP are one character. Offsets are UTF-16 indexes, which is
 * only an internal difference: results are substrings.
 */
import { type Matcher, RE2JS, RE2JSException } from 're2js';
import { FuncError } from './functions.ts';
import { nilSlice, withGoType } from './values.ts';

/** Bounds the compiled program (Go has no such limit, but its programs are bounded by 1000-repeat rules too). */
const MAX_PATTERN_LENGTH = 4096;
/** Compiled patterns kept for reuse (templates run the same pattern on every object). */
const CACHE_SIZE = 128;

const cache = new Map<string, RE2JS>();

/** A compile error as Go reports it: "error parsing regexp: CODE: `FRAGMENT`". */
export class RegexCompileError extends FuncError {}

/** regexp.Compile. Throws RegexCompileError with Go's message. */
export function compileRegex(pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    // Refresh its place in the LRU order.
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexCompileError(`regexp: pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    if (e instanceof RE2JSException) throw new RegexCompileError(e.message);
    throw e;
  }
  cache.set(pattern, re);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return re;
}

/** regexp.MustCompile's panic text, as text/template reports a panicking function. */
export function mustCompile(pattern: string): RE2JS {
  try {
    return compileRegex(pattern);
  } catch (e) {
    if (e instanceof RegexCompileError) throw new FuncError(`regexp: Compile(\`${pattern}\`): ${e.message}`);
    throw e;
  }
}

/** Width in UTF-16 units of the character at i (a rune in Go). */
function runeWidth(s: string, i: number): number {
  const cp = s.codePointAt(i);
  return cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
}

/** Leftmost-first match at or after pos, with the whole input as context (for ^, \b). */
function matchFrom(m: Matcher, pos: number): boolean {
  return m.find(pos);
}

export function matchString(re: RE2JS, s: string): boolean {
  return re.matcher(s).find();
}

/** Regexp.FindString: the leftmost match, "" if none. */
export function findString(re: RE2JS, s: string): string {
  const m = re.matcher(s);
  return m.find() ? (m.group() ?? '') : '';
}

/**
 * Go's allMatches: successive leftmost matches; an empty match right after the previous match is
 * skipped, and after an empty match the search moves on by one character. [start, end] pairs.
 */
export function findAllIndex(re: RE2JS, s: string, n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const limit = n < 0 ? s.length + 1 : n;
  const m = re.matcher(s);
  let prevMatchEnd = -1;
  for (let pos = 0; out.length < limit && pos <= s.length; ) {
    if (!matchFrom(m, pos)) break;
    const start = m.start();
    const end = m.end();
    let accept = true;
    if (end === start) {
      if (start === prevMatchEnd) accept = false;
      pos = start < s.length ? start + runeWidth(s, start) : s.length + 1;
    } else {
      pos = end;
    }
    prevMatchEnd = end;
    if (accept) out.push([start, end]);
  }
  return out;
}

/** Regexp.FindAllString. Go's nil slice for no match prints as [], like an empty list. */
export function findAllString(re: RE2JS, s: string, n: number): string[] {
  // No match is Go's nil slice: it prints [], encodes as null and equals only nil.
  const found = n === 0 ? [] : findAllIndex(re, s, n);
  return withGoType(
    found.length === 0 ? (nilSlice() as string[]) : found.map(([a, b]) => s.slice(a, b)),
    '[]string',
  );
}

/** Regexp.Split. */
export function split(re: RE2JS, s: string, n: number): string[] {
  if (n === 0) return withGoType(nilSlice() as string[], '[]string');
  if (re.pattern().length > 0 && s.length === 0) return withGoType([''], '[]string');
  const matches = findAllIndex(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const [a, b] of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = a;
    if (b !== 0) out.push(s.slice(beg, end));
    beg = b;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return withGoType(out, '[]string');
}

/**
 * Regexp.ReplaceAllString (literal=false, with $1 ${name} expansion) and
 * ReplaceAllLiteralString. Go's loop: no replacement for an empty match right after a match.
 */
export function replaceAll(
  re: RE2JS,
  src: string,
  repl: string,
  literal: boolean,
  maxLength: number,
): string {
  const m = re.matcher(src);
  const names = literal ? {} : re.namedGroups();
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    if (!matchFrom(m, searchPos)) break;
    const start = m.start();
    const end = m.end();
    out += src.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += literal ? repl : expand(repl, m, names);
    if (out.length > maxLength) throw new FuncError(`result exceeds the output limit of ${maxLength} bytes`);
    lastMatchEnd = end;
    const width = searchPos < src.length ? runeWidth(src, searchPos) : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

/** Regexp.Expand: $1, ${1}, $name, ${name}, $$; an unknown or out-of-range group is "". */
function expand(template: string, m: Matcher, names: Record<string, number>): string {
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
    // Go's extract: a name is letters, digits and underscores; braces allow it to be followed by more.
    const ref = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
    if (ref === null) {
      out += '$'; // malformed: the $ is literal text
      continue;
    }
    rest = rest.slice(ref[0].length);
    const name = ref[1] ?? ref[2]!;
    let group = -1;
    if (/^[0-9]+$/.test(name)) {
      // Go's extract: no leading zeros, nothing past 9 digits; such a name names no group.
      group = (name[0] === '0' && name.length > 1) || name.length > 9 ? -1 : Number(name);
    } else if (Object.hasOwn(names, name)) {
      group = names[name]!;
    }
    if (group >= 0 && group <= m.groupCount()) out += m.group(group) ?? '';
  }
  return out + rest;
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
