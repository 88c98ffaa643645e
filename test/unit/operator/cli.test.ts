// `sdm operator` refuses bad flags with a message naming each problem and
// exit code 1, before it needs a cluster; --list prints every controller.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const sdm = join(import.meta.dirname, '..', '..', '..', 'bin', 'sdm');
const run = (...args: string[]) =>
  spawnSync(sdm, ['operator', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('sdm operator flags', () => {
  it('names every bad option and exits 1 without touching a cluster', () => {
    const r = run(
      '--controllers=csrsigner,clusterregistry',
      '--set',
      'csrsigner.caAlgorithm=DSA',
      '--set',
      'clusterregistry.probeIntervalMs=soon',
      '--set',
      'kafkatopic.concurrency=2',
      '--kubeconfig',
      '/nonexistent',
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /csrsigner\.caAlgorithm must be one of ECDSA-P256, RSA-2048, RSA-3072, RSA-4096/);
    assert.match(r.stderr, /clusterregistry\.probeIntervalMs must be a number, got "soon"/);
    assert.match(r.stderr, /--set kafkatopic\.concurrency: controller kafkatopic is not running/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('names an unknown controller and the known ones', () => {
    const r = run('--controllers=nope', '--kubeconfig', '/nonexistent');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown controller "nope"; known: applicationmanifest, clusterregistry/);
  });

  it('--list prints each controller and its options', () => {
    const r = run('--list');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^csrsigner: /m);
    assert.match(r.stdout, /--set imagepullsecrets\.ciscoGroup=<boolean>/);
  });
});
