/**
 * The differential test: thousands of generated templates (generator.ts: the whole function set,
 * the registry's data model, control structures, printf verbs, wrong types on purpose) rendered by
 * sdm and by Go's text/template + sprig v3.3 (./go-oracle, built here with the Go toolchain and
 * cached by the hash of its sources). Every mismatch must be one of the documented deliberate
 * differences (differences.ts); each of those must still differ as documented.
 * SDM_TEMPLATE_SEED=<n> runs another seed (a failure prints the seed to reproduce it).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FUNCTION_NAMES } from '../../../src/template/index.ts';
import {
  agree,
  DIFFERENCES,
  describeMismatch,
  generateCases,
  renderSdm,
  runDifferential,
} from './differential.ts';
import { buildOracle, goAvailable, runOracle } from './oracle.ts';

const SEED = Number(process.env.SDM_TEMPLATE_SEED ?? 20261201);
const PLAIN_CASES = 6000;
const REGISTRY_CASES = 2000;

/** Names the generator leaves out on purpose: `call` does not exist here; and/or are syntax-like. */
const NOT_GENERATED = new Set<string>([]);

const hasGo = goAvailable();

describe('differential: sdm templates against Go text/template + sprig', {
  skip: hasGo ? false : 'needs the Go toolchain (go on PATH) to build the oracle',
}, () => {
  let oracle = '';
  before(() => {
    oracle = buildOracle();
  });

  it(`agrees with Go on ${PLAIN_CASES + REGISTRY_CASES} generated templates (seed ${SEED}), up to documented differences`, (t) => {
    const cases = generateCases(SEED, PLAIN_CASES, REGISTRY_CASES);
    const r = runDifferential(oracle, cases);
    t.diagnostic(
      `${r.cases} cases, ${r.mismatches.length} mismatches, ${r.unexplained.length} unexplained; by difference: ${JSON.stringify(Object.fromEntries(r.byDifference))}`,
    );
    const shown = r.unexplained.slice(0, 15).map(describeMismatch).join('\n');
    assert.equal(r.unexplained.length, 0, `unexplained mismatches (seed ${SEED}):\n${shown}`);
    // The run is meaningful only if most cases agree outright.
    assert.ok(r.mismatches.length < r.cases / 20, `too many explained mismatches: ${r.mismatches.length}`);
  });

  it('generates every function sdm implements', () => {
    const text = generateCases(SEED, PLAIN_CASES, REGISTRY_CASES)
      .map((c) => c.t)
      .join('\n');
    const missing = FUNCTION_NAMES.filter(
      (f) => !NOT_GENERATED.has(f) && !new RegExp(`\\b${f}\\b`).test(text),
    );
    assert.deepEqual(missing, [], 'functions the generator never calls');
  });

  for (const d of DIFFERENCES) {
    it(`documented difference "${d.name}" still differs as documented`, () => {
      const go = runOracle(
        oracle,
        d.probes.map((p) => p.c),
      );
      d.probes.forEach((p, i) => {
        const sdm = renderSdm(p.c);
        assert.equal(
          agree(go[i]!, sdm),
          false,
          `${d.name}: sdm now agrees with Go on ${p.c.t}: ${JSON.stringify(sdm)}`,
        );
        assert.ok(
          d.explains(p.c.t, go[i]!, sdm),
          `${d.name} no longer explains ${p.c.t}: go ${JSON.stringify(go[i])} sdm ${JSON.stringify(sdm)}`,
        );
        assert.ok(p.sdm(sdm), `${d.name}: sdm's answer changed for ${p.c.t}: ${JSON.stringify(sdm)}`);
      });
    });
  }
});
