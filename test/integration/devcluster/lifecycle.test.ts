// Starting and stopping control planes: several side by side, `up`/`down`
// from the CLI, and a component that dies during start-up.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type ControlPlaneState, startControlPlane } from '../../../src/devcluster/index.ts';

const run = promisify(execFile);
const sdm = join(import.meta.dirname, '..', '..', '..', 'bin', 'sdm');
const home = mkdtempSync(join(tmpdir(), 'sdm-lifecycle-'));
const env = { ...process.env, SDM_DEV_HOME: home };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('control plane lifecycle', () => {
  after(async () => {
    await run(sdm, ['dev-cluster', 'down', '--all'], { env }).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });

  it('runs two control planes at once with distinct identities and ports', async () => {
    const [a, b] = await Promise.all([startControlPlane({ home }), startControlPlane({ home })]);
    try {
      assert.notEqual(a!.server, b!.server);
      const [uidA, uidB] = await Promise.all([a!.clusterId(), b!.clusterId()]);
      assert.ok(uidA && uidB);
      assert.notEqual(uidA, uidB);
    } finally {
      await Promise.all([a!.stop(), b!.stop()]);
    }
  });

  it('`up` prints the kubeconfig last; `down` stops every process by pid and removes the directory', async () => {
    const up = await run(sdm, ['dev-cluster', 'up', '--name', 'cli', '--nodes', '2'], { env });
    const lines = up.stdout.trim().split('\n');
    const kubeconfig = lines.at(-1)!;
    assert.ok(existsSync(kubeconfig), `last line ${kubeconfig} is not a file`);
    assert.ok(lines.includes(`export KUBECONFIG=${kubeconfig}`));

    const list = await run(sdm, ['dev-cluster', 'list'], { env });
    assert.match(list.stdout, /^cli\s+Running\s+https:\/\/127\.0\.0\.1:\d+/m);

    const dir = join(home, 'cli');
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ControlPlaneState;
    const pids = Object.values(state.components).map((c) => c.pid);
    assert.equal(pids.length, 5);
    for (const pid of pids) assert.ok(alive(pid), `pid ${pid} should be running`);

    await run(sdm, ['dev-cluster', 'down', '--name', 'cli'], { env });
    for (const pid of pids) assert.ok(!alive(pid), `pid ${pid} still running after down`);
    assert.ok(!existsSync(dir), 'directory left behind');
  });

  it('reports a component that dies during start-up with the tail of its log', async () => {
    await assert.rejects(
      startControlPlane({
        home,
        extraArgs: { 'kube-apiserver': ['--no-such-flag=1'] },
        readyTimeoutMs: 60_000,
      }),
      (err: Error) => {
        assert.match(err.message, /kube-apiserver exited with code \d+ while waiting/);
        assert.match(err.message, /unknown flag: --no-such-flag/);
        return true;
      },
    );
  });
});
