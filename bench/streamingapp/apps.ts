// 100 StreamingApplications of 3 processes and 4 topics each, applied at once,
// until all are Available, against the floor: the bench's own clients
// creating the same Kubernetes objects (namespace, pull Secret,
// ServiceAccount, NetworkPolicy, ConfigMap, 3 Deployments per application)
// and the same 400 topics directly, until every Deployment is Available.
// Then a resync with nothing to do: Kubernetes writes by the controllers must
// be 0. Real control plane (kwok nodes), real Kafka. BENCH_APPS changes the count.
import { Admin } from '@platformatic/kafka';
import { KafkaConnectionKind } from '../../src/apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { KafkaTopicV1beta2Kind } from '../../src/apis/kafka.strimzi.io/v1beta2/kafkatopic.ts';
import {
  type StreamingApplication,
  StreamingApplicationKind,
} from '../../src/apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import { registerKafkaTopicController } from '../../src/controllers/kafkatopic/index.ts';
import {
  Deployments,
  desiredObjects,
  type ObservedDeployment,
  registerStreamingAppController,
} from '../../src/controllers/streamingapp/index.ts';
import { startControlPlane, startKafka } from '../../src/devcluster/index.ts';
import { Client, Informer, type KubeObject, Manager, silentLogger } from '../../src/kube/index.ts';
import { installCrd } from '../../test/integration/imagepullsecrets/support.ts';
import { forEachParallel } from '../kube/_common.ts';

const N = Number(process.env.BENCH_APPS ?? 100);
const CONCURRENCY = 32;
const RESYNC_MS = 5_000;
const LANDSCAPE = 'bench';
const FLOOR = 'floor';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const appFor = (name: string, namespace: string): StreamingApplication => ({
  apiVersion: StreamingApplicationKind.apiVersion,
  kind: StreamingApplicationKind.kind,
  metadata: { name, namespace },
  spec: {
    kafkaCluster: 'kafka',
    topics: ['gen.out', 'val.valid', 'val.invalid', 'agg.out'].map((t) => ({
      name: t,
      partitions: 1,
      replicas: 1,
    })),
    processes: [
      { name: 'gen', image: 'registry.example.com/gen:1', outputs: ['gen.out'] },
      {
        name: 'val',
        image: 'registry.example.com/val:1',
        inputs: ['gen.out'],
        outputs: ['val.valid', 'val.invalid'],
      },
      { name: 'agg', image: 'registry.example.com/agg:1', inputs: ['val.valid'], outputs: ['agg.out'] },
    ],
  },
});

const available = (d: ObservedDeployment) =>
  (d.status?.availableReplicas ?? 0) >= (d.spec?.replicas ?? 1) &&
  (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);

// ~110 pods per kwok node: 3 pods per application, twice (floor and controller).
const nodes = Math.max(1, Math.ceil((N * 6) / 100));
const [cp, kafka] = await Promise.all([startControlPlane({ nodes }), startKafka({ brokers: 1 })]);
let manager: Manager | undefined;
try {
  const admin = Client.fromKubeConfig(cp.kubeConfig());
  await installCrd(admin, 'kafkatopics.kafka.strimzi.io.yaml', KafkaTopicV1beta2Kind);
  await installCrd(admin, 'kafkaconnections.kafka.sdm.dev.yaml', KafkaConnectionKind);
  await installCrd(admin, 'streamingapplications.streaming.sdm.dev.yaml', StreamingApplicationKind);
  const pullSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'image-pull-secret', namespace: LANDSCAPE },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
  };
  const connection = { bootstrapServers: kafka.bootstrapServers };
  for (const ns of [LANDSCAPE, FLOOR]) {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin.apply({ ...pullSecret, metadata: { ...pullSecret.metadata, namespace: ns } } as KubeObject);
    await admin.apply({
      apiVersion: KafkaConnectionKind.apiVersion,
      kind: KafkaConnectionKind.kind,
      metadata: { name: 'kafka', namespace: ns },
      spec: connection,
    } as KubeObject);
  }
  const deployments = new Informer<ObservedDeployment>(admin, { kind: Deployments, namespace: '' });
  deployments.start();
  await deployments.waitForSync();

  // Floor: the same objects (the KafkaTopics replaced by creating the topics
  // directly with the admin client), created by the bench itself.
  const raw = new Admin({
    clientId: 'bench-floor',
    bootstrapBrokers: kafka.bootstrapServers.split(','),
    timeout: 30_000,
  });
  const binding = {
    cluster: 'kafka',
    bootstrapServers: kafka.bootstrapServers.split(','),
    connection,
    secrets: [],
  };
  let t = performance.now();
  await forEachParallel(N, CONCURRENCY, async (i) => {
    const objs = desiredObjects({
      app: appFor(`app-${i}`, FLOOR),
      landscape: FLOOR,
      kafka: binding,
      pullSecret: pullSecret as KubeObject,
    }).filter((o) => o.kind !== 'KafkaTopic' && o.kind !== 'KafkaConnection');
    const [ns, ...rest] = objs;
    await admin.create(ns!);
    await Promise.all([
      ...rest.map((o) => admin.create(o)),
      raw.createTopics({
        topics: ['gen.out', 'val.valid', 'val.invalid', 'agg.out'].map((x) => `floor-${i}.${x}`),
        partitions: 1,
        replicas: 1,
      }),
    ]);
  });
  const floorCreatedMs = performance.now() - t;
  const floorDeps = () => deployments.list().filter((d) => d.metadata?.namespace?.startsWith(`${FLOOR}-`));
  while (floorDeps().filter(available).length < N * 3) await sleep(20);
  const floorMs = performance.now() - t;
  await raw.close();

  manager = new Manager({ kubeConfig: cp.kubeConfig(), logger: silentLogger(), handleSignals: false });
  const pools = [
    registerKafkaTopicController(manager, { resyncMs: 300_000 }).pool,
    registerStreamingAppController(manager, { landscape: LANDSCAPE, resyncMs: RESYNC_MS, concurrency: 16 })
      .pool,
  ];
  void manager.start();
  const apps = new Informer<StreamingApplication>(admin, {
    kind: StreamingApplicationKind,
    namespace: LANDSCAPE,
  });
  apps.start();
  await apps.waitForSync();
  await sleep(2000); // informers synced before the clock starts

  t = performance.now();
  await forEachParallel(N, CONCURRENCY, (i) => admin.create(appFor(`app-${i}`, LANDSCAPE)));
  const appliedMs = performance.now() - t;
  for (;;) {
    const n = apps.list().filter((a) => a.status?.phase === 'Available').length;
    if (n >= N) break;
    await sleep(50);
  }
  const readyMs = performance.now() - t;

  // A resync with nothing to do: status (pods, lag) read again, nothing written.
  // First let the last writes (Events, late status) settle, for a minute at most.
  for (let last = -1, tries = 0; tries < 12; tries++) {
    const now = await manager.metrics.writeRequests();
    if (now === last) break;
    last = now;
    await sleep(RESYNC_MS);
  }
  const before = await manager.metrics.writeRequests();
  await sleep(2 * RESYNC_MS + 1000);
  const resyncWrites = (await manager.metrics.writeRequests()) - before;

  console.log(
    `floor: ${N} apps' objects and ${N * 4} topics created directly (${(floorCreatedMs / 1000).toFixed(2)} s) until ${N * 3} Deployments Available: ${(floorMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `controller: ${N} StreamingApplications applied (${(appliedMs / 1000).toFixed(2)} s) until all Available: ${(readyMs / 1000).toFixed(2)} s`,
  );
  console.log(`ratio all-Available time / floor: ${(readyMs / floorMs).toFixed(2)}`);
  console.log(`writes to Kubernetes during ${2} resyncs with nothing to do: ${resyncWrites} (goal 0)`);
  apps.stop();
  deployments.stop();
  await manager.stop();
  for (const p of pools) await p.close();
  manager = undefined;
  if (resyncWrites !== 0) process.exitCode = 1;
} finally {
  await manager?.stop();
  await kafka.stop();
  await cp.stop();
}
