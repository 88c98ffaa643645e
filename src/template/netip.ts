/**
 * Go's net/netip address syntax check, as net/url applies it to a bracketed host: the same
 * accept/reject decision and the same error texts (`ParseAddr("::g"): each colon-separated field
 * must have at least one digit (at "g")`). Only validity is needed, so no address is built.
 */
import { quoteBytes } from './strconv.ts';

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/**
 * netip.ParseAddr's verdict on the text of a URL's "[...]" host: null for an IPv6 address, 'ipv4'
 * for an IPv4 one (which a URL may not bracket), else ParseAddr's error text. s is a byte string.
 */
export function ipLiteralError(s: string): string | null {
  const err = (msg: string, at?: string): string =>
    `ParseAddr(${quoteBytes(s)}): ${msg}${at !== undefined ? ` (at ${quoteBytes(at)})` : ''}`;
  const ipv4 = (text: string): string | null => {
    let val = 0;
    let pos = 0;
    let digits = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c >= '0' && c <= '9') {
        if (digits === 1 && val === 0) return err('IPv4 field has octet with leading zero');
        val = val * 10 + Number(c);
        digits++;
        if (val > 255) return err('IPv4 field has value >255');
      } else if (c === '.') {
        if (i === 0 || i === text.length - 1 || text[i - 1] === '.') {
          return err('IPv4 field must have at least one digit', text.slice(i));
        }
        if (pos === 3) return err('IPv4 address too long');
        pos++;
        val = 0;
        digits = 0;
      } else {
        return err('unexpected character', text.slice(i));
      }
    }
    return pos < 3 ? err('IPv4 address too short') : null;
  };
  const first = /[.:%]/.exec(s)?.[0];
  if (first === '.') return ipv4(s) ?? 'ipv4';
  if (first === '%') return err('missing IPv6 address');
  if (first !== ':') return err('unable to parse IP');
  let rest = s;
  const zoneAt = rest.indexOf('%');
  let zone = '';
  if (zoneAt !== -1) {
    zone = rest.slice(zoneAt + 1);
    rest = rest.slice(0, zoneAt);
    if (zone === '') return err('zone must be a non-empty string');
  }
  let ellipsis = -1;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === '') return null;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < rest.length && isHex(rest[off]); off++) {
      acc = acc * 16 + Number.parseInt(rest[off]!, 16);
      if (off > 3) return err('each group must have 4 or less digits', rest);
      if (acc > 0xffff) return err('IPv6 field has value >=2^16', rest);
    }
    if (off === 0) return err('each colon-separated field must have at least one digit', rest);
    if (rest[off] === '.') {
      if (ellipsis < 0 && i !== 12) {
        return err('embedded IPv4 address must replace the final 2 fields of the address', rest);
      }
      if (i + 4 > 16) {
        return err('too many hex fields to fit an embedded IPv4 at the end of the address', rest);
      }
      const v4 = ipv4(rest);
      if (v4 !== null) return v4;
      rest = '';
      i += 4;
      break;
    }
    i += 2;
    rest = rest.slice(off);
    if (rest === '') break;
    if (rest[0] !== ':') return err('unexpected character, want colon', rest);
    if (rest.length === 1) return err('colon must be followed by more characters', rest);
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) return err('multiple :: in address', rest);
      ellipsis = i;
      rest = rest.slice(1);
      if (rest === '') break;
    }
  }
  if (rest !== '') return err('trailing garbage after address', rest);
  if (i < 16 && ellipsis < 0) return err('address string too short');
  if (i >= 16 && ellipsis >= 0) return err('the :: must expand to at least one field of zeros');
  return null;
}
