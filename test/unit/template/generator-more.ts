/**
 * The generator's share for sprig's path, case, float, text, collection, duration, crypto, URL
 * and mustFromJson functions: their signatures, and pools of arguments a user would write
 * (paths, identifiers to re-case, URLs, durations, JSON, AES ciphertexts made here by sprig's
 * encryptAES recipe) mixed with unicode, empty, negative and wrong-typed ones. A pool entry is
 * template text; the generator also feeds these parameters ordinary expressions of the kind.
 */
import { createCipheriv } from 'node:crypto';

/** sprig's encryptAES with a fixed IV (sprig's is random): base64(iv + AES-256-CBC(PKCS#7(text))). */
function encryptAES(password: string, text: string, ivByte: number): string {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  const iv = Buffer.alloc(16, ivByte);
  const cipher = createCipheriv('aes-256-cbc', key, iv); // PKCS#7 padding, as sprig pads
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
}

const q = (xs: readonly string[]): string[] => xs.map((x) => JSON.stringify(x));
const LONG_KEY = 'a-password-longer-than-thirty-two-bytes!';

/** Argument pools by parameter kind (template text). */
export const SPECIAL_POOLS: Readonly<Record<string, readonly string[]>> = {
  path: q([
    '/a/b/c.txt',
    'a/../../b/./c//',
    '',
    '/',
    '///',
    '.',
    '..',
    'x.tar.gz',
    'dir/',
    '/ü/é.txt',
    'C:\\x\\y.z',
    'a/b.c/d',
    '../../x/../..',
    '.hidden',
  ]),
  word: q([
    'HTTPServer',
    'NoHTTPS',
    'HTTP20xOK',
    'Bld4Floor3rd',
    'Duration2m3s',
    'some_words',
    '_complex__case_',
    'GO PATH',
    'GOLANG_IS_GREAT',
    'ǅungla ß İstanbul ÿ',
    'Hello World',
    'x1y22z333',
    '  lead',
    '-',
    '日本語テキストABC',
    'ÉTÉ été',
    'a\u00a0b\u2003c',
    'kafka-broker-01',
    'hello.world:8080',
    '',
  ]),
  url: q([
    'https://user:p%40ss@example.com:8443/a%20b/c?x=1&y=2#frag%20x',
    'mailto:someone@example.com',
    '/relative/path?q',
    'a:b',
    '1:b',
    ':x',
    'http://[::1]:80/x',
    'http://[fe80::1%25en0]/',
    'http://[1.2.3.4]/',
    'http://[::g]/',
    'http://a:b:c/',
    'ftp://a:b:80/',
    'http://h:x/',
    'http://%41/',
    'http://ü.example/ä?ö#ü',
    'http://us er@h/',
    'x%a',
    '',
    '*',
    '//host/p',
    'HTTP://H/',
    'kafka://broker-0.kafka:9092,broker-1.kafka:9092',
  ]),
  urlmap: [
    '(urlParse "https://u:p@example.com:8443/a b?x=1#f")',
    '(dict "scheme" "https" "host" "example.com" "path" "/a b?" "query" "x=1" "fragment" "f g!")',
    '(dict "path" "a:b")',
    '(dict "host" 1)',
    '(dict "userinfo" "a b")',
    '(dict "userinfo" "u:p@x" "host" "h")',
    '(dict "scheme" "mailto" "opaque" "x@y")',
    '(dict "host" "ü" "path" "é")',
    '(dict)',
  ],
  dur: [
    ...q([
      '1h2m3.5s',
      '-3.5s',
      '1.5µs',
      '90',
      '0',
      '',
      'x',
      '9999999999h',
      '300ms',
      '2h45m',
      '-1',
      '1e3',
      '.5h',
    ]),
    '(int64 3700)',
    '(int64 -90061)',
    '(add 1 2)',
    '(mul 86400 400)',
    '(int64 99999999999999)',
  ],
  json: q([
    '{"a":1,"b":[true,null,"x"],"c":{"d":2.5}}',
    '',
    'x',
    '{"a" 1}',
    '[1,2',
    '[1,2,]',
    '1.',
    'tru',
    '"a\\x"',
    '1 2',
    'é',
    "'a'",
    '{1:2}',
    '1e400',
    '[]',
    'null',
    '01',
    '-',
  ]),
  aes: [
    ...q([
      encryptAES('secret', 'hello', 1),
      encryptAES('secret', 'ǅungla ß 😀', 2),
      encryptAES('secret', '', 3),
      encryptAES(LONG_KEY, 'sixteen bytes!!!', 4),
      encryptAES('other', 'hello', 5),
      '',
      'aGVsbG8=',
      '!!',
      Buffer.alloc(16, 7).toString('base64'),
      Buffer.alloc(20, 7).toString('base64'),
    ]),
  ],
  aeskey: q(['secret', LONG_KEY, 'k', '']),
  pwt: q(['long', 'maximum', 'medium', 'short', 'basic', 'pin', 'x', '']),
  ctr: ['1', '0', '7', '4294967295', '4294967297', '-1', '.n', '(add 1 2)'],
  b32: q([
    'NBSWY3DP',
    'MZXW6===',
    'MZXW6YQ=',
    'xx',
    '',
    'NBSWY3D=',
    'MY======',
    'MY=====',
    'M=======',
    'MZXW6YTB\nOI======',
    '========',
    'MZXW6YTBOI======MZXW6===',
  ]),
  tyname: q([
    'string',
    'int',
    'int64',
    'float64',
    '[]interface {}',
    'map[string]interface {}',
    'bool',
    '[]string',
    'semver.Version',
    '<nil>',
  ]),
};

/** What a pool parameter falls back to when the generator wants an ordinary expression. */
export const POOL_FALLBACK: Readonly<Record<string, string>> = {
  ctr: 'int',
  urlmap: 'map',
  dur: 'any',
};

/** [name, parameter kinds, result kind] of the functions this file covers. */
export const MORE_SIGNATURES: ReadonlyArray<readonly [string, readonly string[], string]> = [
  ...['base', 'dir', 'clean', 'ext', 'osBase', 'osDir', 'osClean', 'osExt'].map(
    (n) => [n, ['path'], 'str'] as const,
  ),
  ['isAbs', ['path'], 'bool'],
  ['osIsAbs', ['path'], 'bool'],
  ...['camelcase', 'snakecase', 'kebabcase', 'swapcase', 'untitle', 'initials'].map(
    (n) => [n, ['word'], 'str'] as const,
  ),
  ['addf', ['any', 'any'], 'float'],
  ['add1f', ['any'], 'float'],
  ['subf', ['any', 'any'], 'float'],
  ['mulf', ['any', 'any'], 'float'],
  ['divf', ['any', 'any'], 'float'],
  ['maxf', ['any', 'any'], 'float'],
  ['minf', ['any', 'any'], 'float'],
  ['round', ['any', 'int'], 'float'],
  ['biggest', ['any', 'any'], 'int'],
  ['toDecimal', ['any'], 'int'],
  ['abbrev', ['int', 'str'], 'str'],
  ['abbrevboth', ['int', 'int', 'str'], 'str'],
  ['wrap', ['int', 'str'], 'str'],
  ['wrapWith', ['int', 'str', 'str'], 'str'],
  ['plural', ['str', 'str', 'int'], 'str'],
  ['hello', [], 'str'],
  ['b32dec', ['b32'], 'str'],
  ['all', ['any', 'any'], 'bool'],
  ['any', ['any', 'any'], 'bool'],
  ['chunk', ['int', 'list'], 'list'],
  ['mustChunk', ['int', 'list'], 'list'],
  ['mustSlice', ['list', 'int', 'int'], 'list'],
  ['values', ['map'], 'list'],
  ['deepCopy', ['any'], 'any'],
  ['mustDeepCopy', ['any'], 'any'],
  ['toStrings', ['any'], 'list'],
  ['typeIsLike', ['tyname', 'any'], 'bool'],
  ['duration', ['dur'], 'str'],
  ['durationRound', ['dur'], 'str'],
  ['derivePassword', ['ctr', 'pwt', 'str', 'str', 'str'], 'str'],
  ['decryptAES', ['aeskey', 'aes'], 'str'],
  ['urlParse', ['url'], 'map'],
  ['urlJoin', ['urlmap'], 'str'],
  ['mustFromJson', ['json'], 'any'],
];

/** Variadic functions here that sometimes get an extra argument (round: its threshold). */
export const MORE_VARIADIC = [
  'addf',
  'subf',
  'mulf',
  'divf',
  'maxf',
  'minf',
  'biggest',
  'all',
  'any',
  'round',
];

/** derivePassword runs scrypt (32 MiB, ~0.1 s) on both sides: generated less often. */
export const RARE = new Set(['derivePassword']);
