/**
 * sprig's case conversions, as the Go libraries it calls do them: camelcase, snakecase and
 * kebabcase are huandu/xstrings v1.5 (ToPascalCase, ToSnakeCase, ToKebabCase: words split at
 * connectors, case changes, letters/digits and punctuation); swapcase, untitle and initials are
 * Masterminds/goutils v1.1 (SwapCase, Uncapitalize, Initials). Character classes are Go's unicode
 * package (IsUpper is category Lu, IsPunct P, IsNumber N, IsSpace Go's white space); case
 * mappings are Go's one-rune-to-one-rune ones (sprig.ts).
 */
import { fn, type GoFunction } from './functions.ts';
import { mapCase, toTitle } from './sprig.ts';

const SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;
const isSpace = (c: string): boolean => SPACE.test(c);
const isUpper = (c: string): boolean => /^\p{Lu}$/u.test(c);
const isLower = (c: string): boolean => /^\p{Ll}$/u.test(c);
const isTitle = (c: string): boolean => /^\p{Lt}$/u.test(c);
const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);
const isNumber = (c: string): boolean => /^\p{N}$/u.test(c);
const isPunct = (c: string): boolean => /^\p{P}$/u.test(c);
const toUpper = (c: string): string => mapCase(c, true);
const toLower = (c: string): string => mapCase(c, false);

/** utf8.RuneError: in a JavaScript string only the character U+FFFD itself decodes to it. */
const RUNE_ERROR = '\uFFFD';

function isConnector(c: string): boolean {
  return c === '-' || c === '_' || isSpace(c);
}

/** xstrings' isAlphabet: a letter, but not a CJK ideograph. */
function isAlphabet(c: string): boolean {
  if (!isLetter(c)) return false;
  const r = c.codePointAt(0)!;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

/** xstrings.ToPascalCase (sprig's camelcase). */
function toPascalCase(text: string): string {
  const s = [...text];
  if (s.length === 0) return '';
  let out = '';
  let firstUpper = false;
  let r0 = '';
  let i = 0;
  // Leading connectors are kept.
  while (i < s.length) {
    r0 = s[i++]!;
    if (!isConnector(r0)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
      break;
    }
    out += r0;
  }
  if (i === s.length) return out + r0; // xstrings writes the last rune again, even a connector
  while (i < s.length) {
    const r1 = r0;
    r0 = s[i++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = toLower(r0);
        else firstUpper = false;
      }
      out += r1;
    }
  }
  return out + r0;
}

/** xstrings' word types. */
const Word = {
  Invalid: 0,
  Number: 1,
  Upper: 2,
  Alphabet: 3,
  Connector: 4,
  Punct: 5,
  Other: 6,
} as const;
type Word = (typeof Word)[keyof typeof Word];

/**
 * xstrings' nextValidRune: the next rune from `from` on that is not RuneError, and how many runes
 * it took (all the rest, with `prev`, when there is none).
 */
function nextValidRune(all: readonly string[], from: number, prev: string): [string, number] {
  for (let i = from; i < all.length; i++) {
    if (all[i] !== RUNE_ERROR) return [all[i]!, i - from + 1];
  }
  return [prev, all.length - from];
}

/**
 * xstrings' nextWord on all[start:]: the word's type, its end, and where the rest starts. (Go
 * slices strings for free; here positions stand in for the slices, so a long text stays linear.)
 */
function nextWord(all: readonly string[], start: number): [Word, number, number] {
  if (start >= all.length) return [Word.Invalid, start, start];
  let rem = start;
  const left = (): number => all.length - rem;
  let [r, size] = nextValidRune(all, rem, RUNE_ERROR);
  let offset = size;
  if (r === RUNE_ERROR) return [Word.Invalid, start + offset, start + offset];
  let wt: Word;
  const run = (keep: (c: string) => boolean): void => {
    while (left() > 0) {
      [r, size] = nextValidRune(all, rem, r);
      if (!keep(r)) break;
      offset += size;
      rem += size;
    }
  };
  if (isConnector(r)) {
    wt = Word.Connector;
    rem += size;
    run(isConnector);
  } else if (isPunct(r)) {
    wt = Word.Punct;
    rem += size;
    run(isPunct);
  } else if (isUpper(r)) {
    wt = Word.Upper;
    rem += size;
    if (left() > 0) {
      [r, size] = nextValidRune(all, rem, r);
      if (isUpper(r)) {
        let prevSize = size;
        offset += size;
        rem += size;
        while (left() > 0) {
          [r, size] = nextValidRune(all, rem, r);
          if (!isUpper(r)) break;
          prevSize = size;
          offset += size;
          rem += size;
        }
        // "HTTPStatus" is "HTTP" + "Status": the last capital starts the next word.
        if (left() > 0 && isAlphabet(r)) {
          offset -= prevSize;
          rem = start + offset;
        }
      } else if (isAlphabet(r)) {
        offset += size;
        rem += size;
        run((c) => isAlphabet(c) && !isUpper(c));
      }
    }
  } else if (isAlphabet(r)) {
    wt = Word.Alphabet;
    rem += size;
    run((c) => isAlphabet(c) && !isUpper(c));
  } else if (isNumber(r)) {
    wt = Word.Number;
    rem += size;
    run(isNumber);
  } else {
    wt = Word.Other;
    rem += size;
    while (left() > 0) {
      [r, size] = nextValidRune(all, rem, r);
      if (size === 0 || isConnector(r) || isAlphabet(r) || isNumber(r) || isPunct(r)) break;
      offset += size;
      rem += size;
    }
  }
  return [wt, start + offset, rem];
}

function lowerWord(wt: Word, word: readonly string[], connector: string): string {
  if (wt !== Word.Upper && wt !== Word.Connector) return word.join('');
  return word.map((c) => (isConnector(c) ? connector : isUpper(c) ? toLower(c) : c)).join('');
}

/** xstrings' camelCaseToLowerCase (ToSnakeCase with "_", ToKebabCase with "-"). */
function toConnectedLower(text: string, connector: string): string {
  if (text === '') return '';
  const all = [...text];
  let out = '';
  // The current word is all[ws:we]; the rest starts at rem.
  let ws = 0;
  let [wt, we, rem] = nextWord(all, 0);
  const next = (): void => {
    ws = rem;
    [wt, we, rem] = nextWord(all, rem);
  };
  const lower = (t: Word, from: number, to: number): string => lowerWord(t, all.slice(from, to), connector);
  const stopsConnector = (w: Word): boolean => w === Word.Invalid || w === Word.Punct || w === Word.Connector;
  while (rem < all.length) {
    if (wt !== Word.Connector) out += lower(wt, ws, we);
    const prev = wt;
    const [lastStart, lastEnd] = [ws, we];
    next();
    if (prev === Word.Number) {
      while (wt === Word.Alphabet || wt === Word.Number) {
        out += lower(wt, ws, we);
        next();
      }
      if (!stopsConnector(wt)) out += connector;
    } else if (prev === Word.Connector) {
      out += lower(prev, lastStart, lastEnd);
    } else if (prev === Word.Punct) {
      // nothing
    } else if (wt !== Word.Number) {
      if (wt !== Word.Connector && wt !== Word.Punct) out += connector;
    } else if (rem < all.length) {
      const [numStart, numEnd] = [ws, we];
      next();
      // next() changed wt: TypeScript's narrowing from the test above no longer holds.
      const after = wt as Word;
      if (after !== Word.Alphabet) {
        // A number ends the word before it: "Bld4Floor" is "bld4_floor".
        out += lower(Word.Number, numStart, numEnd);
        if (after !== Word.Connector && after !== Word.Punct) out += connector;
      } else {
        // Lower-case letters after a number start a new word: "HTTP2xx" is "http_2xx".
        out += connector + lower(Word.Number, numStart, numEnd);
        while ((wt as Word) === Word.Alphabet || wt === Word.Number) {
          out += lower(wt, ws, we);
          next();
        }
        if (!stopsConnector(wt)) out += connector;
      }
    }
  }
  return out + lower(wt, ws, we);
}

/** goutils.SwapCase: upper and title to lower; lower to title after white space, else upper. */
function swapCase(s: string): string {
  let out = '';
  let whitespace = true;
  for (const c of s) {
    if (isUpper(c) || isTitle(c)) {
      out += toLower(c);
      whitespace = false;
    } else if (isLower(c)) {
      out += whitespace ? toTitle(c) : toUpper(c);
      whitespace = false;
    } else {
      out += c;
      whitespace = isSpace(c);
    }
  }
  return out;
}

/** goutils.Uncapitalize: lower-case the first character of each white-space separated word. */
function uncapitalize(s: string): string {
  let out = '';
  let next = true;
  for (const c of s) {
    if (isSpace(c)) {
      next = true;
      out += c;
    } else if (next) {
      out += toLower(c);
      next = false;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * goutils.Initials: it walks bytes, not characters, and writes each first byte back as the
 * code point of that value, so a word starting with a non-ASCII letter gives Latin-1 mojibake.
 * Faithful on purpose (like nospace).
 */
function initials(s: string): string {
  let out = '';
  let gap = true;
  for (const b of Buffer.from(s, 'utf8')) {
    if ((b >= 0x09 && b <= 0x0d) || b === 0x20 || b === 0x85 || b === 0xa0) {
      gap = true;
    } else if (gap) {
      out += String.fromCharCode(b);
      gap = false;
    }
  }
  return out;
}

export const CASE_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['camelcase', fn(['string'], (_, [s]) => toPascalCase(s as string))],
  ['snakecase', fn(['string'], (_, [s]) => toConnectedLower(s as string, '_'))],
  ['kebabcase', fn(['string'], (_, [s]) => toConnectedLower(s as string, '-'))],
  ['swapcase', fn(['string'], (_, [s]) => swapCase(s as string))],
  ['untitle', fn(['string'], (_, [s]) => uncapitalize(s as string))],
  ['initials', fn(['string'], (_, [s]) => initials(s as string))],
]);
