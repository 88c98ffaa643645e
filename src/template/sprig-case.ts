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

/** xstrings' nextValidRune: the next rune that is not RuneError, and how many runes it took. */
function nextValidRune(s: readonly string[], prev: string): [string, number] {
  let size = 0;
  for (const c of s) {
    size++;
    if (c !== RUNE_ERROR) return [c, size];
  }
  return [prev, size];
}

/** xstrings' nextWord: the type and extent of the word at the start of s. */
function nextWord(s: readonly string[]): [Word, string[], string[]] {
  if (s.length === 0) return [Word.Invalid, [], []];
  let remaining = s.slice();
  let [r, size] = nextValidRune(remaining, RUNE_ERROR);
  let offset = size;
  if (r === RUNE_ERROR) return [Word.Invalid, s.slice(0, offset), s.slice(offset)];
  let wt: Word;
  const run = (keep: (c: string) => boolean): void => {
    while (remaining.length > 0) {
      [r, size] = nextValidRune(remaining, r);
      if (!keep(r)) break;
      offset += size;
      remaining = remaining.slice(size);
    }
  };
  if (isConnector(r)) {
    wt = Word.Connector;
    remaining = remaining.slice(size);
    run(isConnector);
  } else if (isPunct(r)) {
    wt = Word.Punct;
    remaining = remaining.slice(size);
    run(isPunct);
  } else if (isUpper(r)) {
    wt = Word.Upper;
    remaining = remaining.slice(size);
    if (remaining.length > 0) {
      [r, size] = nextValidRune(remaining, r);
      if (isUpper(r)) {
        let prevSize = size;
        offset += size;
        remaining = remaining.slice(size);
        while (remaining.length > 0) {
          [r, size] = nextValidRune(remaining, r);
          if (!isUpper(r)) break;
          prevSize = size;
          offset += size;
          remaining = remaining.slice(size);
        }
        // "HTTPStatus" is "HTTP" + "Status": the last capital starts the next word.
        if (remaining.length > 0 && isAlphabet(r)) {
          offset -= prevSize;
          remaining = s.slice(offset);
        }
      } else if (isAlphabet(r)) {
        offset += size;
        remaining = remaining.slice(size);
        run((c) => isAlphabet(c) && !isUpper(c));
      }
    }
  } else if (isAlphabet(r)) {
    wt = Word.Alphabet;
    remaining = remaining.slice(size);
    run((c) => isAlphabet(c) && !isUpper(c));
  } else if (isNumber(r)) {
    wt = Word.Number;
    remaining = remaining.slice(size);
    run(isNumber);
  } else {
    wt = Word.Other;
    remaining = remaining.slice(size);
    while (remaining.length > 0) {
      [r, size] = nextValidRune(remaining, r);
      if (size === 0 || isConnector(r) || isAlphabet(r) || isNumber(r) || isPunct(r)) break;
      offset += size;
      remaining = remaining.slice(size);
    }
  }
  return [wt, s.slice(0, offset), remaining];
}

function lowerWord(wt: Word, word: readonly string[], connector: string): string {
  if (wt !== Word.Upper && wt !== Word.Connector) return word.join('');
  return word.map((c) => (isConnector(c) ? connector : isUpper(c) ? toLower(c) : c)).join('');
}

/** xstrings' camelCaseToLowerCase (ToSnakeCase with "_", ToKebabCase with "-"). */
function toConnectedLower(text: string, connector: string): string {
  if (text === '') return '';
  let out = '';
  let [wt, word, remaining] = nextWord([...text]);
  const stopsConnector = (w: Word): boolean => w === Word.Invalid || w === Word.Punct || w === Word.Connector;
  while (remaining.length > 0) {
    if (wt !== Word.Connector) out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    [wt, word, remaining] = nextWord(remaining);
    if (prev === Word.Number) {
      while (wt === Word.Alphabet || wt === Word.Number) {
        out += lowerWord(wt, word, connector);
        [wt, word, remaining] = nextWord(remaining);
      }
      if (!stopsConnector(wt)) out += connector;
    } else if (prev === Word.Connector) {
      out += lowerWord(prev, last, connector);
    } else if (prev === Word.Punct) {
      // nothing
    } else if (wt !== Word.Number) {
      if (wt !== Word.Connector && wt !== Word.Punct) out += connector;
    } else if (remaining.length > 0) {
      const number = word;
      [wt, word, remaining] = nextWord(remaining);
      if (wt !== Word.Alphabet) {
        // A number ends the word before it: "Bld4Floor" is "bld4_floor".
        out += lowerWord(Word.Number, number, connector);
        if (wt !== Word.Connector && wt !== Word.Punct) out += connector;
      } else {
        // Lower-case letters after a number start a new word: "HTTP2xx" is "http_2xx".
        out += connector + lowerWord(Word.Number, number, connector);
        while (wt === Word.Alphabet || wt === Word.Number) {
          out += lowerWord(wt, word, connector);
          [wt, word, remaining] = nextWord(remaining);
        }
        if (!stopsConnector(wt)) out += connector;
      }
    }
  }
  return out + lowerWord(wt, word, connector);
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
