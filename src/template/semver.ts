/**
 * sprig's semver and semverCompare, with the rules of github.com/Masterminds/semver/v3 (v3.5,
 * the version sprig v3.3 resolves to): NewVersion coerces ("v1", "1.2" are 1.0.0, 1.2.0),
 * prerelease and metadata are validated, and constraints support = != > < >= <= ~ ~> ^, x/X/*
 * wildcards, "a - b" ranges, AND by space or comma, OR by ||, and a prerelease version only
 * satisfies a constraint group that names a prerelease itself.
 *
 * The patterns are Go regular expressions and run on Go's engine (regexp.ts), so they match
 * exactly what semver's do.
 */
import type { RE2JS } from 're2js';
import { FuncError } from './functions.ts';
import { compileRegex, findAllIndex } from './regexp.ts';
import { quote } from './strconv.ts';

const MAX_VERSION_LEN = 256;
const MAX_CONSTRAINT_LEN = 512;
const MAX_CONSTRAINT_GROUPS = 32;
const UINT64_MAX = 2n ** 64n - 1n;

const LOOSE = String.raw`v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;

const re = {
  loose: (): RE2JS => compileRegex(`^${LOOSE}$`),
  constraint: (): RE2JS => compileRegex(String.raw`^\s*(${OPS})\s*(${CV})\s*$`),
  range: (): RE2JS => compileRegex(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`),
  find: (): RE2JS => compileRegex(String.raw`(${OPS})\s*(${CV})`),
  valid: (): RE2JS =>
    compileRegex(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`),
};

/** Submatches of a whole-pattern match, "" for groups that did not take part (Go's FindStringSubmatch). */
function submatch(r: RE2JS, s: string): string[] | null {
  const m = r.matcher(s);
  if (!m.find()) return null;
  const out: string[] = [];
  for (let i = 0; i <= m.groupCount(); i++) out.push(m.group(i) ?? '');
  return out;
}

const ALLOWED = /^[0-9A-Za-z-]*$/;
const NUM = /^[0-9]*$/;

/** A parsed version: what `semver` returns. Its methods are what templates can call. */
export class SemVersion {
  readonly #major: bigint;
  readonly #minor: bigint;
  readonly #patch: bigint;
  readonly #pre: string;
  readonly #metadata: string;
  readonly #original: string;

  constructor(major: bigint, minor: bigint, patch: bigint, pre: string, metadata: string, original: string) {
    this.#major = major;
    this.#minor = minor;
    this.#patch = patch;
    this.#pre = pre;
    this.#metadata = metadata;
    this.#original = original;
  }

  Major(): number | bigint {
    return uint(this.#major);
  }
  Minor(): number | bigint {
    return uint(this.#minor);
  }
  Patch(): number | bigint {
    return uint(this.#patch);
  }
  Prerelease(): string {
    return this.#pre;
  }
  Metadata(): string {
    return this.#metadata;
  }
  Original(): string {
    return this.#original;
  }
  String(): string {
    let s = `${this.#major}.${this.#minor}.${this.#patch}`;
    if (this.#pre !== '') s += `-${this.#pre}`;
    if (this.#metadata !== '') s += `+${this.#metadata}`;
    return s;
  }

  /** Version.Compare: numbers, then prerelease (a release sorts after its prereleases). */
  compare(o: SemVersion): number {
    for (const [a, b] of [
      [this.#major, o.#major],
      [this.#minor, o.#minor],
      [this.#patch, o.#patch],
    ] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.#pre === '' && o.#pre === '') return 0;
    if (this.#pre === '') return 1;
    if (o.#pre === '') return -1;
    return comparePrerelease(this.#pre, o.#pre);
  }

  get major(): bigint {
    return this.#major;
  }
  get minor(): bigint {
    return this.#minor;
  }
  get patch(): bigint {
    return this.#patch;
  }
  get pre(): string {
    return this.#pre;
  }
}

/** uint64 results: numbers when exact. */
function uint(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseUint(s: string): bigint {
  const v = BigInt(s);
  if (v > UINT64_MAX) {
    throw new FuncError(
      `error parsing version segment: strconv.ParseUint: parsing ${quote(s)}: value out of range`,
    );
  }
  return v;
}

function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (part === '') throw new FuncError('invalid prerelease string');
    if (NUM.test(part)) {
      if (part.length > 1 && part[0] === '0') throw new FuncError('version segment starts with 0');
    } else if (!ALLOWED.test(part)) {
      throw new FuncError('invalid prerelease string');
    }
  }
}

function validateMetadata(m: string): void {
  for (const part of m.split('.')) {
    if (part === '' || !ALLOWED.test(part)) throw new FuncError('invalid metadata string');
  }
}

/** semver.NewVersion with coercion on (the library default). */
export function newVersion(v: string): SemVersion {
  if (Buffer.byteLength(v, 'utf8') > MAX_VERSION_LEN) {
    throw new FuncError(`version string is too long (max ${MAX_VERSION_LEN} bytes)`);
  }
  const m = submatch(re.loose(), v);
  if (m === null) throw new FuncError('invalid semantic version');
  const major = parseUint(m[1]!);
  const minor = m[2] !== '' ? parseUint(m[2]!.slice(1)) : 0n;
  const patch = m[3] !== '' ? parseUint(m[3]!.slice(1)) : 0n;
  const pre = m[5]!;
  const metadata = m[8]!;
  if (pre !== '') validatePrerelease(pre);
  if (metadata !== '') validateMetadata(metadata);
  return new SemVersion(major, minor, patch, pre, metadata, v);
}

function comparePrerelease(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = comparePrePart(as[i] ?? '', bs[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function asUint(s: string): bigint | null {
  if (!/^[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v > UINT64_MAX ? null : v;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const oi = asUint(o);
  const si = asUint(s);
  if (oi === null && si === null) return s > o ? 1 : -1;
  if (oi === null) return -1;
  if (si === null) return 1;
  return si > oi ? 1 : -1;
}

interface Constraint {
  con: SemVersion;
  op: string;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (x: string): boolean => x === 'x' || x === '*' || x === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) {
    return {
      con: new SemVersion(0n, 0n, 0n, '', '', '0.0.0'),
      op: '',
      dirty: true,
      minorDirty: false,
      patchDirty: false,
    };
  }
  const m = submatch(re.constraint(), c);
  if (m === null) throw new FuncError(`improper constraint: ${quote(c)}`);
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(m[3]!) || m[3] === '') {
    ver = `0.0.0${m[6]}`;
    dirty = true;
  } else if (isX(m[4]!.replace(/^\./, '')) || m[4] === '') {
    minorDirty = true;
    dirty = true;
    ver = `${m[3]}.0.0${m[6]}`;
  } else if (isX(m[5]!.replace(/^\./, '')) || m[5] === '') {
    dirty = true;
    patchDirty = true;
    ver = `${m[3]}${m[4]}.0${m[6]}`;
  }
  let con: SemVersion;
  try {
    con = newVersion(ver);
  } catch {
    throw new FuncError('constraint parser error');
  }
  return { con, op: m[1]!, dirty, minorDirty, patchDirty };
}

function tilde(v: SemVersion, c: Constraint): boolean {
  if (v.compare(c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty)
    return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: SemVersion, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const con = c.con;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : v.compare(con) === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || con.pre !== '') return comparePrerelease(v.pre, con.pre) !== 0;
          return false;
        }
      }
      return v.compare(con) !== 0;
    case '>':
      if (!c.dirty) return v.compare(con) === 1;
      if (v.major > con.major) return true;
      if (v.major < con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return v.compare(con) === 1;
    case '<':
      return v.compare(con) < 0;
    case '>=':
    case '=>':
      return v.compare(con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return v.compare(con) <= 0;
      if (v.major > con.major) return false;
      if (v.major === con.major && v.minor > con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      if (v.compare(con) < 0) return false;
      if (con.major > 0n || c.minorDirty) return v.major === con.major;
      if (con.major === 0n && v.major > 0n) return false;
      if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
      if (con.minor === 0n && v.minor > 0n) return false;
      return con.patch === v.patch;
  }
  return false;
}

/** rewriteRange: "a - b" becomes ">= a, <= b ". */
function rewriteRange(s: string): string {
  const r = re.range();
  const matches = findAllIndex(r, s, -1);
  let out = s;
  for (const [a, b] of matches) {
    const whole = s.slice(a, b);
    const m = submatch(r, whole)!;
    out = out.replace(whole, `>= ${m[1]}, <= ${m[11]} `);
  }
  return out;
}

/** semverCompare: does `version` satisfy `constraint`? Errors are the library's. */
export function semverCompare(constraint: string, version: string): boolean {
  if (Buffer.byteLength(constraint, 'utf8') > MAX_CONSTRAINT_LEN) {
    throw new FuncError(`constraint string is too long (max ${MAX_CONSTRAINT_LEN} bytes)`);
  }
  const ors = rewriteRange(constraint).split('||');
  if (ors.length > MAX_CONSTRAINT_GROUPS) {
    throw new FuncError(`too many constraint groups (max ${MAX_CONSTRAINT_GROUPS})`);
  }
  const groups = ors.map((or) => {
    if (!re.valid().matcher(or).find()) throw new FuncError(`improper constraint: ${quote(or)}`);
    const found = findAllIndex(re.find(), or, -1).map(([a, b]) => or.slice(a, b));
    const parts = (found.length === 0 ? [or] : found).map(parseConstraint);
    return { parts, hasPre: parts.some((p) => p.con.pre !== '') };
  });
  const v = newVersion(version);
  return groups.some((g) => g.parts.every((p) => check(v, p, g.hasPre)));
}
