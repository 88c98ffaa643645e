// The Kafka client library (@platformatic/kafka, about 60 MiB and half a
// CPU-second to load) is loaded only when a Kafka connection is first made:
// `sdm operator --controllers=clusterregistry,csrsigner` (and `sdm operator`
// through the full CLI) never loads it; the kafkatopic controller loads it at
// its first admin client, not at registration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runModuleProbe, repoUrl as url } from '../../support/module-probe.ts';

const body = `
const kafka = () => count('@platformatic/kafka');
// Everything \`sdm operator\` loads, through the CLI entry with all its commands.
process.argv = [process.argv[0], 'sdm', 'operator', '--list'];
console.log = () => {};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
await import(${JSON.stringify(url('src/cli/main.ts'))});
process.stdout.write = write;
console.log = print;
out.cli = kafka();
const { KubeConfig } = await import('@kubernetes/client-node');
const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const { buildOperator } = await import(${JSON.stringify(url('src/operator/run.ts'))});
await buildOperator({ kubeConfig: () => kc, controllers: ['clusterregistry', 'csrsigner'], env: {} });
out.clusterregistryCsrsigner = kafka();
await buildOperator({ kubeConfig: () => kc, controllers: ['kafkatopic'], env: {} });
out.kafkatopicRegistered = kafka();
const { AdminPool, kafkaErrorName } = await import(${JSON.stringify(url('src/kafka/index.ts'))});
const pool = new AdminPool();
const cluster = pool.get({ bootstrapServers: ['127.0.0.1:1'], source: 'test' });
out.firstClient = kafka();
out.adminClass = cluster.admin.constructor.name;
out.errorName = kafkaErrorName(36);
await pool.close();
`;

describe('@platformatic/kafka is loaded lazily', () => {
  it('is not loaded by sdm operator for controllers that do not use Kafka, and is at the first admin client', () => {
    const out = runModuleProbe(body);
    assert.equal(out.cli, 0, 'the sdm CLI entry (operator --list) loaded @platformatic/kafka');
    assert.equal(out.clusterregistryCsrsigner, 0, 'clusterregistry + csrsigner loaded @platformatic/kafka');
    assert.equal(
      out.kafkatopicRegistered,
      0,
      'registering kafkatopic loaded @platformatic/kafka before any connection',
    );
    assert.ok(
      out.firstClient > 0,
      'the first admin client did not load @platformatic/kafka (the probe is blind)',
    );
    assert.equal(out.adminClass, 'Admin');
    assert.equal(out.errorName, 'TOPIC_ALREADY_EXISTS');
  });
});
