/**
 * sprig's two deterministic crypto functions. derivePassword is the Master Password algorithm
 * (scrypt N=32768 r=8 p=2 of the master password, salted with the user name; HMAC-SHA256 of the
 * site and counter picks a template and its characters). decryptAES undoes sprig's encryptAES:
 * AES-256-CBC with the password's bytes as key (zero-padded or cut to 32), the IV in the first
 * block, and the last byte taken as the padding length without checking it, as sprig does; its
 * failures are Go's panics and errors, word for word.
 */

import { createDecipheriv, createHmac, scryptSync } from 'node:crypto';
import { goBase64Decode } from './base64.ts';
import { FuncError, fn, type GoFunction } from './functions.ts';

const SEED = 'com.lyndir.masterpassword';

/** What one derivePassword costs in evaluation steps: a quarter of the default budget (100,000). */
export const DERIVE_PASSWORD_STEPS = 25_000;

const TEMPLATES: ReadonlyMap<string, readonly string[]> = new Map([
  ['maximum', ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno']],
  [
    'long',
    (
      'CvcvnoCvcvCvcv CvcvCvcvnoCvcv CvcvCvcvCvcvno CvccnoCvcvCvcv CvccCvcvnoCvcv CvccCvcvCvcvno ' +
      'CvcvnoCvccCvcv CvcvCvccnoCvcv CvcvCvccCvcvno CvcvnoCvcvCvcc CvcvCvcvnoCvcc CvcvCvcvCvccno ' +
      'CvccnoCvccCvcv CvccCvccnoCvcv CvccCvccCvcvno CvcvnoCvccCvcc CvcvCvccnoCvcc CvcvCvccCvccno ' +
      'CvccnoCvcvCvcc CvccCvcvnoCvcc CvccCvcvCvccno'
    ).split(' '),
  ],
  ['medium', ['CvcnoCvc', 'CvcCvcno']],
  ['short', ['Cvcn']],
  ['basic', ['aaanaaan', 'aannaaan', 'aaannaaa']],
  ['pin', ['nnnn']],
]);

const CHARACTERS: Readonly<Record<string, string>> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function uint32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES.get(type);
  if (templates === undefined) return `cannot find password template ${type}`;
  const userBytes = Buffer.from(user, 'utf8');
  const salt = Buffer.concat([Buffer.from(SEED), uint32be(userBytes.length), userBytes]);
  // scrypt needs 128·N·r = 32 MiB: exactly node's default cap, so allow a little more.
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 << 20 });
  const siteBytes = Buffer.from(site, 'utf8');
  const seed = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(SEED), uint32be(siteBytes.length), siteBytes, uint32be(counter)]))
    .digest();
  const template = templates[seed[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const chars = CHARACTERS[template[i]!]!;
    out += chars[seed[i + 1]! % chars.length];
  }
  return out;
}

const BLOCK = 16;

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  const decoded = goBase64Decode(crypt64);
  if (!decoded.ok) throw new FuncError(decoded.error);
  const { bytes, capacity } = decoded;
  if (bytes.length < BLOCK) {
    if (capacity < BLOCK) {
      throw new FuncError(`runtime error: slice bounds out of range [:${BLOCK}] with capacity ${capacity}`);
    }
    throw new FuncError(`runtime error: slice bounds out of range [${BLOCK}:${bytes.length}]`);
  }
  const iv = bytes.subarray(0, BLOCK);
  const crypt = bytes.subarray(BLOCK);
  if (crypt.length % BLOCK !== 0) throw new FuncError('crypto/cipher: input not full blocks');
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const decrypted = Buffer.concat([decipher.update(crypt), decipher.final()]);
  if (decrypted.length === 0) throw new FuncError('runtime error: index out of range [-1]');
  const end = decrypted.length - decrypted[decrypted.length - 1]!;
  if (end < 0) throw new FuncError(`runtime error: slice bounds out of range [:${end}]`);
  return decrypted.subarray(0, end).toString('utf8');
}

export const CRYPTO_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  [
    'derivePassword',
    fn(['uint32', 'string', 'string', 'string', 'string'], (ctx, [c, t, p, u, s]) => {
      // scrypt takes 32 MiB and about 0.1 s of CPU: a render can afford only a few.
      ctx.charge(DERIVE_PASSWORD_STEPS);
      return derivePassword(c as number, t as string, p as string, u as string, s as string);
    }),
  ],
  ['decryptAES', fn(['string', 'string'], (_, [p, c]) => decryptAES(p as string, c as string))],
]);
