/**
 * Go's base64.StdEncoding.DecodeString: newlines are ignored, padding is
 * required, and an error names the byte offset in the input as given
 * (newlines included). Shared by b64dec and decryptAES.
 */
export type Base64Result =
  | {
      ok: true;
      bytes: Buffer /** DecodedLen(len(s)): a slice of the result may reach past its length. */;
      capacity: number;
    }
  | { ok: false; error: string };

export function goBase64Decode(s: string): Base64Result {
  const clean = s.replace(/[\r\n]/g, '');
  const original = (i: number): number => {
    let seen = -1;
    for (let j = 0; j < s.length; j++) {
      if (s[j] !== '\r' && s[j] !== '\n') seen++;
      if (seen === i) return Buffer.byteLength(s.slice(0, j), 'utf8');
    }
    return Buffer.byteLength(s, 'utf8');
  };
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  if (bad !== -1) return { ok: false, error: `illegal base64 data at input byte ${original(bad)}` };
  const pad = clean.indexOf('=');
  if (clean.length % 4 !== 0 || (pad !== -1 && (pad < clean.length - 2 || /[^=]/.test(clean.slice(pad))))) {
    const at = pad !== -1 ? pad : clean.length - (clean.length % 4);
    return { ok: false, error: `illegal base64 data at input byte ${original(at)}` };
  }
  return {
    ok: true,
    bytes: Buffer.from(clean, 'base64'),
    capacity: Math.floor(Buffer.byteLength(s, 'utf8') / 4) * 3,
  };
}
