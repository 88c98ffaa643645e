// The Kafka part of `sdm demo` (issue 10 item 5): a 3-broker KRaft Kafka next
// to the demo control plane, registered as KafkaConnection pipelines-strimzi
// in namespace lightbend, the kafkatopic controller running in this process,
// and seed 002's users-topic.yaml applied as it is; then the topic as
// `kubectl get kafkatopics` lists it and as Kafka itself describes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KafkaTopicV1beta2Kind } from '../apis/index.ts';
import type { KafkaTopic } from '../apis/kafka.strimzi.io/schema.ts';
import { registerKafkaTopicController } from '../controllers/kafkatopic/index.ts';
import { type ControlPlane, type LocalKafka, startKafka } from '../devcluster/index.ts';
import { Client, type KubeObject, Manager, silentLogger, sleep } from '../kube/index.ts';
import { packageRoot } from '../package-root.ts';
import { kafkaConnectionFor } from './kafka.ts';

const NS = 'lightbend';
const CLUSTER = 'pipelines-strimzi';
const SEED = 'test/fixtures/seeds/002-01-kafkatopic-spark-users.yaml';

async function kafkaFor(cp: ControlPlane, say: (s: string) => void): Promise<LocalKafka> {
  const existing = cp.kafka();
  if (existing && existing.runningBrokers().length === existing.brokerCount) return existing;
  if (existing) await existing.stop();
  say('  starting a 3-broker KRaft Kafka');
  const kafka = await startKafka({ brokers: 3, dir: join(cp.dir, 'kafka'), lifetime: 'detached' });
  cp.attachKafka(kafka);
  return kafka;
}

export async function runKafkaDemo(cp: ControlPlane, say: (s: string) => void): Promise<void> {
  const kafka = await kafkaFor(cp, say);
  say(`  Kafka at ${kafka.bootstrapServers}`);
  const client = Client.fromKubeConfig(cp.kubeConfig(), { fieldManager: 'sdm-cli' });
  for (const file of ['kafkatopics.kafka.strimzi.io.yaml', 'kafkaconnections.kafka.sdm.dev.yaml']) {
    await client.apply(parse(readFileSync(join(packageRoot, 'charts', 'crds', file), 'utf8')) as KubeObject);
  }
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  // What `sdm kafka register pipelines-strimzi -n lightbend --bootstrap-servers ...` writes.
  const conn = kafkaConnectionFor(CLUSTER, {
    namespace: NS,
    bootstrapServers: kafka.bootstrapServers,
    saslMechanism: 'SCRAM-SHA-512',
  });
  for (let i = 0; ; i++) {
    try {
      await client.apply(conn);
      break;
    } catch (err) {
      if (i > 50) throw err; // the new CRD is not served yet
      client.mapper.invalidate(conn.apiVersion);
      await sleep(200);
    }
  }
  say(`  registered Kafka ${CLUSTER} in ${NS} (KafkaConnection)`);

  const manager = new Manager({ kubeConfig: cp.kubeConfig(), logger: silentLogger(), handleSignals: false });
  registerKafkaTopicController(manager, {});
  void manager.start();
  try {
    const seed = parse(readFileSync(join(packageRoot, SEED), 'utf8')) as KafkaTopic;
    for (let i = 0; ; i++) {
      try {
        await client.apply(seed);
        break;
      } catch (err) {
        if (i > 50) throw err;
        client.mapper.invalidate(seed.apiVersion);
        await sleep(200);
      }
    }
    say(`  applied seed 002's users-topic.yaml (${seed.apiVersion} KafkaTopic ${NS}/${seed.metadata?.name})`);
    const started = Date.now();
    let kt: KafkaTopic;
    for (;;) {
      kt = await client.get(KafkaTopicV1beta2Kind, { namespace: NS, name: 'spark.users' });
      const ready = kt.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status === 'True') break;
      if (Date.now() - started > 60_000)
        throw new Error(`spark.users not Ready after 60 s: ${ready?.reason} ${ready?.message}`);
      await sleep(200);
    }
    say(`  KafkaTopic spark.users Ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    say('');
    say('$ kubectl get kafkatopics -n lightbend');
    const rows = [
      ['NAME', 'CLUSTER', 'PARTITIONS', 'REPLICATION FACTOR', 'READY'],
      [
        kt.metadata?.name ?? '',
        kt.metadata?.labels?.['strimzi.io/cluster'] ?? '',
        String(kt.spec?.partitions ?? ''),
        String(kt.spec?.replicas ?? ''),
        'True',
      ],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows)
      say(
        r
          .map((c, i) => c.padEnd(widths[i]! + 3))
          .join('')
          .trimEnd(),
      );
    say('');
    say('As Kafka describes it:');
    // Loaded here, not at start-up: every `sdm` command (the operator too) imports this module.
    const { Admin, ConfigResourceTypes, ConfigSources } = await import('@platformatic/kafka');
    const raw = new Admin({ clientId: 'sdm-demo', bootstrapBrokers: kafka.bootstrapServers.split(',') });
    try {
      const md = (await raw.metadata({ topics: ['spark.users'], forceUpdate: true })).topics.get(
        'spark.users',
      )!;
      const [cfg] = await raw.describeConfigs({
        resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: 'spark.users' }],
      });
      const configs = (cfg?.configs ?? [])
        .filter((c) => c.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG)
        .map((c) => `${c.name}=${c.value}`)
        .join(',');
      say(
        `  Topic: spark.users  TopicId: ${md.id}  PartitionCount: ${md.partitionsCount}  ReplicationFactor: ${md.partitions[0]?.replicas.length}  Configs: ${configs}`,
      );
      for (const [i, p] of md.partitions.entries()) {
        say(
          `    Partition: ${i}  Leader: ${p.leader}  Replicas: ${p.replicas.join(',')}  Isr: ${p.isr.join(',')}`,
        );
      }
    } finally {
      await raw.close();
    }
  } finally {
    await manager.stop();
  }
}
