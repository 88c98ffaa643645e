// The composition root: every entry is well formed, and every --set key the
// charts' Deployments pass is an option of the controller they run.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { controllerList } from '../../../src/cli/operator.ts';
import { resolveOptions } from '../../../src/kube/controller-options.ts';
import { controllerEntries, findControllers } from '../../../src/operator/controllers.ts';

const charts = resolve(import.meta.dirname, '../../../charts');

describe('composition root', () => {
  it('lists each controller once, with camelCase options that say what they are', () => {
    const names = controllerEntries.map((e) => e.name);
    assert.deepEqual(names, [...new Set(names)]);
    assert.ok(names.includes('csrsigner') && names.includes('applicationmanifest'));
    for (const e of controllerEntries) {
      assert.match(e.name, /^[a-z][a-z0-9]*$/, e.name);
      for (const [key, schema] of Object.entries(e.options.properties)) {
        assert.match(key, /^[a-z][a-zA-Z0-9]*$/, `${e.name}.${key} is not camelCase`);
        assert.ok((schema as { description?: string }).description, `${e.name}.${key} has no description`);
      }
    }
  });

  it('refuses an unknown controller name, naming the known ones', () => {
    assert.throws(
      () => findControllers(['csrsigner', 'nope']),
      /unknown controller "nope"; known: applicationmanifest, /,
    );
  });

  it("accepts every --set the charts' Deployments pass", () => {
    let checked = 0;
    for (const chart of readdirSync(charts)) {
      let text: string;
      try {
        text = readFileSync(join(charts, chart, 'templates', 'deployment.yaml'), 'utf8');
      } catch {
        continue;
      }
      const controllers = [...text.matchAll(/--controllers=([\w,]+)/g)].flatMap((m) => m[1]!.split(','));
      if (!controllers.length) continue;
      const entries = findControllers(controllers);
      // Template expressions stand for a value; a ranged key ({{ $k }}) is checked as the chart's own values' keys are free.
      const keys = [...text.matchAll(/--set=([^=\s]+)=/g)].map((m) => m[1]!).filter((k) => !k.includes('{{'));
      for (const key of keys) {
        assert.ok(key.includes('.'), `${chart}: --set=${key} is not namespaced <controller>.<option>`);
        const option = key.slice(key.indexOf('.') + 1);
        const entry = entries.find((e) => key.startsWith(`${e.name}.`));
        assert.ok(entry, `${chart}: --set=${key} names no controller the chart runs (${controllers})`);
        assert.ok(
          option in entry.options.properties,
          `${chart}: --set=${key} is not an option of ${entry.name}`,
        );
        checked++;
      }
      assert.doesNotThrow(() => resolveOptions(entries, [], {}));
    }
    assert.ok(checked >= 8, `only ${checked} --set keys found in the charts`);
  });

  it('--list shows every controller with its options', () => {
    const text = controllerList();
    for (const e of controllerEntries) assert.ok(text.includes(`${e.name}: ${e.description}`), e.name);
    assert.match(
      text,
      /--set clusterregistry\.probeIntervalMs=<integer> .*\(default 10000\).*\[also probe-interval-ms\]/,
    );
    assert.match(text, /--set csrsigner\.caAlgorithm=<ECDSA-P256\|RSA-2048\|RSA-3072\|RSA-4096>/);
  });
});
