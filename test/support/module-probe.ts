// A fresh Node process that records every module URL it resolves (import and
// require), for tests that prove a heavy library is loaded lazily. The body
// runs after the hook is installed; it can use count(pkg) (modules resolved
// from node_modules/<pkg>/), `loaded` (every URL) and `out` (what the test
// gets back, printed as JSON once the body finishes, even if it silenced
// console.log).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

/** A repository file as a file:// URL, for import() inside a probe body. */
export const repoUrl = (path: string): string => new URL(`../../${path}`, import.meta.url).href;

const preamble = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); loaded.add(r.url); return r; } });
const count = (pkg) => [...loaded].filter((u) => u.includes('/node_modules/' + pkg + '/')).length;
const out = {};
const print = console.log;
`;

/** Runs body in a fresh process and returns its `out`; fails the test if the process fails. */
// biome-ignore lint/suspicious/noExplicitAny: `out` is whatever the body recorded; tests read its fields directly
export function runModuleProbe(body: string): Record<string, any> {
  const r = spawnSync(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      '--input-type=module',
      '-e',
      `${preamble}${body}\nprint(JSON.stringify(out));\nprocess.exit(0);\n`,
    ],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
}

const recorder = `import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const loaded = new Set();
registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); loaded.add(r.url); return r; } });
process.on('exit', () => writeFileSync(process.env.SDM_TEST_LOADED, JSON.stringify([...loaded])));
`;

/** Every module URL a real `bin/sdm ...args` process resolved (a preloaded hook records them); it must exit 0. */
export function modulesLoadedBySdm(...args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sdm-module-probe-'));
  try {
    const hook = join(dir, 'record.mjs');
    const out = join(dir, 'loaded.json');
    writeFileSync(hook, recorder);
    const r = spawnSync(join(repoRoot, 'bin', 'sdm'), args, {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: `--import=${hook}`, SDM_TEST_LOADED: out },
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(readFileSync(out, 'utf8')) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
