/**
 * sprig's text shaping: abbrev / abbrevboth (goutils.Abbreviate / AbbreviateFull), wrap / wrapWith
 * (goutils.WrapCustom), plural, hello, and b32dec (encoding/base32's StdEncoding; like b64dec,
 * a decoding error comes back as the text of the error, not as an error). goutils counts and cuts
 * bytes, not characters; so does this (a cut through a multi-byte character is the documented
 * invalid-utf8 difference).
 */
import { LimitError } from './errors.ts';
import { type CallContext, fn, type GoFunction } from './functions.ts';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** goutils.AbbreviateFull on bytes; null where it returns an error (sprig then gives ""). */
function abbreviateFull(str: Buffer, offset: number, maxWidth: number): Buffer | null {
  if (str.length === 0) return str;
  if (maxWidth < 4) return null;
  if (str.length <= maxWidth) return str;
  let off = Math.min(offset, str.length);
  if (str.length - off < maxWidth - 3) off = str.length - (maxWidth - 3);
  const marker = utf8('...');
  if (off <= 4) return Buffer.concat([str.subarray(0, maxWidth - 3), marker]);
  if (maxWidth < 7) return null;
  if (off + maxWidth - 3 < str.length) {
    const rest = abbreviateFull(str.subarray(off), 0, maxWidth - 3);
    return Buffer.concat([marker, rest ?? Buffer.alloc(0)]);
  }
  return Buffer.concat([marker, str.subarray(str.length - (maxWidth - 3))]);
}

function abbrev(width: number, s: string): string {
  if (width < 4) return s;
  const r = abbreviateFull(utf8(s), 0, width);
  return r === null ? '' : text(r);
}

function abbrevboth(left: number, right: number, s: string): string {
  if (right < 4 || (left > 0 && right < 7)) return s;
  const r = abbreviateFull(utf8(s), left, right);
  return r === null ? '' : text(r);
}

/** goutils.WrapCustom: break at the last space within each line's width, on bytes. */
function wrapCustom(
  ctx: CallContext,
  s: string,
  width: number,
  newline: string,
  wrapLongWords: boolean,
): string {
  if (s === '') return '';
  const nl = utf8(newline === '' ? '\n' : newline);
  const w = Math.max(width, 1);
  const str = utf8(s);
  const out: Buffer[] = [];
  let offset = 0;
  // Every break adds the separator: a long one on a long text could outgrow memory before the
  // output limit is checked, so count as it grows.
  let size = str.length;
  const push = (...parts: Buffer[]): void => {
    out.push(...parts);
    if (parts.length > 1) size += nl.length;
    if (size > ctx.maxBytes) {
      throw new LimitError(
        `result of more than ${ctx.maxBytes} bytes exceeds the output limit of ${ctx.maxBytes} bytes`,
      );
    }
  };
  while (str.length - offset > w) {
    if (str[offset] === 0x20) {
      offset++;
      continue;
    }
    const space = str.subarray(offset, offset + w + 1).lastIndexOf(0x20);
    if (space !== -1) {
      push(str.subarray(offset, offset + space), nl);
      offset += space + 1;
    } else if (wrapLongWords) {
      push(str.subarray(offset, offset + w), nl);
      offset += w;
    } else {
      // A long word runs past the width, up to the next space.
      const next = str.indexOf(0x20, offset + w);
      if (next === -1) {
        push(str.subarray(offset));
        offset = str.length;
      } else {
        push(str.subarray(offset, next), nl);
        offset = next + 1;
      }
    }
  }
  out.push(str.subarray(offset));
  return text(Buffer.concat(out));
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32.StdEncoding.DecodeString, with Go's error offsets (counted after newlines are dropped). */
function b32dec(s: string): string {
  const src = utf8(s).filter((b) => b !== 0x0d && b !== 0x0a);
  const olen = src.length;
  const corrupt = (at: number): string => `illegal base32 data at input byte ${at}`;
  const out: number[] = [];
  let pos = 0;
  let end = false;
  while (pos < olen && !end) {
    const dbuf = new Array<number>(8).fill(0);
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (pos === olen) return corrupt(olen - (olen - pos) - j);
      const c = src[pos++]!;
      const left = olen - pos;
      if (c === 0x3d && j >= 2 && left < 8) {
        if (left + j < 7) return corrupt(olen);
        for (let k = 0; k < 7 - j; k++) {
          if (left > k && src[pos + k] !== 0x3d) return corrupt(olen - left + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) return corrupt(olen - left - 1);
        break;
      }
      const v = BASE32.indexOf(String.fromCharCode(c));
      if (v === -1) return corrupt(olen - left - 1);
      dbuf[j++] = v;
    }
    const [b0, b1, b2, b3, b4, b5, b6, b7] = dbuf as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const bytes = [
      ((b0 << 3) | (b1 >> 2)) & 0xff,
      ((b1 << 6) | (b2 << 1) | (b3 >> 4)) & 0xff,
      ((b3 << 4) | (b4 >> 1)) & 0xff,
      ((b4 << 7) | (b5 << 2) | (b6 >> 3)) & 0xff,
      ((b6 << 5) | b7) & 0xff,
    ];
    const produced = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[dlen] ?? 0;
    out.push(...bytes.slice(0, produced));
  }
  return text(Uint8Array.from(out));
}

export const TEXT_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['abbrev', fn(['int', 'string'], (_, [w, s]) => abbrev(w as number, s as string))],
  [
    'abbrevboth',
    fn(['int', 'int', 'string'], (_, [l, r, s]) => abbrevboth(l as number, r as number, s as string)),
  ],
  ['wrap', fn(['int', 'string'], (ctx, [l, s]) => wrapCustom(ctx, s as string, l as number, '', false))],
  [
    'wrapWith',
    fn(['int', 'string', 'string'], (ctx, [l, sep, s]) =>
      wrapCustom(ctx, s as string, l as number, sep as string, true),
    ),
  ],
  ['plural', fn(['string', 'string', 'int'], (_, [one, many, n]) => (n === 1 ? one : many))],
  ['hello', fn([], () => 'Hello!')],
  ['b32dec', fn(['string'], (_, [s]) => b32dec(s as string))],
]);
