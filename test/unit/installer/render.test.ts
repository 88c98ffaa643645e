import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  cacheKey,
  canonicalJson,
  dirDigest,
  parseManifests,
  resolveChart,
} from '../../../src/installer/render.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'charts');
const tmp = mkdtempSync(join(tmpdir(), 'sdm-render-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('render cache keys', () => {
  it('does not depend on key order, does depend on every value', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: 3 } }), canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    const k = cacheKey('d1', 'rel', 'ns', { a: 1 });
    assert.equal(k, cacheKey('d1', 'rel', 'ns', { a: 1 }));
    assert.notEqual(k, cacheKey('d1', 'rel', 'ns', { a: 2 }));
    assert.notEqual(k, cacheKey('d2', 'rel', 'ns', { a: 1 }));
    assert.notEqual(k, cacheKey('d1', 'rel', 'other', { a: 1 }));
  });

  it('changes the chart digest when any file of a local chart changes', () => {
    const dir = join(tmp, 'kminion');
    cpSync(join(fixtures, 'kminion'), dir, { recursive: true });
    const before = dirDigest(dir);
    writeFileSync(join(dir, 'templates', 'extra.yaml'), '# new\n');
    assert.notEqual(dirDigest(dir), before);
  });
});

describe('chart resolution', () => {
  it('prefers a local chart directory named like the chart, with the pinned version', () => {
    const r = resolveChart(
      { name: 'kminion', version: '0.14.0', repository: 'https://charts.redpanda.com' },
      fixtures,
    );
    assert.equal(r.dir, join(fixtures, 'kminion'));
    assert.throws(
      () => resolveChart({ name: 'kminion', version: '9.9.9', repository: 'https://x' }, fixtures),
      /chart kminion version 9\.9\.9 not found: .* has version 0\.14\.0/,
    );
  });

  it('uses the repository otherwise: --repo for https, a reference for oci', () => {
    assert.deepEqual(
      resolveChart({ name: 'kminion', version: '1', repository: 'https://charts.example' }, undefined),
      {
        source: 'kminion',
        repo: 'https://charts.example',
        version: '1',
      },
    );
    assert.equal(
      resolveChart({ name: 'kafka-operator', version: '1', repository: 'oci://ghcr.io/x/' }, undefined)
        .source,
      'oci://ghcr.io/x/kafka-operator',
    );
  });

  it('splits helm output into objects, flattening Lists', () => {
    const objs = parseManifests('---\n# c\n---\nkind: A\n---\nkind: List\nitems:\n- kind: B\n- kind: C\n');
    assert.deepEqual(
      objs.map((o) => o.kind),
      ['A', 'B', 'C'],
    );
  });
});
