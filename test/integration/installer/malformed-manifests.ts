// Generator of malformed ApplicationManifests for the property test beside it
// (issue 13): the seed manifests of seeds 000, 001 and 003, each mutated one
// to three times — wrong types at every level, unknown fields, missing
// required fields, numbers JavaScript or the target field cannot hold, invalid
// YAML and YAML of the wrong shape in valuesOverride, bad namespaces, unknown
// component names. Deterministic for a seed (fast-check's sample).
import fc from 'fast-check';
import type { ApplicationManifest } from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { seed } from './support.ts';

export const SEED_FILES = [
  '000-06-applicationmanifest-sdm-applicationmanifest.yaml',
  '000-10-applicationmanifest-applicationmanifest-sample.yaml',
  '001-01-applicationmanifest-applicationmanifest-install.yaml',
  '003-01-applicationmanifest-applicationmanifest.yaml',
] as const;

/**
 * What a valuesOverride text asks of replicaCount (every stand-in chart
 * renders `replicas: {{ .Values.replicaCount }}`): `exact` is the number the
 * Deployment must carry if the component is not Failed; without it the
 * component must be Failed.
 */
export interface ReplicaIntent {
  text: string;
  exact?: number;
}

/** A valuesOverride whose component must be Failed whenever it is enabled. */
export interface MustFail {
  text: string;
  why: string;
}

export interface MalformedCase {
  index: number;
  seedFile: string;
  mutations: string[];
  manifest: ApplicationManifest;
  replicaIntents: ReplicaIntent[];
  mustFail: MustFail[];
}

// Component keys of spec, and where each block lives.
const BLOCKS: string[][] = [
  ['imagePullSecretsOperator'],
  ['csrOperator'],
  ['istioOperator'],
  ['zookeeperOperator'],
  ['kafkaOperator'],
  ['monitoring', 'prometheusOperator'],
  ['monitoring', 'grafanaDashboards'],
  ['supertubes'],
  ['kafkaMinion'],
  ['clusterRegistry'],
  ['clusterregistry'],
];
// Blocks whose chart's only Deployment takes replicaCount (prometheusOperator has two).
const REPLICA_BLOCKS = BLOCKS.filter(
  (b) => b[0] !== 'monitoring' && b[0] !== 'istioOperator' && b[0] !== 'supertubes',
);

// replicaCount texts: the number a Deployment must then carry, or none (must fail).
const REPLICA_TEXTS: ReplicaIntent[] = [
  { text: '10000000000' },
  { text: '9223372036854775808' },
  { text: '9223372036854775807' },
  { text: '10000000000000000000' },
  { text: '9007199254740993' },
  { text: '9007199254740992' },
  { text: '2147483648' },
  { text: '4294967297' },
  { text: '-1' },
  { text: '-2147483649' },
  { text: '1.5' },
  { text: '0.0001' },
  { text: '.inf' },
  { text: '-.Inf' },
  { text: '.nan' },
  { text: '.NaN' },
  { text: '1e400' },
  { text: '-1e400' },
  { text: '[1]' },
  { text: '{a: 1}' },
  { text: 'true' },
  { text: '"many"' },
  { text: '3', exact: 3 },
  { text: '0', exact: 0 },
  { text: '2147483647', exact: 2147483647 },
];

// valuesOverride texts that are not YAML at all.
const INVALID_YAML = [
  'operator:\n  namespaces: [kafka\n',
  'a: b: c',
  'key: "unterminated',
  '{a: 1',
  'a:\n\t- tab',
  '- a\nb: c',
  'a: &x 1\nb: *y',
  '? [a\n',
  'a:\n  - b\n  c: d',
  "'",
  '@reserved',
  '`backtick',
];

// Valid YAML of a shape no chart's values can be: values must be a map.
const WRONG_SHAPE = [
  '- a\n- b',
  '42',
  'just a string',
  'true',
  '[1, 2, 3]',
  '"quoted"',
  '3.14',
  '!!binary aGk=',
];

// Numbers anywhere (not only replicaCount) that JavaScript cannot hold exactly.
const UNSAFE_NESTED = [
  'extra:\n  deep:\n    big: 9007199254740993',
  'extra: [1, 2, 18446744073709551616]',
  'extra:\n  x: .nan',
  'extra:\n  x: -.inf',
  'extra: {y: 1e999}',
];

const BAD_NAMESPACES = [
  'Kafka',
  'UPPER',
  'x'.repeat(64),
  'a'.repeat(300),
  '-leading',
  'trailing-',
  'under_score',
  'dot.ted',
  'sp ace',
  '',
  'ünïcode',
  'a/b',
];

const UNKNOWN_COMPONENTS = [
  'kafkaOprator',
  'KafkaOperator',
  'kafka_operator',
  'zookeeper',
  'istio',
  'grafana',
];

// Values of every JSON type, plus numbers no field can hold as meant.
const WRONG_VALUES: unknown[] = [
  'yes',
  'true',
  '',
  0,
  1,
  -1,
  1.5,
  2 ** 53 + 2,
  1e300,
  -1e300,
  true,
  false,
  null,
  [],
  [1, 'a'],
  {},
  { nested: { deeper: [true] } },
];

type Json = unknown;
type Mutation = (
  doc: Record<string, Json>,
  intents: Pick<MalformedCase, 'replicaIntents' | 'mustFail'>,
) => string;

function objectAt(
  doc: Record<string, Json>,
  path: string[],
  create: boolean,
): Record<string, Json> | undefined {
  let at: Json = doc;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    const o = at as Record<string, Json>;
    if (o[key] === undefined && create) o[key] = {};
    at = o[key];
  }
  return typeof at === 'object' && at !== null && !Array.isArray(at)
    ? (at as Record<string, Json>)
    : undefined;
}

/** Every path in the document (objects and leaves, not inside arrays). */
function pathsOf(value: Json, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(value)) {
    out.push([...prefix, k]);
    out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}

function setPath(doc: Record<string, Json>, path: string[], value: Json): void {
  const parent = objectAt(doc, path.slice(0, -1), true);
  if (parent) parent[path[path.length - 1] as string] = value;
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

/** A valuesOverride set on a block, enabling it so the engine must read it. */
function setOverride(doc: Record<string, Json>, block: string[], text: string): void {
  const b = objectAt(doc, ['spec', ...block], true);
  if (!b) return;
  b.enabled = true;
  // zookeeperOperator's old spelling is read as well.
  if (block[0] === 'zookeeperOperator' && text.length % 2 === 0) b.valuesoverride = text;
  else b.valuesOverride = text;
}

// Mutations the API server refuses (most of them: the schema is closed and typed).
const refusedAtAdmission: fc.Arbitrary<Mutation>[] = [
  // A value of the wrong type anywhere in the document.
  fc.tuple(fc.nat(), fc.nat()).map(
    ([p, v]): Mutation =>
      (doc) => {
        const paths = pathsOf(doc);
        const path = pick(paths, p);
        const value = pick(WRONG_VALUES, v);
        setPath(doc, path, value);
        return `wrong type at ${path.join('.')}: ${JSON.stringify(value)}`;
      },
  ),
  // An unknown field in any object.
  fc.tuple(fc.nat(), fc.constantFrom('foo', 'valuesOverides', 'Enabled', 'namespaces', 'replicas')).map(
    ([p, name]): Mutation =>
      (doc) => {
        const objects = [[], ...pathsOf(doc)].filter((path) => objectAt(doc, path, false));
        const path = pick(objects, p);
        const o = objectAt(doc, path, false);
        if (o) o[name] = 'x';
        return `unknown field ${[...path, name].join('.')}`;
      },
  ),
  // A required field left out.
  fc.constantFrom(['metadata', 'name'], ['metadata'], ['spec', 'kafkaOperator', 'enabled']).map(
    (path): Mutation =>
      (doc) => {
        const parent = objectAt(doc, path.slice(0, -1), false);
        if (parent) delete parent[path[path.length - 1] as string];
        return `missing ${path.join('.')}`;
      },
  ),
  // An unknown component name.
  fc.constantFrom(...UNKNOWN_COMPONENTS).map(
    (name): Mutation =>
      (doc) => {
        setPath(doc, ['spec', name], { enabled: true, namespace: 'kafka' });
        return `unknown component spec.${name}`;
      },
  ),
  // A namespace Kubernetes would not take.
  fc.tuple(fc.constantFrom(...BLOCKS), fc.constantFrom(...BAD_NAMESPACES)).map(
    ([block, ns]): Mutation =>
      (doc) => {
        setPath(doc, ['spec', ...block, 'namespace'], ns);
        return `bad namespace ${JSON.stringify(ns.slice(0, 20))} at spec.${block.join('.')}`;
      },
  ),
  // enabled as a string (or number).
  fc.tuple(fc.constantFrom(...BLOCKS), fc.constantFrom('true', 'false', 'yes', 'on', 1, 0)).map(
    ([block, v]): Mutation =>
      (doc) => {
        setPath(doc, ['spec', ...block, 'enabled'], v);
        return `enabled ${JSON.stringify(v)} at spec.${block.join('.')}`;
      },
  ),
  // valuesOverride that is not a string.
  fc.tuple(fc.constantFrom(...BLOCKS), fc.constantFrom<Json>({ replicaCount: 2 }, [1], 7, true)).map(
    ([block, v]): Mutation =>
      (doc) => {
        setPath(doc, ['spec', ...block, 'valuesOverride'], v);
        return `valuesOverride of type ${Array.isArray(v) ? 'array' : typeof v} at spec.${block.join('.')}`;
      },
  ),
  // Over the admission cap.
  fc.constantFrom(...BLOCKS).map(
    (block): Mutation =>
      (doc) => {
        setPath(doc, ['spec', ...block, 'valuesOverride'], `a: "${'x'.repeat(256 * 1024)}"`);
        return `valuesOverride over 256 KiB at spec.${block.join('.')}`;
      },
  ),
  // kubeVersion / apiVersions of the wrong form.
  fc
    .tuple(
      fc.constantFrom(...BLOCKS),
      fc.constantFrom<[string, Json]>(
        ['kubeVersion', 'latest'],
        ['kubeVersion', 'v1.x'],
        ['kubeVersion', ['1.30']],
        ['apiVersions', 'v1'],
        ['apiVersions', ['']],
        ['apiVersions', [1]],
      ),
    )
    .map(
      ([block, [field, value]]): Mutation =>
        (doc) => {
          setPath(doc, ['spec', ...block, field], value);
          return `${field} ${JSON.stringify(value)} at spec.${block.join('.')}`;
        },
    ),
];

// Mutations inside valuesOverride, which only the engine can judge.
const judgedByTheEngine: fc.Arbitrary<Mutation>[] = [
  // replicaCount the chart's Deployment cannot carry as written (and a few it can).
  fc.tuple(fc.constantFrom(...REPLICA_BLOCKS), fc.constantFrom(...REPLICA_TEXTS)).map(
    ([block, intent]): Mutation =>
      (doc, intents) => {
        const text = `replicaCount: ${intent.text}`;
        setOverride(doc, block, text);
        intents.replicaIntents.push({ ...intent, text });
        return `replicaCount ${intent.text} at spec.${block.join('.')}`;
      },
  ),
  // valuesOverride that is not YAML.
  fc.tuple(fc.constantFrom(...BLOCKS), fc.constantFrom(...INVALID_YAML)).map(
    ([block, text]): Mutation =>
      (doc, intents) => {
        setOverride(doc, block, text);
        intents.mustFail.push({ text, why: 'not YAML' });
        return `invalid YAML at spec.${block.join('.')}: ${JSON.stringify(text)}`;
      },
  ),
  // valuesOverride that is YAML, but not a map.
  fc.tuple(fc.constantFrom(...BLOCKS), fc.constantFrom(...WRONG_SHAPE)).map(
    ([block, text]): Mutation =>
      (doc, intents) => {
        setOverride(doc, block, text);
        intents.mustFail.push({ text, why: 'not a map' });
        return `valuesOverride not a map at spec.${block.join('.')}: ${JSON.stringify(text)}`;
      },
  ),
  // Numbers JavaScript cannot hold, in keys no template reads.
  fc.tuple(fc.constantFrom(...BLOCKS), fc.constantFrom(...UNSAFE_NESTED)).map(
    ([block, text]): Mutation =>
      (doc, intents) => {
        setOverride(doc, block, text);
        intents.mustFail.push({ text, why: 'a number JavaScript cannot hold' });
        return `unsafe nested number at spec.${block.join('.')}: ${JSON.stringify(text)}`;
      },
  ),
  // Duplicate keys: which one wins is a guess, so it must fail.
  fc.tuple(fc.constantFrom(...REPLICA_BLOCKS), fc.integer({ min: 1, max: 4 })).map(
    ([block, n]): Mutation =>
      (doc, intents) => {
        const text = `replicaCount: ${n}\nfoo: 1\nreplicaCount: ${n + 1}`;
        setOverride(doc, block, text);
        intents.mustFail.push({ text, why: 'duplicate keys' });
        return `duplicate keys at spec.${block.join('.')}`;
      },
  ),
  // Deep nesting (valid YAML, a map): must not crash; the key is unused.
  fc.tuple(fc.constantFrom(...BLOCKS), fc.integer({ min: 50, max: 400 }), fc.boolean()).map(
    ([block, depth, flow]): Mutation =>
      (doc) => {
        const text = flow
          ? `deep: ${'['.repeat(depth)}1${']'.repeat(depth)}`
          : Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1';
        setOverride(doc, block, text);
        return `nesting ${depth} deep (${flow ? 'flow' : 'block'}) at spec.${block.join('.')}`;
      },
  ),
];

// The engine's kinds weigh more, so that about a third of the cases get past admission.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  ...refusedAtAdmission.map((arbitrary) => ({ arbitrary, weight: 1 })),
  ...judgedByTheEngine.map((arbitrary) => ({ arbitrary, weight: 3 })),
);

export const malformedCase: fc.Arbitrary<Omit<MalformedCase, 'index'>> = fc
  .tuple(fc.constantFrom(...SEED_FILES), fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([seedFile, muts]) => {
    const doc = structuredClone(seed<Record<string, Json>>(seedFile));
    const intents = { replicaIntents: [] as ReplicaIntent[], mustFail: [] as MustFail[] };
    const mutations = muts.map((m) => m(doc, intents));
    return { seedFile, mutations, manifest: doc as ApplicationManifest, ...intents };
  });

/** count cases for the seed: the same seed gives the same cases. */
export function generateCases(seedValue: number, count: number): MalformedCase[] {
  return fc.sample(malformedCase, { seed: seedValue, numRuns: count }).map((c, index) => ({ index, ...c }));
}
