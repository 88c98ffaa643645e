// `sdm dev-cluster up --kafka N`: a Kafka started with the control plane, its
// bootstrap servers exported before the kubeconfig line (which stays last),
// shown by `list`, and stopped by `down` with the plane.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import type { KafkaState } from '../../../src/devcluster/index.ts';

const run = promisify(execFile);
const sdm = join(import.meta.dirname, '..', '..', '..', 'bin', 'sdm');
const home = mkdtempSync(join(tmpdir(), 'sdm-kafka-cli-'));
const env = { ...process.env, SDM_DEV_HOME: home };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('sdm dev-cluster up --kafka', () => {
  after(async () => {
    await run(sdm, ['dev-cluster', 'down', '--all'], { env }).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });

  it('prints the Kafka export before the kubeconfig lines; list shows it; down stops the broker', async () => {
    const up = await run(sdm, ['dev-cluster', 'up', '--name', 'kcli', '--kafka', '1'], { env });
    const lines = up.stdout.trim().split('\n');
    const kubeconfig = lines.at(-1)!;
    assert.ok(existsSync(kubeconfig), `last line ${kubeconfig} is not a file`);
    const kafkaLine = lines.findIndex((l) => l.startsWith('export KAFKA_BOOTSTRAP_SERVERS='));
    const kubeLine = lines.indexOf(`export KUBECONFIG=${kubeconfig}`);
    assert.ok(kafkaLine >= 0, `no KAFKA_BOOTSTRAP_SERVERS export in:\n${up.stdout}`);
    assert.ok(kubeLine > kafkaLine, 'the Kafka export must come before the KUBECONFIG export');
    const bootstrap = lines[kafkaLine]!.slice('export KAFKA_BOOTSTRAP_SERVERS='.length);
    assert.match(bootstrap, /^127\.0\.0\.1:\d+$/);

    // The broker outlived `up` (detached) and answers on the printed address.
    const admin = new Admin({ clientId: 'kafka-cli-test', bootstrapBrokers: [bootstrap], retries: 0 });
    try {
      const md = await admin.metadata({ topics: [] });
      assert.deepEqual([...md.brokers.keys()], [0]);
    } finally {
      await admin.close();
    }

    const list = await run(sdm, ['dev-cluster', 'list'], { env });
    assert.match(list.stdout, /^NAME\s+STATE\s+SERVER\s+KAFKA\s+OWNER/m);
    assert.match(
      list.stdout,
      new RegExp(`^kcli\\s+Running\\s+https://127\\.0\\.0\\.1:\\d+\\s+1/1 ${bootstrap}\\s+cli`, 'm'),
    );

    const dir = join(home, 'kcli');
    const state = JSON.parse(readFileSync(join(dir, 'kafka', 'kafka.json'), 'utf8')) as KafkaState;
    const pid = state.brokers[0]!.pid;
    assert.ok(alive(pid), `broker pid ${pid} should be running`);

    await run(sdm, ['dev-cluster', 'down', '--name', 'kcli'], { env });
    assert.ok(!alive(pid), `broker pid ${pid} still running after down`);
    assert.ok(!existsSync(dir), 'directory left behind');
  });

  it('says to run make tools when Kafka is not fetched, before starting anything', async () => {
    const missing = join(home, 'no-kafka-here');
    await assert.rejects(
      run(sdm, ['dev-cluster', 'up', '--name', 'nokafka', '--kafka', '1'], {
        env: { ...env, SDM_KAFKA_HOME: missing },
      }),
      (err: Error & { stderr: string; code: number }) => {
        assert.equal(err.code, 1);
        assert.match(
          err.stderr,
          /Kafka is not fetched \(looked for .*no-kafka-here\/libs\); run 'make tools' first/,
        );
        return true;
      },
    );
    assert.ok(!existsSync(join(home, 'nokafka')), 'a control plane directory was created');
  });

  it('without --kafka prints no Kafka export and lists no Kafka', async () => {
    const up = await run(sdm, ['dev-cluster', 'up', '--name', 'plain'], { env });
    assert.doesNotMatch(up.stdout, /KAFKA_BOOTSTRAP_SERVERS/);
    const list = await run(sdm, ['dev-cluster', 'list'], { env });
    assert.match(list.stdout, /^plain\s+Running\s+https:\/\/127\.0\.0\.1:\d+\s+-\s+cli/m);
    await run(sdm, ['dev-cluster', 'down', '--name', 'plain'], { env });
  });
});
