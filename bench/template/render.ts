// Issue 12: renders per second of the seed 001 override template against Go's text/template +
// sprig on the same data, and the differential test's case and mismatch counts.
// Floor (same run): Go's execution time per render, measured by the oracle (test/unit/template/
// go-oracle) on the upstream registry's data types. Measured: sdm's renderTemplate on its own
// data model (parsed once, as the registry's renderer caches parses). Reported as a ratio to Go.
// Needs the Go toolchain for the floor and the differential counts; without it, sdm alone.
import { parseTemplate, renderTemplate } from '../../src/template/index.ts';
import {
  generateCases,
  REGISTRY_DATA,
  registryTemplateData,
  runDifferential,
} from '../../test/unit/template/differential.ts';
import { buildOracle, goAvailable, runOracle } from '../../test/unit/template/oracle.ts';
import { envInt, median } from '../kube/_common.ts';

const SEED_001 =
  '{{ printf "%s-%s-%s" .Object.GetName .Cluster.GetName (trunc 4 (sha256sum .Cluster.GetName))}}';
const ROUNDS = envInt('SDM_BENCH_ROUNDS', 5);
const GO_RENDERS = envInt('SDM_BENCH_GO_RENDERS', 200_000);

/** ns per render of sdm over about `ms` milliseconds. */
function sdmNsPerRender(ms: number): number {
  const t = parseTemplate(SEED_001);
  const data = registryTemplateData();
  let n = 0;
  const start = performance.now();
  let out = '';
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) out = renderTemplate(t, data);
    n += 1000;
  }
  if (out !== 'kafka-cluster2-615d') throw new Error(`unexpected render: ${out}`);
  return ((performance.now() - start) * 1e6) / n;
}

sdmNsPerRender(300); // warm up the JIT
const sdm = median(Array.from({ length: ROUNDS }, () => sdmNsPerRender(1000)));
const fmt = (ns: number): string =>
  `${Math.round(1e9 / ns).toLocaleString('en-US')} renders/s (${(ns / 1000).toFixed(2)} µs)`;
console.log(`seed 001 override, sdm:  ${fmt(sdm)}`);

// Robustness (issue 12): parse cost of a big quoted literal against a raw literal of the same
// size (the floor: no escapes to decode), and fromYaml on a 260 KB deeply nested sequence.
function msOf(f: () => unknown): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}
const SIZE = 1_000_000; // just under the default maxTemplateBytes (1 MiB)
const quoted = `{{ "${'a\\n'.repeat(SIZE / 3 - 4)}" }}`;
const raw = `{{ \`${'abc'.repeat(SIZE / 3 - 4)}\` }}`;
const quotedMs = median(Array.from({ length: ROUNDS }, () => msOf(() => parseTemplate(quoted))));
const rawMs = median(Array.from({ length: ROUNDS }, () => msOf(() => parseTemplate(raw))));
console.log(
  `parse 1 MB quoted literal (a third escapes): ${quotedMs.toFixed(0)} ms; raw literal (floor): ${rawMs.toFixed(0)} ms; ratio ${(quotedMs / rawMs).toFixed(2)}`,
);
const deepYaml = `${'['.repeat(130_000)}${']'.repeat(130_000)}`;
const yamlMs = median(
  Array.from({ length: ROUNDS }, () => msOf(() => renderTemplate('{{ fromYaml .y }}', { y: deepYaml }))),
);
console.log(
  `fromYaml of a 260 KB nested sequence: ${yamlMs.toFixed(1)} ms (refused past 500 levels, Error entry)`,
);

if (!goAvailable()) {
  console.log('Go toolchain not found: no Go floor, no differential counts');
} else {
  const oracle = buildOracle();
  const goNs = median(
    Array.from({ length: ROUNDS }, () => {
      const [r] = runOracle(oracle, [{ t: SEED_001, d: REGISTRY_DATA, m: 'registry', n: GO_RENDERS }]);
      if (r === undefined || r.err !== '' || r.out !== 'kafka-cluster2-615d') {
        throw new Error(`Go oracle: ${JSON.stringify(r)}`);
      }
      return r.ns;
    }),
  );
  console.log(`seed 001 override, Go:   ${fmt(goNs)}`);
  console.log(`ratio sdm/Go time per render: ${(sdm / goNs).toFixed(2)} (median of ${ROUNDS} rounds each)`);

  const started = performance.now();
  const r = runDifferential(oracle, generateCases(20261201, 6000, 2000));
  console.log(
    `differential (seed 20261201): ${r.cases} cases, ${r.mismatches.length} mismatches, ${r.unexplained.length} unexplained, in ${Math.round(performance.now() - started)} ms`,
  );
  console.log(`  explained by documented differences: ${JSON.stringify(Object.fromEntries(r.byDifference))}`);
}
