/**
 * A seeded generator of templates for the differential test: typed expressions over the whole
 * function set sdm implements (Go's builtins, sprig's, Helm's YAML pair), the data model of the
 * cluster registry, control structures, variables, pipelines and printf verbs, with some
 * arguments of the wrong type on purpose (the error paths must agree too). Same seed, same cases.
 */

import { MORE_SIGNATURES, MORE_VARIADIC, POOL_FALLBACK, RARE, SPECIAL_POOLS } from './generator-more.ts';

/** mulberry32: small, fast, good enough to spread cases; deterministic per seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Ty = 'str' | 'int' | 'float' | 'bool' | 'list' | 'map' | 'any';

/** Plain data for generic cases: JSON, so both sides see the same values (no integral floats). */
export const PLAIN_DATA = {
  s: 'Hello, World',
  name: 'kafka-broker-01',
  empty: '',
  uni: 'ǅungla ß İstanbul ÿ 😀',
  csv: 'a,b,,c',
  ver: 'v1.2.3-beta.1+build.5',
  json: '{"a":1,"b":[true,null,"x"],"c":{"d":2.5}}',
  yaml: 'a: 1\nb:\n  - x\n  - 2.5\nc: {d: yes}\n',
  n: 42,
  neg: -7,
  zero: 0,
  f: 2.5,
  t: true,
  nil: null,
  l: ['b', 'a', 'c'],
  nums: [3, 1, 2],
  mixed: [1, 'two', 2.5, true, null, { k: 'v' }],
  el: [],
  m: { b: 2, a: 'x', c: [1, 2], d: { e: 'f' } },
  em: {},
  labels: { app: 'kafka', tier: 'data' },
};

const STRINGS = [
  '',
  'a',
  'abc',
  'Hello World',
  'hello_world-foo bar',
  'ǅungla',
  'ß',
  'İstanbul',
  'ÿ',
  'ΑΒΓ αβγ',
  '😀x',
  'a,b,c',
  '  padded  ',
  'line1\nline2',
  'tab\there',
  'kafka',
  'KAFKA-01',
  '1.2.3',
  'v2.0.0-rc.1',
  '12',
  '-3',
  '2.5',
  '1e3',
  'x1y22z333',
  '<a href="x">&</a>',
  "it's",
  'a: 1',
  '{"k":[1,2]}',
  '[1,"a",null]',
  'true',
  '0o17',
  '~',
];

const PATTERNS = [
  '[a-z]+',
  '[a-z]{1,20}',
  '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
  '\\d+',
  '\\pL+',
  '\\p{Greek}+',
  '[[:^alpha:]]+',
  '[[:upper:]]',
  '(?i)hello',
  'a(?i)b',
  '(?U)a+',
  '(\\w+)@(\\w+)',
  '(?P<first>\\w)(?P<rest>\\w*)',
  'x*',
  '',
  '.',
  '^',
  '\\b',
  '(',
  'a{1001}',
  '\\Qa.b\\E',
  '[😀-😂]',
  'l+',
  ',',
];

/** Go regexp replacement templates ($1, ${name}, ...), not JavaScript ones. */
const REPLACEMENTS = ['-', '$' + '{1}', '$1x', '$' + '{first}!', '$$', '[$0]', '', '$name'];
const SEPARATORS = [',', '', ' ', 'a', '--'];
const VERBS = [
  '%v',
  '%s',
  '%d',
  '%q',
  '%x',
  '%X',
  '%5s',
  '%-5s|',
  '%05d',
  '%.2f',
  '%e',
  '%g',
  '%t',
  '%T',
  '%c',
  '%U',
  '%o',
  '%b',
  '%+d',
  '%8.3f',
  '%%',
  '%!',
  '%z',
  '%[2]v %[1]v',
  '%v %v',
  '%#v',
  '%x',
];

interface Fn {
  readonly name: string;
  readonly args: readonly Ty[];
  readonly ret: Ty;
}

const F = (name: string, args: Ty[], ret: Ty): Fn => ({ name, args, ret });

/** The function set sdm implements, with the Go parameter kinds used to build well-typed calls. */
export const FUNCTIONS: readonly Fn[] = [
  // strings
  F('upper', ['str'], 'str'),
  F('lower', ['str'], 'str'),
  F('title', ['str'], 'str'),
  F('trim', ['str'], 'str'),
  F('trunc', ['int', 'str'], 'str'),
  F('substr', ['int', 'int', 'str'], 'str'),
  F('repeat', ['int', 'str'], 'str'),
  F('trimAll', ['str', 'str'], 'str'),
  F('trimall', ['str', 'str'], 'str'),
  F('fail', ['str'], 'str'),
  F('trimSuffix', ['str', 'str'], 'str'),
  F('trimPrefix', ['str', 'str'], 'str'),
  F('nospace', ['str'], 'str'),
  F('contains', ['str', 'str'], 'bool'),
  F('hasPrefix', ['str', 'str'], 'bool'),
  F('hasSuffix', ['str', 'str'], 'bool'),
  F('quote', ['any'], 'str'),
  F('squote', ['any'], 'str'),
  F('cat', ['any', 'any'], 'str'),
  F('indent', ['int', 'str'], 'str'),
  F('nindent', ['int', 'str'], 'str'),
  F('replace', ['str', 'str', 'str'], 'str'),
  F('sha1sum', ['str'], 'str'),
  F('sha256sum', ['str'], 'str'),
  F('adler32sum', ['str'], 'str'),
  F('b64enc', ['str'], 'str'),
  F('b64dec', ['str'], 'str'),
  F('toString', ['any'], 'str'),
  F('html', ['any'], 'str'),
  F('js', ['any'], 'str'),
  F('urlquery', ['any'], 'str'),
  F('print', ['any', 'any'], 'str'),
  F('println', ['any'], 'str'),
  // regular expressions
  F('regexMatch', ['re', 'str'] as unknown as Ty[], 'bool'),
  F('mustRegexMatch', ['re', 'str'] as unknown as Ty[], 'bool'),
  F('regexFind', ['re', 'str'] as unknown as Ty[], 'str'),
  F('mustRegexFind', ['re', 'str'] as unknown as Ty[], 'str'),
  F('regexFindAll', ['re', 'str', 'int'] as unknown as Ty[], 'list'),
  F('mustRegexFindAll', ['re', 'str', 'int'] as unknown as Ty[], 'list'),
  F('regexReplaceAll', ['re', 'str', 'repl'] as unknown as Ty[], 'str'),
  F('mustRegexReplaceAll', ['re', 'str', 'repl'] as unknown as Ty[], 'str'),
  F('regexReplaceAllLiteral', ['re', 'str', 'repl'] as unknown as Ty[], 'str'),
  F('mustRegexReplaceAllLiteral', ['re', 'str', 'repl'] as unknown as Ty[], 'str'),
  F('regexSplit', ['re', 'str', 'int'] as unknown as Ty[], 'list'),
  F('mustRegexSplit', ['re', 'str', 'int'] as unknown as Ty[], 'list'),
  F('regexQuoteMeta', ['str'], 'str'),
  // numbers
  F('atoi', ['str'], 'int'),
  F('int', ['any'], 'int'),
  F('int64', ['any'], 'int'),
  F('float64', ['any'], 'float'),
  F('add', ['any', 'any'], 'int'),
  F('add1', ['any'], 'int'),
  F('sub', ['any', 'any'], 'int'),
  F('mul', ['any', 'any'], 'int'),
  F('div', ['any', 'any'], 'int'),
  F('mod', ['any', 'any'], 'int'),
  F('max', ['any', 'any'], 'int'),
  F('min', ['any', 'any'], 'int'),
  F('len', ['any'], 'int'),
  F('until', ['int'], 'list'),
  F('untilStep', ['int', 'int', 'int'], 'list'),
  F('seq', ['int', 'int'], 'str'),
  // logic
  F('eq', ['any', 'any'], 'bool'),
  F('ne', ['any', 'any'], 'bool'),
  F('lt', ['any', 'any'], 'bool'),
  F('le', ['any', 'any'], 'bool'),
  F('gt', ['any', 'any'], 'bool'),
  F('ge', ['any', 'any'], 'bool'),
  F('not', ['any'], 'bool'),
  F('and', ['any', 'any'], 'any'),
  F('or', ['any', 'any'], 'any'),
  F('empty', ['any'], 'bool'),
  F('default', ['any', 'any'], 'any'),
  F('coalesce', ['any', 'any'], 'any'),
  F('ternary', ['any', 'any', 'bool'], 'any'),
  F('semverCompare', ['semc', 'semv'] as unknown as Ty[], 'bool'),
  F('semver', ['semv'] as unknown as Ty[], 'any'),
  // lists and maps
  F('list', ['any', 'any'], 'list'),
  F('dict', ['str', 'any'], 'map'),
  F('get', ['map', 'str'], 'any'),
  // set's value is never a map or list: a map set into itself is a cycle, which kills Go's process.
  F('set', ['map', 'str', 'str'], 'map'),
  F('hasKey', ['map', 'str'], 'bool'),
  F('keys', ['map'], 'list'),
  F('pluck', ['str', 'map', 'map'], 'list'),
  F('merge', ['map', 'map'], 'map'),
  F('mergeOverwrite', ['map', 'map'], 'map'),
  F('mustMerge', ['map', 'map'], 'map'),
  F('mustMergeOverwrite', ['map', 'map'], 'map'),
  F('sortAlpha', ['list'], 'list'),
  F('first', ['list'], 'any'),
  F('mustFirst', ['list'], 'any'),
  F('last', ['list'], 'any'),
  F('mustLast', ['list'], 'any'),
  F('rest', ['list'], 'list'),
  F('mustRest', ['list'], 'list'),
  F('initial', ['list'], 'list'),
  F('mustInitial', ['list'], 'list'),
  F('append', ['list', 'any'], 'list'),
  F('mustAppend', ['list', 'any'], 'list'),
  F('push', ['list', 'any'], 'list'),
  F('mustPush', ['list', 'any'], 'list'),
  F('prepend', ['list', 'any'], 'list'),
  F('mustPrepend', ['list', 'any'], 'list'),
  F('reverse', ['list'], 'list'),
  F('mustReverse', ['list'], 'list'),
  F('compact', ['list'], 'list'),
  F('mustCompact', ['list'], 'list'),
  F('uniq', ['list'], 'list'),
  F('mustUniq', ['list'], 'list'),
  F('without', ['list', 'any'], 'list'),
  F('mustWithout', ['list', 'any'], 'list'),
  F('has', ['any', 'list'], 'bool'),
  F('mustHas', ['any', 'list'], 'bool'),
  F('concat', ['list', 'list'], 'list'),
  F('tuple', ['any', 'any'], 'list'),
  F('pick', ['map', 'str'], 'map'),
  F('omit', ['map', 'str'], 'map'),
  F('dig', ['str', 'any', 'map'], 'any'),
  F('deepEqual', ['any', 'any'], 'bool'),
  F('typeOf', ['any'], 'str'),
  F('typeIs', ['str', 'any'], 'bool'),
  F('kindOf', ['any'], 'str'),
  F('kindIs', ['str', 'any'], 'bool'),
  F('sha512sum', ['str'], 'str'),
  F('toPrettyJson', ['any'], 'str'),
  F('toRawJson', ['any'], 'str'),
  F('mustToJson', ['any'], 'str'),
  F('mustToPrettyJson', ['any'], 'str'),
  F('mustToRawJson', ['any'], 'str'),
  F('splitn', ['str', 'int', 'str'], 'map'),
  F('floor', ['any'], 'float'),
  F('ceil', ['any'], 'float'),
  F('b32enc', ['str'], 'str'),
  F('unset', ['map', 'str'], 'map'),
  F('join', ['str', 'list'], 'str'),
  F('split', ['str', 'str'], 'map'),
  F('splitList', ['str', 'str'], 'list'),
  F('slice', ['list', 'int', 'int'], 'list'),
  F('index', ['list', 'int'], 'any'),
  // encoding
  F('toJson', ['any'], 'str'),
  F('fromJson', ['str'], 'any'),
  F('toYaml', ['any'], 'str'),
  F('fromYaml', ['str'], 'map'),
  F('required', ['str', 'any'], 'any'),
  // paths, case, floats, text, collections, durations, crypto, URLs, mustFromJson
  ...MORE_SIGNATURES.map(([name, args, ret]) => F(name, args as Ty[], ret as Ty)),
];

const SEMVERS = [
  '1.2.3',
  'v1.2',
  '1.5.0-beta',
  '2.0.0',
  '0.4.1',
  '1.2.3+meta',
  'bad',
  '01.2.3',
  '1.2.3-01',
  '',
];
const CONSTRAINTS = [
  '^1.2.0',
  '~1.2.x',
  '>=1.2, <2',
  '1.2 - 1.4',
  '>1.0 || <0.5',
  '*',
  '!=1.2.3',
  '=1.2.3',
  '<=1.x',
  '>= 1.0.0-0',
  'garbage!',
  '',
];

export class Generator {
  readonly r: () => number;
  /** Registry model cases: dot is the registry data; plain: PLAIN_DATA. */
  registry = false;
  vars: string[] = [];

  constructor(seed: number) {
    this.r = rng(seed);
  }

  int(n: number): number {
    return Math.floor(this.r() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  strLit(): string {
    return JSON.stringify(this.pick(STRINGS));
  }

  /** An expression of type ty (usually; sometimes of another type on purpose). */
  expr(ty: Ty | string, depth: number): string {
    if (ty === 're') return JSON.stringify(this.pick(PATTERNS));
    if (ty === 'repl') return JSON.stringify(this.pick(REPLACEMENTS));
    if (ty === 'semv') return JSON.stringify(this.pick(SEMVERS));
    if (ty === 'semc') return JSON.stringify(this.pick(CONSTRAINTS));
    const pool = SPECIAL_POOLS[ty];
    if (pool !== undefined) {
      if (this.chance(0.75)) return this.pick(pool);
      ty = POOL_FALLBACK[ty] ?? 'str';
    }
    if (this.chance(0.06)) ty = this.pick(['str', 'int', 'float', 'bool', 'list', 'map'] as const);
    if (depth <= 0 || this.chance(0.4)) return this.leaf(ty as Ty);
    const candidates = FUNCTIONS.filter((f) => ty === 'any' || f.ret === ty || f.ret === 'any');
    let f = this.pick(candidates);
    while (RARE.has(f.name) && !this.chance(0.15)) f = this.pick(candidates);
    return this.call(f, depth - 1);
  }

  call(f: Fn, depth: number): string {
    const args = f.args.map((a) => this.arg(a, depth));
    // Variadic functions sometimes get more or fewer arguments.
    if (
      ['list', 'print', 'cat', 'add', 'max', 'min', 'mul', 'coalesce', 'dict', ...MORE_VARIADIC].includes(
        f.name,
      ) &&
      this.chance(0.3)
    ) {
      args.push(this.arg('any', depth));
      if (f.name === 'dict') args.push(this.arg('any', depth));
    }
    if (f.name === 'seq' && this.chance(0.5)) args.push(this.arg('int', depth));
    if (this.chance(0.03)) args.pop(); // wrong argument count
    const call = `${f.name} ${args.join(' ')}`.trimEnd();
    // Go's map order is random, so keys and values are only comparable sorted.
    return f.name === 'keys' || f.name === 'values' ? `sortAlpha (${call})` : call;
  }

  arg(ty: Ty | string, depth: number): string {
    const e = this.expr(ty, depth);
    return /^[a-zA-Z]/.test(e) && e.includes(' ') ? `(${e})` : e;
  }

  leaf(ty: Ty): string {
    if (this.vars.length > 0 && this.chance(0.1)) return this.pick(this.vars);
    if (this.registry && this.chance(0.5)) return this.registryLeaf(ty);
    switch (ty) {
      case 'str':
        return this.chance(0.5)
          ? this.strLit()
          : this.pick([
              '.s',
              '.name',
              '.empty',
              '.uni',
              '.csv',
              '.ver',
              '.json',
              '.yaml',
              '.missing',
              '.m.a',
            ]);
      case 'int':
        return this.pick([
          '0',
          '1',
          '2',
          '3',
          '4',
          '-1',
          '-3',
          '10',
          '20',
          '100',
          '.n',
          '.neg',
          '.zero',
          "'a'",
          '0x1F',
          '1_000',
        ]);
      case 'float':
        return this.pick(['2.5', '-0.5', '1e3', '3.0', '.f', '1e-7', '0.1']);
      case 'bool':
        return this.pick(['true', 'false', '.t', '.nil']);
      case 'list':
        return this.pick([
          '.l',
          '.nums',
          '.mixed',
          '.el',
          '(list 1 "a" 2.5)',
          '(list)',
          '(splitList "," .csv)',
        ]);
      case 'map':
        return this.pick([
          '.m',
          '.em',
          '.labels',
          '(dict "a" 1 "b" (list 1 2))',
          '(dict)',
          '.m.d',
          '.missing',
        ]);
      default:
        return this.leaf(this.pick(['str', 'int', 'float', 'bool', 'list', 'map'] as const));
    }
  }

  registryLeaf(ty: Ty): string {
    switch (ty) {
      case 'str':
        return this.pick([
          '.Object.GetName',
          '.Object.GetNamespace',
          '.Object.GetKind',
          '.Object.GetAPIVersion',
          '.Cluster.GetName',
          '.Cluster.Name',
          '.Cluster.Namespace',
          '.LocalCluster.GetName',
          '.Cluster.Spec.AuthInfo.SecretRef.Name',
          '.Cluster.Status.Message',
          '(index .Cluster.Spec.KubernetesAPIEndpoints 0).ServerAddress',
          '.Object.Object.metadata.name',
          '.Object.Object.data.a',
          '(index .Object.GetLabels "app")',
          '.Object.GetLabels.app',
          '.Cluster.Labels.region',
        ]);
      case 'map':
        return this.pick(['.Object.Object', '.Object.Object.metadata', '.Object.Object.data']);
      case 'list':
        return this.pick(['.Cluster.Spec.KubernetesAPIEndpoints', '(sortAlpha (keys .Object.Object))']);
      default:
        return this.registryLeaf(this.pick(['str', 'map', 'list'] as const));
    }
  }

  /** A whole template. */
  template(): string {
    for (;;) {
      this.vars = [];
      const parts: string[] = [];
      const n = 1 + this.int(3);
      for (let i = 0; i < n; i++) parts.push(this.action());
      const t = parts.join(this.pick([' ', '|', '\n', '']));
      // A merge can make the data cyclic (a map merged into its own parent), and Go's deepCopy
      // (copystructure) walks a cycle forever: never both in one template.
      if (!(/merge/i.test(t) && /deepCopy/i.test(t))) return t;
    }
  }

  action(): string {
    const depth = 1 + this.int(3);
    switch (this.int(10)) {
      case 0:
        return `{{ if ${this.expr('bool', depth)} }}yes{{ else }}no{{ end }}`;
      case 1: {
        const v = `$v${this.vars.length}`;
        const body = this.chance(0.5) ? `{{ $i }}={{ ${v} }};` : `{{ ${v} | toString | upper }},`;
        return `{{ range $i, ${v} := ${this.expr(this.pick(['list', 'map'] as const), depth)} }}${body}{{ else }}none{{ end }}`;
      }
      case 2:
        return `{{ with ${this.expr('any', depth)} }}[{{ . }}]{{ else }}empty{{ end }}`;
      case 3: {
        const v = `$x${this.vars.length}`;
        const decl = `{{ ${v} := ${this.expr('any', depth)} }}`;
        this.vars.push(v);
        return `${decl}{{ ${v} }}`;
      }
      case 4: {
        const verbs = this.pick(VERBS);
        const count = (verbs.match(/%[^%]/g) ?? []).length;
        const args = Array.from({ length: count }, () => this.arg('any', depth - 1));
        return `{{ printf "${verbs}" ${args.join(' ')} }}`;
      }
      case 5: {
        const f = this.pick(
          FUNCTIONS.filter((x) => x.args.length >= 1 && ['str', 'any'].includes(x.args.at(-1)!)),
        );
        const head = f.args.slice(0, -1).map((a) => this.arg(a, depth - 1));
        return `{{ ${this.expr('str', depth)} | ${[f.name, ...head].join(' ')} }}`;
      }
      default:
        return `{{ ${this.expr('any', depth)} }}`;
    }
  }
}

/** Separator and replacement pools are exported for the documented-difference probes. */
export const POOLS = { STRINGS, PATTERNS, REPLACEMENTS, SEPARATORS, SEMVERS, CONSTRAINTS };
