// The API server's `Warning` response headers (RFC 7234 section 5.5), read by
// the rules client-go follows (apimachinery's ParseWarningHeaders): each
// header value holds one or more comma-separated
//   warn-code SP warn-agent SP warn-text [SP warn-date]
// with a 3-digit code and the text a quoted-string (backslash escapes). A
// malformed value ends the parsing of that header value; what came before it
// is kept. Only code 299 ("miscellaneous persistent warning") with a
// non-empty text is what the server means for the user, as client-go's
// default handler shows only those.

export interface WarningHeader {
  code: number;
  agent: string;
  text: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const controlChars = /[\u0000-\u001f\u007f-\u009f]/;

/** One quoted-string at the start of s: its text and what follows it, or undefined if malformed. */
function quoted(s: string): { text: string; rest: string } | undefined {
  if (!s.startsWith('"')) return undefined;
  let text = '';
  let escaping = false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (escaping) {
      text += c;
      escaping = false;
    } else if (c === '\\') escaping = true;
    else if (c === '"') return { text, rest: s.slice(i + 1).trim() };
    else text += c;
  }
  return undefined;
}

/** The first warning-value of a header value and the rest after its comma, or undefined if malformed. */
function parseOne(value: string): { warning: WarningHeader; rest: string } | undefined {
  const s = value.trim();
  const first = s.indexOf(' ');
  const second = first < 0 ? -1 : s.indexOf(' ', first + 1);
  if (second < 0) return undefined;
  const code = s.slice(0, first);
  const agent = s.slice(first + 1, second);
  if (!/^[0-9]{3}$/.test(code) || agent === '' || controlChars.test(agent)) return undefined;
  const q = quoted(s.slice(second + 1));
  if (!q || controlChars.test(q.text)) return undefined;
  let rest = q.rest;
  if (rest.startsWith('"')) {
    // warn-date: skipped.
    const end = rest.indexOf('"', 1);
    if (end < 0) return undefined;
    rest = rest.slice(end + 1).trim();
  }
  if (rest !== '') {
    if (!rest.startsWith(',')) return undefined;
    rest = rest.slice(1).trim();
  }
  return { warning: { code: Number(code), agent, text: q.text }, rest };
}

/** Every well-formed warning in these header values (one header line each, or comma-joined). Pure. */
export function parseWarningHeaders(values: readonly string[] | string | undefined): WarningHeader[] {
  const out: WarningHeader[] = [];
  for (const value of typeof values === 'string' ? [values] : (values ?? [])) {
    let rest = value;
    while (rest.trim() !== '') {
      const one = parseOne(rest);
      if (!one) break;
      out.push(one.warning);
      rest = one.rest;
    }
  }
  return out;
}

/** The texts the user should see: code 299, non-empty. Pure. */
export function userWarnings(values: readonly string[] | string | undefined): string[] {
  return parseWarningHeaders(values)
    .filter((w) => w.code === 299 && w.text !== '')
    .map((w) => w.text);
}

/**
 * A transport-wide onWarning that logs each distinct warning text once, as
 * controller-runtime's default warning logger does: a deprecated API warns on
 * every request, and a log line per request would drown the rest. Remembers at
 * most `limit` texts (then forgets them all and starts again).
 */
export function logWarningsOnce(
  log: { warn(obj: object, msg: string): void },
  limit = 1000,
): (text: string, req: { method: string; path: string }) => void {
  const seen = new Set<string>();
  return (text, req) => {
    if (seen.has(text)) return;
    if (seen.size >= limit) seen.clear();
    seen.add(text);
    log.warn({ warning: text, method: req.method, path: req.path }, 'API server warning');
  };
}
