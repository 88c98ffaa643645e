// `sdm operator` starts from an entry of its own (src/cli/operator-main.ts,
// chosen by bin/sdm) that loads the operator's modules and no other
// command's; `sdm --help` still lists every command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { modulesLoadedBySdm } from '../../support/module-probe.ts';

const sdm = join(import.meta.dirname, '..', '..', '..', 'bin', 'sdm');

/** The files under src/cli/ that `bin/sdm ...args` loaded. */
function cliModules(...args: string[]): string[] {
  return modulesLoadedBySdm(...args)
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
