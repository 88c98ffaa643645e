/**
 * The Go oracle (./go-oracle: Go's text/template + sprig v3.3 + Helm's toYaml/fromYaml + the
 * upstream registry's data types), built on demand into .tools/template-oracle/<hash of its
 * sources>/ and reused while its sources are unchanged. Used by the differential test and the
 * template benchmark.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const repo = join(here, '..', '..', '..');
const sources = join(here, 'go-oracle');

/** One oracle request: template, data, data model ("registry" or plain JSON), timing repeats. */
export interface OracleCase {
  readonly t: string;
  readonly d: unknown;
  readonly m?: 'registry';
  readonly n?: number;
}

export interface OracleResult {
  readonly out: string;
  readonly err: string;
  /** Mean nanoseconds per render when n > 0. */
  readonly ns: number;
}

/** Is a Go toolchain on PATH? */
export function goAvailable(): boolean {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.status === 0;
}

/**
 * Build the oracle unless a build of the same sources exists; returns its path. Throws with Go's
 * output when the build fails (a broken oracle must fail the test, never skip it).
 */
export function buildOracle(): string {
  const hash = createHash('sha256');
  for (const f of ['main.go', 'v1alpha1/types.go', 'go.mod', 'go.sum'])
    hash.update(readFileSync(join(sources, f)));
  const dir = join(repo, '.tools', 'template-oracle', hash.digest('hex').slice(0, 16));
  const bin = join(dir, 'oracle');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  // Build to a temporary name and rename, so a concurrent or interrupted build never leaves half a binary.
  const tmp = `${bin}.${process.pid}.tmp`;
  const r = spawnSync('go', ['build', '-o', tmp, '.'], {
    cwd: sources,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
  });
  if (r.status !== 0) throw new Error(`building the Go template oracle failed:\n${r.stderr}${r.stdout}`);
  spawnSync('mv', ['-f', tmp, bin]);
  return bin;
}

/** How long one oracle process may run (the 8,000 cases of the test take a few seconds). */
const ORACLE_TIMEOUT_MS = 600_000;

/** The error text recorded for a case that killed the Go process (a fatal stack overflow, say). */
export const ORACLE_CRASH = 'go-oracle crashed: ';

/**
 * Run cases through the oracle, in one process as long as it lives; results in input order. Go
 * cannot recover from some failures (printing a cyclic map overflows its stack): such a case is
 * recorded as ORACLE_CRASH + Go's fatal error, and the rest run in a new process.
 */
export function runOracle(bin: string, cases: readonly OracleCase[]): OracleResult[] {
  const results: OracleResult[] = [];
  while (results.length < cases.length) {
    const rest = cases.slice(results.length);
    const input = `${rest.map((c) => JSON.stringify(c)).join('\n')}\n`;
    // A case that makes Go loop (copystructure on a cyclic map does) must fail the run, not hang it.
    const r = spawnSync(bin, [], { input, encoding: 'utf8', maxBuffer: 1 << 30, timeout: ORACLE_TIMEOUT_MS });
    // (EPIPE is a crash while the input was still being written: handled below like any crash.)
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
      const at = results.length + r.stdout.split('\n').filter((l) => l !== '').length;
      throw new Error(
        `the Go template oracle timed out after ${ORACLE_TIMEOUT_MS} ms at case ${at}: ${JSON.stringify(cases[at])}`,
      );
    }
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    for (const l of lines) {
      const o = JSON.parse(l) as { out?: string; err?: string; ns?: number };
      results.push({ out: o.out ?? '', err: o.err ?? '', ns: o.ns ?? 0 });
    }
    if (r.status === 0 && lines.length === rest.length) break;
    if (r.status === 0 || lines.length >= rest.length) {
      throw new Error(`the Go template oracle answered ${lines.length} of ${rest.length} cases: ${r.stderr}`);
    }
    const fatal =
      r.stderr.split('\n').find((l) => l.startsWith('fatal error') || l.startsWith('runtime:')) ?? '';
    results.push({ out: '', err: `${ORACLE_CRASH}${fatal}`, ns: 0 });
  }
  return results;
}
