// `sdm operator` starts from an entry of its own (src/cli/operator-main.ts,
// chosen by bin/sdm) that loads the operator's modules and no other
// command's; `sdm --help` still lists every command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..', '..');
const sdm = join(root, 'bin', 'sdm');
const dir = mkdtempSync(join(tmpdir(), 'sdm-entry-test-'));
const hook = join(dir, 'record.mjs');
// Preloaded into the process bin/sdm starts: writes every module URL it resolved when it exits.
writeFileSync(
  hook,
  `import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const loaded = new Set();
registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); loaded.add(r.url); return r; } });
process.on('exit', () => writeFileSync(process.env.SDM_TEST_LOADED, JSON.stringify([...loaded])));
`,
);

/** The files under src/cli/ that `bin/sdm ...args` loaded. */
function cliModules(...args: string[]): string[] {
  const out = join(dir, `${args.join('_').replace(/\W/g, '')}.json`);
  const r = spawnSync(sdm, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: `--import=${hook}`, SDM_TEST_LOADED: out },
  });
  assert.equal(r.status, 0, r.stderr);
  const urls = JSON.parse(readFileSync(out, 'utf8')) as string[];
  return urls
    .map((u) => /\/src\/cli\/([^/]+\.ts)$/.exec(u)?.[1])
    .filter((f): f is string => f !== undefined)
    .sort();
}

describe('the sdm operator entry', () => {
  it('loads only the operator command of the CLI', () => {
    assert.deepEqual(cliModules('operator', '--list'), ['operator-main.ts', 'operator.ts', 'program.ts']);
  });

  it('every other command line still goes through main.ts with every command', () => {
    const loaded = cliModules('--help');
    for (const f of ['main.ts', 'operator.ts', 'demo.ts', 'dev-cluster.ts', 'install.ts', 'app.ts'])
      assert.ok(loaded.includes(f), `${f} not loaded by sdm --help: ${loaded.join(' ')}`);
    const help = spawnSync(sdm, ['--help'], { encoding: 'utf8', timeout: 60_000 });
    for (const c of ['dev-cluster', 'demo', 'operator', 'install', 'status', 'kafka', 'app'])
      assert.match(help.stdout, new RegExp(`^  ${c}\\b`, 'm'));
  });
});
