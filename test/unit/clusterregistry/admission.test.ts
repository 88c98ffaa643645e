// What the ResourceSyncRule schema (and so the CRD) refuses at admission: templates and paths too big
// to be anything but an attack (issue 13 items 5 and 7), while the seed's rule and the original's
// objectKey spelling pass.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  OVERRIDE_PATH_MAX_LENGTH,
  OVERRIDE_VALUE_MAX_LENGTH,
  ResourceSyncRuleKind,
} from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { validate } from '../../../src/apis/validate.ts';

const seeds = join(import.meta.dirname, '..', '..', 'fixtures', 'seeds');
const seedRule = () =>
  parse(
    readFileSync(join(seeds, '001-12-resourcesyncrule-sdm-core-resources-kafka-clusters-sink.yaml'), 'utf8'),
  );

function withOverride(override: Record<string, unknown>) {
  const r = seedRule();
  r.spec.rules[0].mutations.overrides = [override];
  return r;
}

function errorPaths(obj: unknown): string[] {
  const res = validate(ResourceSyncRuleKind, obj);
  return res.ok ? [] : res.errors.map((e) => e.path);
}

describe('ResourceSyncRule admission limits', () => {
  it('accepts seed 001 rule as written', () => {
    assert.deepEqual(errorPaths(seedRule()), []);
  });

  it('refuses an override value longer than the cap, naming the field', () => {
    const at = { type: 'replace', path: '/metadata/name' };
    assert.deepEqual(errorPaths(withOverride({ ...at, value: 'x'.repeat(OVERRIDE_VALUE_MAX_LENGTH) })), []);
    assert.deepEqual(errorPaths(withOverride({ ...at, value: 'x'.repeat(700 * 1024) })), [
      'spec.rules[0].mutations.overrides[0].value',
    ]);
  });

  it('refuses a go-patch path longer than the cap, naming the field', () => {
    const ok = `/data${'/a?'.repeat(1000)}`;
    assert.ok(ok.length <= OVERRIDE_PATH_MAX_LENGTH);
    assert.deepEqual(errorPaths(withOverride({ type: 'replace', path: ok, value: 'x' })), []);
    assert.deepEqual(
      errorPaths(withOverride({ type: 'replace', path: `/data${'/a?'.repeat(5000)}`, value: 'x' })),
      ['spec.rules[0].mutations.overrides[0].path'],
    );
  });

  it("accepts objectKey spelt as the original's Go struct (Name, Namespace)", () => {
    const r = seedRule();
    r.spec.rules[0].match = [{ objectKey: { Name: 'kafka', Namespace: 'kafka' } }];
    assert.deepEqual(errorPaths(r), []);
  });
});
