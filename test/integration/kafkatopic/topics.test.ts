// The KafkaTopic controller against a real control plane and a real 3-broker
// Kafka, running under the ServiceAccount of charts/supertubes: seed 002's
// users-topic.yaml verbatim, partitions, configs (incremental, drift restored,
// Kafka's own error message), adoption, conflicts, deletion and the two ways
// to keep a topic, internal topics, broker and whole-cluster outages, Strimzi
// owning the CRD, and credentials that never show up in logs or Events.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Admin,
  ConfigResourceTypes,
  ConfigSources,
  IncrementalAlterConfigOperationTypes,
} from '@platformatic/kafka';
import { KafkaConnectionKind } from '../../../src/apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import type { KafkaTopic } from '../../../src/apis/kafka.strimzi.io/schema.ts';
import { KafkaTopicV1beta2Kind } from '../../../src/apis/kafka.strimzi.io/v1beta2/kafkatopic.ts';
import { registerKafkaTopicController } from '../../../src/controllers/kafkatopic/index.ts';
import {
  type ControlPlane,
  type LocalKafka,
  startControlPlane,
  startKafka,
} from '../../../src/devcluster/index.ts';
import type { AdminPool } from '../../../src/kafka/index.ts';
import { Client, type KubeObject, kind, Manager, Secrets } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import {
  applyChartRbac,
  capturedLogger,
  installCrd,
  kubectl,
  renderChart,
  repoRoot,
} from '../imagepullsecrets/support.ts';

const NS = 'lightbend';
const CONTROLLER_NS = 'supertubes-system';
const PASSWORD = 'Pa55-w0rd-never-shown-7c1f';
const Events = kind<KubeObject & { reason?: string; message?: string; note?: string }>('v1', 'Event');

describe('KafkaTopic controller (seed 002) on a real Kafka', () => {
  let cp: ControlPlane;
  let kafka: LocalKafka;
  let admin: Client;
  let manager: Manager;
  let pool: AdminPool;
  let raw: Admin;
  let kubeconfig: string;
  const logs = capturedLogger();

  const get = (name: string, ns = NS) => admin.get(KafkaTopicV1beta2Kind, { namespace: ns, name });
  const ready = (kt: KafkaTopic) => kt.status?.conditions?.find((c) => c.type === 'Ready');
  async function waitReady(name: string, ns = NS, timeoutMs = 60_000): Promise<KafkaTopic> {
    return eventually(
      async () => {
        const kt = await get(name, ns);
        const r = ready(kt);
        assert.equal(r?.status, 'True', `${name}: ${r?.reason} ${r?.message}`);
        assert.equal(kt.status?.observedGeneration, kt.metadata?.generation);
        return kt;
      },
      { timeoutMs },
    );
  }
  async function waitCondition(name: string, reason: string, ns = NS, timeoutMs = 60_000) {
    return eventually(
      async () => {
        const kt = await get(name, ns);
        const r = ready(kt);
        assert.equal(r?.reason, reason, `${name}: ${r?.status} ${r?.reason} ${r?.message}`);
        return r!;
      },
      { timeoutMs },
    );
  }
  const topicSpec = (
    name: string,
    spec: KafkaTopic['spec'],
    annotations?: Record<string, string>,
    cluster = 'pipelines-strimzi',
  ): KafkaTopic => ({
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: {
      name,
      namespace: NS,
      labels: { 'strimzi.io/cluster': cluster },
      ...(annotations ? { annotations } : {}),
    },
    spec,
  });
  const patchSpec = (name: string, spec: Record<string, unknown>) =>
    admin.patch(KafkaTopicV1beta2Kind, { namespace: NS, name }, { spec }, 'merge');

  /** The topic as Kafka describes it, read with a client of the test's own. */
  async function describeTopic(name: string) {
    const topics = await raw.listTopics({ includeInternals: true });
    if (!topics.includes(name)) return undefined;
    const md = await raw.metadata({ topics: [name], forceUpdate: true });
    const t = md.topics.get(name)!;
    const [cfg] = await raw.describeConfigs({
      resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name }],
    });
    const config: Record<string, string> = {};
    for (const c of cfg?.configs ?? [])
      if (c.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG && c.value) config[c.name] = c.value;
    return { id: t.id, partitions: t.partitionsCount, replicas: t.partitions[0]!.replicas.length, config };
  }
  const setConfig = (topic: string, name: string, value: string) =>
    raw.incrementalAlterConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: topic,
          configs: [{ name, value, configOperation: IncrementalAlterConfigOperationTypes.SET }],
        },
      ],
    });

  before(async () => {
    [cp, kafka] = await Promise.all([startControlPlane(), startKafka({ brokers: 3 })]);
    admin = Client.fromKubeConfig(cp.kubeConfig());
    kubeconfig = cp.kubeconfigPath;
    await installCrd(admin, 'kafkatopics.kafka.strimzi.io.yaml', KafkaTopicV1beta2Kind);
    await installCrd(admin, 'kafkaconnections.kafka.sdm.dev.yaml', {
      apiVersion: 'kafka.sdm.dev/v1alpha1',
      kind: 'KafkaConnection',
    });
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const sa = await applyChartRbac(
      admin,
      renderChart('supertubes', 'supertubes', CONTROLLER_NS),
      CONTROLLER_NS,
    );
    manager = new Manager({
      kubeConfig: await cp.serviceAccountKubeConfig(CONTROLLER_NS, sa),
      logger: logs.logger,
      handleSignals: false,
    });
    ({ pool } = registerKafkaTopicController(manager, {
      resyncMs: 2_000,
      retryMs: 2_000,
      maxBackoffMs: 3_000,
    }));
    void manager.start();
    raw = new Admin({ clientId: 'test', bootstrapBrokers: kafka.bootstrapServers.split(','), retries: 2 });
    // What a user with an existing Kafka runs.
    const out = execFileSync(
      process.execPath,
      [
        join(repoRoot, 'src/cli/main.ts'),
        'kafka',
        'register',
        'pipelines-strimzi',
        '-n',
        NS,
        '--bootstrap-servers',
        kafka.bootstrapServers,
      ],
      { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig } },
    );
    assert.match(out, /registered in lightbend/);
  });

  after(async () => {
    await manager?.stop();
    await pool?.close();
    await raw?.close();
    await kafka?.stop();
    await cp?.stop();
  });

  it("creates seed 002's users-topic.yaml, applied verbatim, as Kafka topic spark.users", async () => {
    kubectl(kubeconfig, [
      'apply',
      '-f',
      join(repoRoot, 'test/fixtures/seeds/002-01-kafkatopic-spark-users.yaml'),
    ]);
    const kt = await waitReady('spark.users');
    const t = await describeTopic('spark.users');
    assert.ok(t, 'topic exists in Kafka');
    assert.equal(t.partitions, 3);
    assert.equal(t.replicas, 2);
    assert.equal(t.config['retention.ms'], '7200000');
    assert.equal(t.config['segment.bytes'], '1073741824');
    assert.deepEqual(
      {
        topicName: kt.status?.topicName,
        topicId: kt.status?.topicId,
        partitions: kt.status?.partitions,
        replicas: kt.status?.replicas,
      },
      { topicName: 'spark.users', topicId: t.id, partitions: 3, replicas: 2 },
    );
    // The KafkaConnection says its Kafka answers, with the id Kafka reports.
    await eventually(async () => {
      const conn = await admin.get(KafkaConnectionKind, { namespace: NS, name: 'pipelines-strimzi' });
      assert.equal(conn.status?.clusterId, kafka.clusterId);
      assert.equal(conn.status?.brokers, 3);
    });
    const table = kubectl(kubeconfig, ['get', 'kafkatopics', '-n', NS]);
    const [header, row] = table.trim().split('\n');
    assert.match(header!, /^NAME\s+CLUSTER\s+PARTITIONS\s+REPLICATION FACTOR\s+READY/);
    assert.match(row!, /^spark\.users\s+pipelines-strimzi\s+3\s+2\s+True/);
  });

  it('adds partitions; refuses to remove them, leaving Kafka untouched', async () => {
    await patchSpec('spark.users', { partitions: 5 });
    await eventually(async () => assert.equal((await describeTopic('spark.users'))?.partitions, 5));
    assert.equal((await waitReady('spark.users')).status?.partitions, 5);
    await patchSpec('spark.users', { partitions: 2 });
    const c = await waitCondition('spark.users', 'NotSupported');
    assert.match(c.message, /spec\.partitions 2 is less than the 5 partitions/);
    assert.equal((await describeTopic('spark.users'))?.partitions, 5);
    await patchSpec('spark.users', { partitions: 5 });
    await waitReady('spark.users');
  });

  it('changes one config incrementally, leaving the other dynamic configs alone', async () => {
    await setConfig('spark.users', 'max.message.bytes', '2000000'); // set by someone else
    await patchSpec('spark.users', { config: { 'retention.ms': 3600000 } });
    await eventually(async () =>
      assert.equal((await describeTopic('spark.users'))?.config['retention.ms'], '3600000'),
    );
    await waitReady('spark.users');
    let t = await describeTopic('spark.users');
    assert.equal(t?.config['max.message.bytes'], '2000000');
    assert.equal(t?.config['segment.bytes'], '1073741824');
    // A key that leaves spec.config was ours: reset to the default; the other one stays.
    await patchSpec('spark.users', { config: { 'segment.bytes': null } });
    await eventually(async () =>
      assert.equal((await describeTopic('spark.users'))?.config['segment.bytes'], undefined),
    );
    t = await describeTopic('spark.users');
    assert.equal(t?.config['max.message.bytes'], '2000000');
    assert.equal(t?.config['retention.ms'], '3600000');
    assert.deepEqual((await waitReady('spark.users')).status?.managedConfig, ['retention.ms']);
  });

  it('restores a config changed behind its back on the next resync', async () => {
    await setConfig('spark.users', 'retention.ms', '1000');
    await eventually(
      async () => assert.equal((await describeTopic('spark.users'))?.config['retention.ms'], '3600000'),
      { timeoutMs: 30_000 },
    );
    assert.match(logs.text(), /changed topic config in Kafka/);
  });

  it("reports an invalid config in Kafka's own words", async () => {
    await patchSpec('spark.users', { config: { 'retention.ms': 'abc' } });
    const c = await waitCondition('spark.users', 'InvalidConfig');
    assert.match(c.message, /Invalid value abc for configuration retention\.ms/);
    assert.equal((await describeTopic('spark.users'))?.config['retention.ms'], '3600000');
    await patchSpec('spark.users', { config: { 'retention.ms': 3600000 } });
    await waitReady('spark.users');
  });

  it('adopts an existing topic without recreating it, leaving its own configs', async () => {
    const [created] = await raw.createTopics({
      topics: ['existing.orders'],
      partitions: 4,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    await admin.create(topicSpec('existing.orders', { partitions: 4, replicas: 1 }));
    const kt = await waitReady('existing.orders');
    assert.equal(kt.status?.topicId, created!.id);
    const t = await describeTopic('existing.orders');
    assert.equal(t?.id, created!.id);
    assert.equal(t?.config['cleanup.policy'], 'compact');
  });

  it('gives a topic two resources name to the older; the newer reports the conflict, then takes over', async () => {
    await admin.create(topicSpec('shared-a', { topicName: 'shared', partitions: 1, replicas: 1 }));
    await waitReady('shared-a');
    await new Promise((r) => setTimeout(r, 1_100)); // creationTimestamp has a resolution of one second
    await admin.create(topicSpec('shared-b', { topicName: 'shared', partitions: 2, replicas: 1 }));
    const c = await waitCondition('shared-b', 'ResourceConflict');
    assert.match(c.message, /managed by KafkaTopic lightbend\/shared-a, which is older/);
    assert.equal((await describeTopic('shared'))?.partitions, 1);
    await admin.delete(KafkaTopicV1beta2Kind, { namespace: NS, name: 'shared-a' });
    await waitReady('shared-b');
    assert.equal((await describeTopic('shared'))?.partitions, 2);
  });

  it('deletes the topic in Kafka when the KafkaTopic is deleted', async () => {
    await admin.create(topicSpec('to-delete', { partitions: 1, replicas: 1 }));
    const kt = await waitReady('to-delete');
    assert.deepEqual(kt.metadata?.finalizers, ['kafka.sdm.dev/topic']);
    await admin.delete(KafkaTopicV1beta2Kind, { namespace: NS, name: 'to-delete' });
    await eventually(async () =>
      assert.equal(
        await admin.getIfExists(KafkaTopicV1beta2Kind, { namespace: NS, name: 'to-delete' }),
        undefined,
      ),
    );
    await eventually(async () => assert.equal(await describeTopic('to-delete'), undefined));
  });

  it('leaves the topic in Kafka with deletion-policy retain, and stops managing it with strimzi.io/managed=false', async () => {
    await admin.create(
      topicSpec('kept', { partitions: 1, replicas: 1 }, { 'kafka.sdm.dev/deletion-policy': 'retain' }),
    );
    await waitReady('kept');
    await admin.delete(KafkaTopicV1beta2Kind, { namespace: NS, name: 'kept' });
    await eventually(async () =>
      assert.equal(
        await admin.getIfExists(KafkaTopicV1beta2Kind, { namespace: NS, name: 'kept' }),
        undefined,
      ),
    );
    assert.ok(await describeTopic('kept'));

    await admin.create(topicSpec('unmanaged', { partitions: 1, replicas: 1 }));
    await waitReady('unmanaged');
    await admin.patch(
      KafkaTopicV1beta2Kind,
      { namespace: NS, name: 'unmanaged' },
      { metadata: { annotations: { 'strimzi.io/managed': 'false' } }, spec: { partitions: 3 } },
      'merge',
    );
    await eventually(async () => {
      const kt = await get('unmanaged');
      assert.equal(kt.status?.conditions?.find((c) => c.type === 'Unmanaged')?.status, 'True');
      assert.deepEqual(kt.metadata?.finalizers ?? [], []);
    });
    assert.equal((await describeTopic('unmanaged'))?.partitions, 1);
    await admin.delete(KafkaTopicV1beta2Kind, { namespace: NS, name: 'unmanaged' });
    await eventually(async () =>
      assert.equal(
        await admin.getIfExists(KafkaTopicV1beta2Kind, { namespace: NS, name: 'unmanaged' }),
        undefined,
      ),
    );
    assert.ok(await describeTopic('unmanaged'));
  });

  it('lets a KafkaTopic go when its cluster reference went first, leaving the topic in Kafka (a namespace deletion never hangs)', async () => {
    const ns = 'gone-first';
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin.create({
      apiVersion: 'kafka.sdm.dev/v1alpha1',
      kind: 'KafkaConnection',
      metadata: { name: 'short-lived', namespace: ns },
      spec: { bootstrapServers: kafka.bootstrapServers },
    } as KubeObject);
    await admin.create({
      ...topicSpec('orphaned', { partitions: 1, replicas: 1 }, undefined, 'short-lived'),
      metadata: { name: 'orphaned', namespace: ns, labels: { 'strimzi.io/cluster': 'short-lived' } },
    });
    await waitReady('orphaned', ns);
    await admin.delete(
      { apiVersion: 'kafka.sdm.dev/v1alpha1', kind: 'KafkaConnection' },
      { namespace: ns, name: 'short-lived' },
    );
    await admin.delete(KafkaTopicV1beta2Kind, { namespace: ns, name: 'orphaned' });
    await eventually(async () =>
      assert.equal(
        await admin.getIfExists(KafkaTopicV1beta2Kind, { namespace: ns, name: 'orphaned' }),
        undefined,
      ),
    );
    assert.ok(await describeTopic('orphaned'), 'the data stays in Kafka');
    await eventually(async () => {
      const events = await admin.list(Events, { namespace: ns });
      const left = events.items.find((e) => e.reason === 'TopicLeftInKafka');
      assert.ok(left, 'a Warning says the topic was left in Kafka');
      assert.match(left.message ?? left.note ?? '', /orphaned was left in Kafka/);
    });
    await admin.delete({ apiVersion: 'v1', kind: 'Namespace' }, { name: ns });
    await eventually(
      async () =>
        assert.equal(
          await admin.getIfExists({ apiVersion: 'v1', kind: 'Namespace' }, { name: ns }),
          undefined,
        ),
      { timeoutMs: 60_000 },
    );
  });

  it("refuses Kafka's internal topics and never touches topics without a KafkaTopic", async () => {
    await admin.create(topicSpec('offsets', { topicName: '__consumer_offsets', partitions: 1, replicas: 1 }));
    const c = await waitCondition('offsets', 'InvalidResource');
    assert.match(c.message, /internal topics/);
    // kept, existing via raw admin, still as they were.
    assert.equal((await describeTopic('kept'))?.partitions, 1);
  });

  it('keeps working with one broker stopped, and converges when it is back', async () => {
    await kafka.stopBroker(2);
    try {
      await admin.create(topicSpec('during-broker-outage', { partitions: 2, replicas: 2 }));
      await waitReady('during-broker-outage', NS, 90_000);
    } finally {
      await kafka.startBroker(2);
    }
    await patchSpec('during-broker-outage', { partitions: 4 });
    await waitReady('during-broker-outage');
    assert.equal((await describeTopic('during-broker-outage'))?.partitions, 4);
  });

  it('says Kafka is unreachable while the whole cluster is down for 20 s, then converges', async () => {
    for (let i = 0; i < kafka.brokerCount; i++) await kafka.stopBroker(i);
    const stoppedAt = Date.now();
    try {
      await patchSpec('spark.users', { partitions: 6 });
      await admin.create(topicSpec('during-outage', { partitions: 1, replicas: 1 }));
      const c = await waitCondition('spark.users', 'KafkaUnreachable', NS, 30_000);
      assert.match(c.message, /cannot reach Kafka at 127\.0\.0\.1:/);
      await waitCondition('during-outage', 'KafkaUnreachable', NS, 30_000);
      await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - stoppedAt))));
    } finally {
      await Promise.all(Array.from({ length: kafka.brokerCount }, (_, i) => kafka.startBroker(i)));
    }
    await waitReady('spark.users', NS, 90_000);
    await waitReady('during-outage', NS, 90_000);
    assert.equal((await describeTopic('spark.users'))?.partitions, 6);
    assert.ok(await describeTopic('during-outage'));
    assert.ok(!/process exited|unhandled/i.test(logs.text()));
  });

  it('never shows Kafka credentials in logs, Events or conditions', async () => {
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kafka-creds', namespace: NS },
      stringData: { username: 'app', password: PASSWORD },
    } as KubeObject);
    execFileSync(
      process.execPath,
      [
        join(repoRoot, 'src/cli/main.ts'),
        'kafka',
        'register',
        'secured',
        '-n',
        NS,
        '--bootstrap-servers',
        kafka.bootstrapServers,
        '--credentials-secret',
        'kafka-creds',
        '--sasl-mechanism',
        'PLAIN',
      ],
      { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig } },
    );
    await admin.create(topicSpec('secured-topic', { partitions: 1, replicas: 1 }, undefined, 'secured'));
    // The brokers have no SASL listener: authentication fails, and the failure is reported.
    const c = await eventually(
      async () => {
        const r = ready(await get('secured-topic'));
        assert.equal(r?.status, 'False');
        return r!;
      },
      { timeoutMs: 60_000 },
    );
    assert.ok(!c.message.includes(PASSWORD));
    await new Promise((r) => setTimeout(r, 3_000)); // a few retries more
    const events = await admin.list(Events, { namespace: NS });
    assert.ok(events.items.length > 0);
    for (const e of events.items)
      assert.ok(!JSON.stringify(e).includes(PASSWORD), `Event ${e.metadata?.name}`);
    assert.ok(!logs.text().includes(PASSWORD), 'the password is in the logs');
    assert.ok(!JSON.stringify(await get('secured-topic')).includes(PASSWORD));
    void Secrets;
  });

  it("stays off while Strimzi's operator owns the KafkaTopic CRD, and says why", async () => {
    const CRDS = kind<KubeObject>('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    const name = 'kafkatopics.kafka.strimzi.io';
    await admin.patch(
      CRDS,
      { name },
      { metadata: { labels: { app: 'strimzi', release: 'pipelines-strimzi' } } },
      'merge',
    );
    await eventually(() =>
      assert.match(logs.text(), /installed by Strimzi \(app=strimzi, release pipelines-strimzi\)/),
    );
    await admin.create(topicSpec('while-strimzi', { partitions: 1, replicas: 1 }));
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await get('while-strimzi')).status, undefined);
    assert.equal(await describeTopic('while-strimzi'), undefined);
    const events = await admin.list(Events, { namespace: 'default' });
    assert.ok(
      events.items.some((e) => e.reason === 'ControllerDisabled'),
      'an Event on the CRD says why',
    );
    await admin.patch(CRDS, { name }, { metadata: { labels: { app: null, release: null } } }, 'merge');
    await waitReady('while-strimzi');
  });
});
