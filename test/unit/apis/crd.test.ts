import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { parse } from 'yaml';
import {
  crdFor,
  type JSONSchemaProps,
  SchemaConversionError,
  toStructuralSchema,
} from '../../../src/apis/crd.ts';
import { chartCopies } from '../../../src/apis/generate.ts';
import {
  allKinds,
  CRD_DIR,
  GENERATED_HEADER,
  generateCrds,
  renderCrdFiles,
} from '../../../src/apis/index.ts';
import { closed, IntOrString, openObject, StringEnum } from '../../../src/apis/schema.ts';
import { checkCrd, checkStructuralSchema } from '../../../src/apis/structural.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('toStructuralSchema', () => {
  it('turns unions of literals and const into enum', () => {
    assert.deepEqual(toStructuralSchema(StringEnum(['A', 'B'], { description: 'd' })), {
      type: 'string',
      description: 'd',
      enum: ['A', 'B'],
    });
    assert.deepEqual(toStructuralSchema(Type.Literal(3)), { type: 'number', enum: [3] });
    assert.deepEqual(toStructuralSchema(Type.Literal(true)), { type: 'boolean', enum: [true] });
  });

  it('drops additionalProperties: false, $id and TypeBox symbols; keeps required', () => {
    const s = closed({ a: Type.String(), b: Type.Optional(Type.Integer({ format: 'int32' })) }, { $id: 'X' });
    assert.deepEqual(toStructuralSchema(s), {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer', format: 'int32' } },
      required: ['a'],
    });
  });

  it('turns records into additionalProperties, unknown into preserve-unknown, integer|string into int-or-string', () => {
    assert.deepEqual(toStructuralSchema(Type.Record(Type.String(), Type.Boolean())), {
      type: 'object',
      additionalProperties: { type: 'boolean' },
    });
    assert.deepEqual(toStructuralSchema(Type.Unknown({ description: 'free' })), {
      description: 'free',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    assert.deepEqual(toStructuralSchema(IntOrString()), { 'x-kubernetes-int-or-string': true });
    assert.deepEqual(toStructuralSchema(openObject({ a: Type.String() })), {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { a: { type: 'string' } },
      required: ['a'],
    });
  });

  it('refuses what a CRD cannot express, naming the path', () => {
    const cases: [unknown, RegExp][] = [
      [closed({ x: Type.Object({ y: Type.String() }) }), /^x: object is neither closed/],
      [closed({ u: Type.Union([Type.String(), Type.Boolean()]) }), /^u: only unions of literals/],
      [closed({ l: Type.Array(Type.String(), { uniqueItems: true }) }), /uniqueItems/],
      [closed({ m: Type.Record(Type.String({ pattern: '^a' }), Type.String()) }), /^m: patternProperties/],
      [closed({ n: Type.Not(Type.String()) }), /^n: keyword "not"/],
      [closed({ r: Type.Ref('Other') }), /^r: keyword "\$ref"/],
    ];
    for (const [schema, message] of cases) {
      assert.throws(
        () => toStructuralSchema(schema as never),
        (e: unknown) => e instanceof SchemaConversionError && message.test(e.message),
        String(message),
      );
    }
  });
});

describe('checkStructuralSchema', () => {
  const root = (spec: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { spec } });
  const cases: [string, JSONSchemaProps, RegExp][] = [
    ['missing type', root({ properties: {} }), /spec: type is required/],
    [
      'additionalProperties false',
      root({ type: 'object', additionalProperties: false as never }),
      /false is not allowed/,
    ],
    [
      'properties with additionalProperties',
      root({ type: 'object', properties: {}, additionalProperties: { type: 'string' } }),
      /mutually exclusive/,
    ],
    ['const', root({ type: 'string', const: 'a' }), /keyword const is not allowed/],
    ['array without items', root({ type: 'array' }), /single items schema/],
    ['enum of the wrong type', root({ type: 'integer', enum: ['a'] }), /not a integer/],
    [
      'preserve false',
      root({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false }),
      /must be true/,
    ],
    [
      'int-or-string with a type',
      root({ type: 'string', 'x-kubernetes-int-or-string': true }),
      /must not have a type/,
    ],
    ['anyOf', root({ type: 'string', anyOf: [{ type: 'string' }] }), /logical junctors/],
    [
      'required not a property',
      root({ type: 'object', properties: {}, required: ['x'] }),
      /required field x/,
    ],
    [
      'list map key not required',
      root({
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['k'],
        items: { type: 'object', properties: { k: { type: 'string' } } },
      }),
      /must be required or have a default/,
    ],
    ['lookahead', root({ type: 'string', pattern: '^(?=a)' }), /lookaround/],
    ['unknown format', root({ type: 'string', format: 'datetime-local' }), /unknown format/],
    [
      'metadata restricted',
      {
        type: 'object',
        properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
      },
      /only name and generateName/,
    ],
  ];
  for (const [name, schema, message] of cases) {
    it(`catches: ${name}`, () => {
      const problems = checkStructuralSchema(schema);
      assert.ok(
        problems.some((p) => message.test(p)),
        problems.join('\n') || 'no problem found',
      );
    });
  }
});

describe('generated CRDs', () => {
  const crds = generateCrds();

  it('are one per kind and pass every structural and CRD rule we check', () => {
    assert.equal(crds.length, allKinds.length);
    for (const crd of crds) assert.deepEqual(checkCrd(crd), [], crd.metadata.name);
  });

  it('catch a printer column pointing nowhere', () => {
    const crd = structuredClone(crds[0]!);
    crd.spec.versions[0]!.additionalPrinterColumns = [
      { name: 'X', type: 'string', jsonPath: '.status.nothing' },
    ];
    assert.match(checkCrd(crd).join('\n'), /no field nothing/);
  });

  it('have the names, scopes, short names and printer columns of the specs', () => {
    const byName = new Map(crds.map((c) => [c.metadata.name, c]));
    const columns = (name: string) =>
      byName.get(name)!.spec.versions[0]!.additionalPrinterColumns!.map((c) => c.name);
    const am = byName.get('applicationmanifests.supertubes.banzaicloud.io')!;
    assert.equal(am.spec.scope, 'Namespaced');
    assert.deepEqual(am.spec.versions[0]!.subresources, { status: {} });
    assert.equal(am.spec.versions[0]!.additionalPrinterColumns![0]!.jsonPath, '.status.status');

    const cluster = byName.get('clusters.clusterregistry.k8s.cisco.com')!;
    assert.equal(cluster.spec.scope, 'Cluster');
    assert.deepEqual(columns(cluster.metadata.name), [
      'ID',
      'Status',
      'Type',
      'Synced',
      'Version',
      'Provider',
      'Region',
      'Message',
    ]);
    assert.deepEqual(byName.get('clusterfeatures.clusterregistry.k8s.cisco.com')!.spec.names.shortNames, [
      'cf',
    ]);
    assert.deepEqual(byName.get('resourcesyncrules.clusterregistry.k8s.cisco.com')!.spec.names.shortNames, [
      'rsr',
    ]);
    for (const group of ['images.banzaicloud.io', 'images.cisco.com']) {
      const imps = byName.get(`imagepullsecrets.${group}`)!;
      assert.equal(imps.spec.scope, 'Cluster');
      // One short name only: kubectl warns when two CRDs share it.
      assert.deepEqual(imps.spec.names.shortNames, group === 'images.banzaicloud.io' ? ['imps'] : undefined);
      assert.deepEqual(columns(imps.metadata.name), [
        'State',
        'Reconciled',
        'Validity seconds',
        'Secret Name',
        'Namespaces',
      ]);
    }
    for (const crd of crds) {
      const namespaced = [
        'supertubes.banzaicloud.io',
        'kafka.strimzi.io',
        'kafka.sdm.dev',
        'streaming.sdm.dev',
      ];
      assert.equal(crd.spec.scope === 'Cluster', !namespaced.includes(crd.spec.group), crd.metadata.name);
      assert.deepEqual(crd.spec.versions[0]!.subresources, { status: {} }, crd.metadata.name);
    }
  });

  it('keep the spec closed: no preserve-unknown-fields below the root except where declared', () => {
    const open: string[] = [];
    const walk = (n: JSONSchemaProps, path: string) => {
      if (n['x-kubernetes-preserve-unknown-fields']) open.push(path);
      for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, `${path}.${k}`);
      if (n.items) walk(n.items, `${path}[]`);
      if (n.additionalProperties) walk(n.additionalProperties, `${path}{}`);
    };
    for (const crd of crds) walk(crd.spec.versions[0]!.schema.openAPIV3Schema, crd.metadata.name);
    // Topic configs are free-form in Strimzi's API (strings, numbers, booleans, lists).
    assert.deepEqual(open, ['kafkatopics.kafka.strimzi.io.spec.config']);
  });

  it('match crdFor() for each kind', () => {
    for (const def of allKinds)
      assert.deepEqual(
        crdFor(def),
        crds.find((c) => c.spec.names.kind === def.kind && c.spec.group === def.group),
      );
  });
});

describe(`committed ${CRD_DIR}`, () => {
  it('is what src/apis/generate.ts writes now (run `make generate`)', () => {
    const dir = `${repoRoot}${CRD_DIR}/`;
    const expected = renderCrdFiles();
    const committed = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual(committed.sort(), [...expected.keys()].sort());
    for (const [name, text] of expected) {
      const onDisk = readFileSync(dir + name, 'utf8');
      assert.ok(onDisk.startsWith(GENERATED_HEADER), `${name} lacks the generated header`);
      assert.equal(onDisk, text, `${name} is stale or was edited by hand: run make generate`);
      assert.deepEqual(
        parse(onDisk),
        generateCrds().find((c) => `${c.metadata.name}.yaml` === name),
      );
    }
  });
});

describe('CRD copies inside charts', () => {
  it("are what make generate writes (Helm reads a chart's own crds/ only)", () => {
    const copies = chartCopies();
    const charts = new Set(copies.map((c) => c.path.split('/').at(-3)));
    // The charts known to carry copies: a walker that finds none is broken, not green.
    for (const chart of ['sdm-operator', 'imagepullsecrets-operator']) assert.ok(charts.has(chart), chart);
    const expected = renderCrdFiles();
    for (const { path, file } of copies) {
      assert.equal(readFileSync(path, 'utf8'), expected.get(file), `${path} is stale: run make generate`);
    }
  });
});
