// 1,000 KafkaTopics applied at once, until all are Ready, against the floor:
// the same admin client creating the same 1,000 topics directly, in batches.
// Then a resync with nothing to do (writes to Kafka and to Kubernetes, both
// must be 0) and the controller's memory with 1,000 topics. Real control
// plane, real 3-broker Kafka. BENCH_TOPICS changes the count.
import { Admin } from '@platformatic/kafka';
import { KafkaConnectionKind } from '../../src/apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { KafkaTopicV1beta2Kind } from '../../src/apis/kafka.strimzi.io/v1beta2/kafkatopic.ts';
import { registerKafkaTopicController } from '../../src/controllers/kafkatopic/index.ts';
import { startControlPlane, startKafka } from '../../src/devcluster/index.ts';
import { Client, Informer, type KubeObject, Manager, silentLogger } from '../../src/kube/index.ts';
import { installCrd } from '../../test/integration/imagepullsecrets/support.ts';
import { forEachParallel } from '../kube/_common.ts';

const N = Number(process.env.BENCH_TOPICS ?? 1000);
const BATCH = 250;
const CREATE_CONCURRENCY = 64;
const RESYNC_MS = 10_000;
const NS = 'bench';
const config = { 'retention.ms': '7200000', 'segment.bytes': '1073741824' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

const [cp, kafka] = await Promise.all([startControlPlane(), startKafka({ brokers: 3 })]);
let manager: Manager | undefined;
try {
  const admin = Client.fromKubeConfig(cp.kubeConfig());
  await installCrd(admin, 'kafkatopics.kafka.strimzi.io.yaml', KafkaTopicV1beta2Kind);
  await installCrd(admin, 'kafkaconnections.kafka.sdm.dev.yaml', KafkaConnectionKind);
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await admin.apply({
    apiVersion: KafkaConnectionKind.apiVersion,
    kind: KafkaConnectionKind.kind,
    metadata: { name: 'bench', namespace: NS },
    spec: { bootstrapServers: kafka.bootstrapServers },
  } as KubeObject);
  const raw = new Admin({
    clientId: 'bench-floor',
    bootstrapBrokers: kafka.bootstrapServers.split(','),
    timeout: 30_000,
  });

  // Floor: the same admin client library creating N topics directly, BATCH per request, in parallel.
  let t = performance.now();
  const batches = Array.from({ length: Math.ceil(N / BATCH) }, (_, b) =>
    Array.from({ length: Math.min(BATCH, N - b * BATCH) }, (_, i) => `floor-${b * BATCH + i}`),
  );
  await Promise.all(
    batches.map((topics) =>
      raw.createTopics({
        topics,
        partitions: 1,
        replicas: 1,
        configs: Object.entries(config).map(([name, value]) => ({ name, value })),
      }),
    ),
  );
  const floorMs = performance.now() - t;
  await raw.close();

  // A second floor, for the Kubernetes side: the bench's own client creating N
  // objects of about a KafkaTopic's size (ConfigMaps, so no controller sees them).
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'floor' } });
  t = performance.now();
  await forEachParallel(N, CREATE_CONCURRENCY, (i) =>
    admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `topic-${i}`, namespace: 'floor', labels: { 'strimzi.io/cluster': 'bench' } },
      data: { partitions: '1', replicas: '1', 'retention.ms': '7200000', 'segment.bytes': '1073741824' },
    }),
  );
  const kubeFloorMs = performance.now() - t;

  manager = new Manager({ kubeConfig: cp.kubeConfig(), logger: silentLogger(), handleSignals: false });
  const { pool } = registerKafkaTopicController(manager, { resyncMs: RESYNC_MS });
  void manager.start();
  const watched = new Informer(admin, { kind: KafkaTopicV1beta2Kind, namespace: NS });
  watched.start();
  await watched.waitForSync();
  await sleep(2000); // informers synced before the clock starts

  t = performance.now();
  await forEachParallel(N, CREATE_CONCURRENCY, (i) =>
    admin.create({
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: `topic-${i}`, namespace: NS, labels: { 'strimzi.io/cluster': 'bench' } },
      spec: { partitions: 1, replicas: 1, config: { 'retention.ms': 7200000, 'segment.bytes': 1073741824 } },
    } as KubeObject),
  );
  const appliedMs = performance.now() - t;
  // Counted from a watch (a list of N objects every few ms would load the API server itself).
  for (;;) {
    const readyCount = watched
      .list()
      .filter((kt) => kt.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (readyCount >= N) break;
    await sleep(20);
  }
  const readyMs = performance.now() - t;

  // A resync with nothing to do: every topic compared with Kafka again, nothing written.
  // First let the last writes (Events, late status) settle.
  for (let last = -1; ; ) {
    const now = await manager.metrics.writeRequests();
    if (now === last) break;
    last = now;
    await sleep(2000);
  }
  const cluster = pool.get({ bootstrapServers: kafka.bootstrapServers.split(','), source: '' });
  const kafkaWrites = () => {
    const r = cluster.topics.requests;
    return r.create + r.createPartitions + r.alterConfigs + r.delete;
  };
  const kafkaBefore = kafkaWrites();
  const observesBefore = cluster.topics.requests.observe;
  const kubeBefore = await manager.metrics.writeRequests();
  await sleep(RESYNC_MS + 3000);
  const kafkaAfter = kafkaWrites();
  const observes = cluster.topics.requests.observe - observesBefore;
  const kubeAfter = await manager.metrics.writeRequests();
  globalThis.gc?.();
  const mem = process.memoryUsage();

  console.log(
    `floor: ${N} topics created directly, ${batches.length} batches of ${BATCH}: ${(floorMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `controller: ${N} KafkaTopics applied (${(appliedMs / 1000).toFixed(2)} s to create them) until all Ready: ${(readyMs / 1000).toFixed(2)} s`,
  );
  console.log(`ratio all-Ready time / floor: ${(readyMs / floorMs).toFixed(2)} (goal <= 1.5)`);
  console.log(
    `Kubernetes side: ${N} objects created directly ${(kubeFloorMs / 1000).toFixed(2)} s; the controller writes 2 more per topic (finalizer, status): ratio all-Ready / (Kafka floor + Kubernetes floor) ${(readyMs / (floorMs + kubeFloorMs)).toFixed(2)}`,
  );
  console.log(
    `resync with nothing to do (${observes} batched observe requests for ${N} topics): ${kafkaAfter - kafkaBefore} writes to Kafka, ${kubeAfter - kubeBefore} writes to Kubernetes`,
  );
  console.log(
    `memory with ${N} topics (controller and bench in one process): rss ${mib(mem.rss)} MiB, heap used ${mib(mem.heapUsed)} MiB`,
  );
  await watched.stop();
} finally {
  await manager?.stop();
  await kafka.stop();
  await cp.stop();
}
