/**
 * sprig's urlParse and urlJoin, on a port of Go 1.26's net/url (Parse, URL.String, Userinfo,
 * percent-encoding per URL part) and of net/netip's address check for "[...]" hosts, so both
 * accept, reject and print exactly what Go does, with Go's error texts. net/url works on bytes:
 * here text is held as "byte strings" (one character per UTF-8 byte) while it is parsed, and
 * decoded back at the end (a %-escape of a lone byte gives U+FFFD: the invalid-utf8 difference).
 */
import { FuncError, fn, type GoFunction } from './functions.ts';
import { ipLiteralError } from './netip.ts';
import { reflectKind } from './sprig-lists.ts';
import { quoteBytes } from './strconv.ts';
import { mapEntries, newMap, setKey } from './values.ts';

const toBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const fromBytes = (b: string): string => Buffer.from(b, 'latin1').toString('utf8');

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'fragment';

const ALNUM = /^[A-Za-z0-9]$/;

/** net/url's shouldEscape for one byte (a character code below 256). */
function shouldEscape(c: string, mode: Mode): boolean {
  if (ALNUM.test(c)) return false;
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    if (mode === 'path') return c === '?';
    if (mode === 'userPassword') return '@/?:'.includes(c);
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

class UrlError extends Error {}

/** net/url's unescape (no query mode is needed here: '+' stays '+'). */
function percentDecode(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new UrlError(`invalid URL escape ${quoteBytes(s.slice(i, i + 3))}`);
      }
      const v = Number.parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === 'host' && v >> 4 < 8 && s.slice(i, i + 3) !== '%25') {
        throw new UrlError(`invalid URL escape ${quoteBytes(s.slice(i, i + 3))}`);
      }
      if (mode === 'zone') {
        if (s.slice(i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(String.fromCharCode(v), 'host')) {
          throw new UrlError(`invalid URL escape ${quoteBytes(s.slice(i, i + 3))}`);
        }
      }
      i += 3;
    } else {
      if ((mode === 'host' || mode === 'zone') && s.charCodeAt(i) < 0x80 && shouldEscape(s[i]!, mode)) {
        throw new UrlError(`invalid character ${quoteBytes(s[i]!)} in host name`);
      }
      i++;
    }
  }
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

function percentEncode(s: string, mode: Mode): string {
  let out = '';
  for (const c of s) {
    out += shouldEscape(c, mode) ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c;
  }
  return out;
}

const validOptionalPort = (port: string): boolean => port === '' || /^:[0-9]*$/.test(port);

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new UrlError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quoteBytes(colonPort)} after host`);
    const port = percentDecode(colonPort, 'host');
    const hostname = host.slice(1, close);
    const zoneAt = hostname.indexOf('%25');
    const unescaped =
      zoneAt >= 0
        ? percentDecode(hostname.slice(0, zoneAt), 'host') + percentDecode(hostname.slice(zoneAt), 'zone')
        : percentDecode(hostname, 'host');
    const bad = ipLiteralError(unescaped);
    if (bad === 'ipv4') throw new UrlError('invalid IP-literal');
    if (bad !== null) throw new UrlError(`invalid host: ${bad}`);
    return `[${unescaped}]${port}`;
  }
  let i = host.indexOf(':');
  if (i !== -1) {
    // Go 1.26 (urlstrictcolons=1): http and https hosts may hold one colon only.
    if (host.lastIndexOf(':') !== i && scheme !== 'http' && scheme !== 'https') i = host.lastIndexOf(':');
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quoteBytes(colonPort)} after host`);
  }
  return percentDecode(host, 'host');
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

interface Url {
  scheme: string;
  opaque: string;
  user: { username: string; password: string | null } | null;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

/** url.Parse on a byte string; throws Go's *url.Error text. */
function parse(raw: string): Url {
  const hash = raw.indexOf('#');
  const u = hash === -1 ? raw : raw.slice(0, hash);
  const url: Url = { scheme: '', opaque: '', user: null, host: '', path: '', rawQuery: '', fragment: '' };
  try {
    parseWithoutFragment(u, url);
  } catch (e) {
    if (e instanceof UrlError) throw new UrlError(`parse ${quoteBytes(u)}: ${e.message}`);
    throw e;
  }
  if (hash !== -1) {
    try {
      url.fragment = percentDecode(raw.slice(hash + 1), 'fragment');
    } catch (e) {
      if (e instanceof UrlError) throw new UrlError(`parse ${quoteBytes(raw)}: ${e.message}`);
      throw e;
    }
  }
  return url;
}

function parseWithoutFragment(raw: string, url: Url): void {
  if ([...raw].some((c) => c < ' ' || c === '\x7f'))
    throw new UrlError('net/url: invalid control character in URL');
  if (raw === '*') {
    url.path = '*';
    return;
  }
  let rest = raw;
  const scheme = /^[A-Za-z][A-Za-z0-9+\-.]*:/.exec(raw);
  if (raw.startsWith(':')) throw new UrlError('missing protocol scheme');
  if (scheme !== null) {
    url.scheme = scheme[0].slice(0, -1).toLowerCase();
    rest = raw.slice(scheme[0].length);
  }
  const q = rest.indexOf('?');
  if (rest.endsWith('?') && q === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else if (q !== -1) {
    url.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return;
    }
    if (rest.split('/')[0]!.includes(':'))
      throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf('@');
    url.host = parseHost(url.scheme, at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      // validUserinfo walks runes: any non-ASCII character is invalid.
      if (!USERINFO.test(userinfo)) throw new UrlError('net/url: invalid userinfo');
      const colon = userinfo.indexOf(':');
      url.user =
        colon === -1
          ? { username: percentDecode(userinfo, 'userPassword'), password: null }
          : {
              username: percentDecode(userinfo.slice(0, colon), 'userPassword'),
              password: percentDecode(userinfo.slice(colon + 1), 'userPassword'),
            };
    }
  }
  url.path = percentDecode(rest, 'path');
}

function userString(user: Url['user']): string {
  if (user === null) return '';
  const name = percentEncode(user.username, 'userPassword');
  return user.password === null ? name : `${name}:${percentEncode(user.password, 'userPassword')}`;
}

/** url.URL.String for a URL built from parts (no raw path or fragment, host not omitted). */
function urlString(u: Url): string {
  let out = u.scheme !== '' ? `${u.scheme}:` : '';
  if (u.opaque !== '') {
    out += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== null) {
      if (u.host !== '' || u.path !== '' || u.user !== null) out += '//';
      if (u.user !== null) out += `${userString(u.user)}@`;
      if (u.host !== '') out += percentEncode(u.host, 'host');
    }
    const path = u.path === '*' ? '*' : percentEncode(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '' && path.split('/')[0]!.includes(':')) out += './';
    out += path;
  }
  if (u.rawQuery !== '') out += `?${u.rawQuery}`;
  if (u.fragment !== '') out += `#${percentEncode(u.fragment, 'fragment')}`;
  return out;
}

/** url.URL.Hostname: the host without a valid :port and without IPv6 brackets. */
function hostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

function urlParse(v: string): Record<string, unknown> {
  let u: Url;
  try {
    u = parse(toBytes(v));
  } catch (e) {
    if (e instanceof UrlError) throw new FuncError(`unable to parse url: ${fromBytes(e.message)}`);
    throw e;
  }
  const d = newMap();
  const parts: Array<[string, string]> = [
    ['scheme', u.scheme],
    ['host', u.host],
    ['hostname', hostname(u.host)],
    ['path', u.path],
    ['query', u.rawQuery],
    ['opaque', u.opaque],
    ['fragment', u.fragment],
    ['userinfo', userString(u.user)],
  ];
  for (const [k, s] of parts) setKey(d, k, fromBytes(s));
  return d;
}

/** sprig's dictGetOrEmpty: a string entry, "" when missing, a panic for any other type. */
function entry(d: object, key: string): string {
  const found = mapEntries(d).find(([k]) => k === key);
  if (found === undefined) return '';
  const v = found[1];
  if (v === null || v === undefined) {
    throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  }
  if (typeof v !== 'string') {
    throw new FuncError(`unable to parse ${key} key, must be of type string, but ${reflectKind(v)} found`);
  }
  return toBytes(v);
}

function urlJoin(d: unknown): string {
  const m = (d ?? newMap()) as object;
  const u: Url = {
    scheme: entry(m, 'scheme'),
    host: entry(m, 'host'),
    path: entry(m, 'path'),
    rawQuery: entry(m, 'query'),
    opaque: entry(m, 'opaque'),
    fragment: entry(m, 'fragment'),
    user: null,
  };
  const userinfo = entry(m, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parse(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof UrlError)
        throw new FuncError(`unable to parse userinfo in dict: ${fromBytes(e.message)}`);
      throw e;
    }
  }
  return fromBytes(urlString(u));
}

export const URL_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['urlParse', fn(['string'], (_, [s]) => urlParse(s as string))],
  ['urlJoin', fn(['map'], (_, [d]) => urlJoin(d))],
]);
