// StreamingApplications (seeds 002 and 004) on a real control plane and a real
// Kafka, the controllers running under the ServiceAccount and RBAC of
// charts/supertubes (streamingApp.enabled): seed 002's call-record-aggregator
// as an instance namespace with its pull Secret, NetworkPolicy, Deployments
// with running pods and topics in Kafka; consumer lag as the test's own Kafka
// clients (playing the processes) produce and consume; an image change rolls
// one Deployment; a removed process's Deployment goes; two landscapes never
// touch each other's applications; Kafka down and back; bad input; deleting
// the application removes its namespace and keeps its topics.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { parse } from 'yaml';
import { KafkaTopicV1beta2Kind } from '../../../src/apis/kafka.strimzi.io/v1beta2/kafkatopic.ts';
import {
  type StreamingApplication,
  StreamingApplicationKind,
} from '../../../src/apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import { registerKafkaTopicController } from '../../../src/controllers/kafkatopic/index.ts';
import {
  Deployments,
  NetworkPolicies,
  Pods,
  registerStreamingAppController,
} from '../../../src/controllers/streamingapp/index.ts';
import {
  type ControlPlane,
  type LocalKafka,
  startControlPlane,
  startKafka,
} from '../../../src/devcluster/index.ts';
import type { AdminPool } from '../../../src/kafka/index.ts';
import {
  Client,
  ConfigMaps,
  type KubeObject,
  Manager,
  Namespaces,
  Secrets,
} from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import {
  applyChartRbac,
  capturedLogger,
  installCrd,
  kubectl,
  renderChart,
  repoRoot,
} from '../imagepullsecrets/support.ts';

const LANDSCAPE = 'devawsk8s';
const OTHER = 'dev-alice';
const CONTROLLER_NS = 'supertubes-system';
const APP = 'call-record-aggregator';
const INSTANCE = `${LANDSCAPE}-${APP}`;
const PULL_AUTH = Buffer.from(
  JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from('u:p').toString('base64') } } }),
).toString('base64');

const fixture = (): StreamingApplication =>
  parse(readFileSync(join(import.meta.dirname, 'call-record-aggregator.yaml'), 'utf8'));

describe('StreamingApplication (seeds 002, 004) on a real control plane and Kafka', () => {
  let cp: ControlPlane;
  let kafka: LocalKafka;
  let admin: Client;
  let raw: Admin;
  const managers: Manager[] = [];
  const pools: AdminPool[] = [];
  let saConfig: Awaited<ReturnType<ControlPlane['serviceAccountKubeConfig']>>;
  const logs = capturedLogger();

  const getApp = (name = APP, ns = LANDSCAPE) => admin.get(StreamingApplicationKind, { namespace: ns, name });
  async function waitPhase(phase: string, name = APP, ns = LANDSCAPE, timeoutMs = 120_000) {
    return eventually(
      async () => {
        const a = await getApp(name, ns);
        assert.equal(a.status?.phase, phase, `${name}: ${a.status?.phase} ${a.status?.reason ?? ''}`);
        assert.equal(a.status?.observedGeneration, a.metadata?.generation);
        return a;
      },
      { timeoutMs, intervalMs: 250 },
    );
  }
  async function startOperator(landscape: string, withTopics: boolean): Promise<Manager> {
    const manager = new Manager({ kubeConfig: saConfig, logger: logs.logger, handleSignals: false });
    if (withTopics) {
      pools.push(
        registerKafkaTopicController(manager, { resyncMs: 2_000, retryMs: 1_000, maxBackoffMs: 2_000 }).pool,
      );
    }
    pools.push(registerStreamingAppController(manager, { landscape, resyncMs: 1_000, retryMs: 1_000 }).pool);
    void manager.start();
    managers.push(manager);
    return manager;
  }
  async function landscape(ns: string) {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-pull-secret', namespace: ns },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': PULL_AUTH },
    } as KubeObject);
    await admin.apply({
      apiVersion: 'kafka.sdm.dev/v1alpha1',
      kind: 'KafkaConnection',
      metadata: { name: 'pipelines-strimzi', namespace: ns },
      spec: { bootstrapServers: kafka.bootstrapServers },
    } as KubeObject);
  }
  const instanceVersions = async (ns: string) => {
    const out: Record<string, string> = {};
    for (const k of [Deployments, Secrets, ConfigMaps, NetworkPolicies, KafkaTopicV1beta2Kind]) {
      for (const o of (await admin.list(k, { namespace: ns })).items) {
        if (o.metadata?.labels?.['streaming.sdm.dev/landscape'])
          out[`${k.kind}/${o.metadata?.name}`] = o.metadata?.resourceVersion ?? '';
      }
    }
    const n = await admin.get(Namespaces, { name: ns });
    out.Namespace = n.metadata?.resourceVersion ?? '';
    return out;
  };

  before(async () => {
    [cp, kafka] = await Promise.all([startControlPlane({ nodes: 1 }), startKafka({ brokers: 1 })]);
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installCrd(admin, 'kafkatopics.kafka.strimzi.io.yaml', KafkaTopicV1beta2Kind);
    await installCrd(admin, 'kafkaconnections.kafka.sdm.dev.yaml', {
      apiVersion: 'kafka.sdm.dev/v1alpha1',
      kind: 'KafkaConnection',
    });
    await installCrd(admin, 'streamingapplications.streaming.sdm.dev.yaml', StreamingApplicationKind);
    const sa = await applyChartRbac(
      admin,
      renderChart('supertubes', 'supertubes', CONTROLLER_NS, ['streamingApp.enabled=true']),
      CONTROLLER_NS,
    );
    saConfig = await cp.serviceAccountKubeConfig(CONTROLLER_NS, sa);
    await landscape(LANDSCAPE);
    await startOperator(LANDSCAPE, true);
    raw = new Admin({ clientId: 'test', bootstrapBrokers: kafka.bootstrapServers.split(','), retries: 2 });
  });

  after(async () => {
    for (const m of managers) await m.stop();
    for (const p of pools) await p.close();
    await raw?.close();
    await kafka?.stop();
    await cp?.stop();
  });

  it("runs seed 002's call-record-aggregator as namespace devawsk8s-call-record-aggregator until Available", async () => {
    await admin.create(fixture());
    const app = await waitPhase('Available');
    // The instance namespace and what it holds.
    const ns = await admin.get(Namespaces, { name: INSTANCE });
    assert.equal(ns.metadata?.labels?.['streaming.sdm.dev/landscape'], LANDSCAPE);
    const pull = await admin.get(Secrets, { namespace: INSTANCE, name: 'image-pull-secret' });
    assert.equal(pull.type, 'kubernetes.io/dockerconfigjson');
    assert.equal(pull.data?.['.dockerconfigjson'], PULL_AUTH);
    const np = (await admin.get(NetworkPolicies, {
      namespace: INSTANCE,
      name: 'same-instance-only',
    })) as KubeObject & {
      spec: { podSelector: object; ingress: { from: object[] }[] };
    };
    assert.deepEqual(np.spec.podSelector, {});
    assert.deepEqual(np.spec.ingress, [{ from: [{ podSelector: {} }] }]);
    const bindings = await admin.get(ConfigMaps, { namespace: INSTANCE, name: 'topic-bindings' });
    assert.equal(bindings.data?.['bootstrap-servers'], kafka.bootstrapServers);
    // One Deployment per process, wired through its environment.
    const deps = (await admin.list(Deployments, { namespace: INSTANCE })).items;
    assert.deepEqual(deps.map((d) => d.metadata?.name).sort(), [
      'cdr-aggregator',
      'cdr-generator',
      'cdr-validator',
    ]);
    const validator = deps.find((d) => d.metadata?.name === 'cdr-validator') as KubeObject & {
      spec: {
        template: {
          spec: { serviceAccountName: string; containers: { env: { name: string; value: string }[] }[] };
        };
      };
    };
    const env = Object.fromEntries(
      validator.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]),
    );
    assert.equal(env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers);
    assert.equal(env.INPUT_TOPICS, 'call-record-aggregator.cdr-generator.out');
    assert.equal(
      env.OUTPUT_TOPICS,
      'call-record-aggregator.cdr-validator.valid,call-record-aggregator.cdr-validator.invalid',
    );
    assert.equal(env.CONSUMER_GROUP, 'call-record-aggregator.cdr-validator');
    assert.equal(env.MAX_RECORD_AGE, '1h');
    assert.equal(validator.spec.template.spec.serviceAccountName, APP);
    // Pods running on the fake node, named in status.pods.
    const pods = (await admin.list(Pods, { namespace: INSTANCE })).items.filter(
      (p) => p.status?.phase === 'Running',
    );
    assert.equal(pods.length, 4);
    assert.deepEqual(app.status?.pods, pods.map((p) => p.metadata?.name).sort());
    assert.equal(app.status?.readyPods, '4/4');
    assert.equal(app.status?.reason, undefined);
    // Topics in Kafka with seed 002's names.
    const topics = await raw.listTopics();
    for (const t of [
      'cdr-generator.out',
      'cdr-validator.valid',
      'cdr-validator.invalid',
      'cdr-aggregator.out',
    ])
      assert.ok(topics.includes(`${APP}.${t}`), `${APP}.${t} in Kafka: ${topics}`);
    assert.ok(app.status?.topics?.every((t) => t.ready));
    assert.equal(app.status?.lag, 0);
  });

  it('writes nothing on a resync with nothing to do', async () => {
    const before = await instanceVersions(INSTANCE);
    const appBefore = (await getApp()).metadata?.resourceVersion;
    // Not even a server-side apply that changes nothing (those keep resourceVersions): count requests.
    const writes = () => managers[0]!.metrics.writeRequests();
    await eventually(
      async () => {
        const w = await writes();
        await new Promise((r) => setTimeout(r, 1_500));
        assert.equal(await writes(), w);
      },
      { timeoutMs: 30_000 },
    );
    const w0 = await writes();
    await new Promise((r) => setTimeout(r, 4_000)); // several 1 s resyncs
    assert.equal(await writes(), w0, 'write requests during resyncs with nothing to do');
    assert.deepEqual(await instanceVersions(INSTANCE), before);
    assert.equal((await getApp()).metadata?.resourceVersion, appBefore);
  });

  it("shows the consumer lag of a process's group, then 0 once consumed", async () => {
    const topic = `${APP}.cdr-generator.out`;
    const producer = new Producer({
      clientId: 'generator',
      bootstrapBrokers: kafka.bootstrapServers.split(','),
    });
    try {
      await producer.send({
        messages: Array.from({ length: 10 }, (_, i) => ({ topic, value: Buffer.from(`cdr-${i}`) })),
      });
    } finally {
      await producer.close();
    }
    const consume = async (n: number) => {
      const consumer = new Consumer({
        groupId: `${APP}.cdr-validator`,
        clientId: 'validator',
        bootstrapBrokers: kafka.bootstrapServers.split(','),
      });
      try {
        const stream = await consumer.consume({
          topics: [topic],
          mode: 'committed',
          fallbackMode: 'earliest',
          autocommit: false,
          maxWaitTime: 500,
        });
        let got = 0;
        for await (const m of stream) {
          await m.commit();
          if (++got === n) break;
        }
        await stream.close();
      } finally {
        await consumer.close();
      }
    };
    await consume(4);
    await eventually(
      async () => {
        const a = await getApp();
        const p = a.status?.processes?.find((x) => x.name === 'cdr-validator');
        assert.equal(p?.lag, 6);
        assert.equal(a.status?.lag, 6);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    await consume(6);
    await eventually(
      async () => {
        const a = await getApp();
        assert.equal(a.status?.processes?.find((x) => x.name === 'cdr-validator')?.lag, 0);
        assert.equal(a.status?.lag, 0);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });

  it('shows PHASE, PODS, LAG, AGE in kubectl get, and the status through sdm app status / list', () => {
    const got = kubectl(cp.kubeconfigPath, ['get', 'streamingapplications', '-n', LANDSCAPE]);
    assert.match(got, /^NAME\s+PHASE\s+PODS\s+LAG\s+AGE\n/);
    assert.match(got, /call-record-aggregator\s+Available\s+4\/4\s+0\s+\d+/);
    const sdm = (...args: string[]) =>
      execFileSync(process.execPath, [join(repoRoot, 'src/cli/main.ts'), 'app', ...args], {
        encoding: 'utf8',
        env: { ...process.env, KUBECONFIG: cp.kubeconfigPath },
      });
    const status = sdm('status', APP, '-n', LANDSCAPE);
    assert.match(status, /Phase:\s+Available/);
    assert.match(status, /cdr-validator\s+2\/2\s+0\s+call-record-aggregator\.cdr-validator/);
    assert.match(status, /call-record-aggregator\.cdr-validator\.valid\s+True/);
    assert.match(status, /Pods \(4 running\):/);
    const asJson = JSON.parse(sdm('status', APP, '-n', LANDSCAPE, '-o', 'json')) as StreamingApplication;
    assert.equal(asJson.status?.phase, 'Available');
    const list = JSON.parse(sdm('list', '-n', LANDSCAPE, '-o', 'json')) as StreamingApplication[];
    assert.deepEqual(
      list.map((a) => a.metadata?.name),
      [APP],
    );
    assert.match(sdm('list', '-n', LANDSCAPE), /call-record-aggregator\s+Available\s+4\/4\s+0/);
    assert.match(sdm('status', APP, '-n', LANDSCAPE, '-o', 'yaml'), /phase: Available/);
  });

  it('rolls only the Deployment whose image changed, and removes only a removed process', async () => {
    const gens = async () =>
      Object.fromEntries(
        (await admin.list(Deployments, { namespace: INSTANCE })).items.map((d) => [
          d.metadata?.name,
          d.metadata?.generation,
        ]),
      );
    const before = await gens();
    const app = await getApp();
    const processes = app.spec.processes.map((p) =>
      p.name === 'cdr-validator' ? { ...p, image: 'registry.example.com/pipelines/cdr-validator:1.1' } : p,
    );
    await admin.patch(
      StreamingApplicationKind,
      { namespace: LANDSCAPE, name: APP },
      { spec: { processes } },
      'merge',
    );
    await eventually(async () => {
      const now = await gens();
      assert.equal(now['cdr-validator'], (before['cdr-validator'] ?? 0) + 1);
    });
    await waitPhase('Available');
    const after1 = await gens();
    assert.equal(after1['cdr-generator'], before['cdr-generator']);
    assert.equal(after1['cdr-aggregator'], before['cdr-aggregator']);

    const without = processes.filter((p) => p.name !== 'cdr-aggregator');
    await admin.patch(
      StreamingApplicationKind,
      { namespace: LANDSCAPE, name: APP },
      { spec: { processes: without } },
      'merge',
    );
    await eventually(async () => {
      const now = await gens();
      assert.deepEqual(Object.keys(now).sort(), ['cdr-generator', 'cdr-validator']);
    });
    const a = await waitPhase('Available');
    const after2 = await gens();
    assert.equal(after2['cdr-generator'], before['cdr-generator']);
    assert.equal(after2['cdr-validator'], after1['cdr-validator']);
    assert.equal(a.status?.readyPods, '3/3');

    // A new topic is created in Kafka; no Deployment restarts for it.
    const topics = [...a.spec.topics, { name: 'cdr-validator.audit', partitions: 1, replicas: 1 }];
    await admin.patch(
      StreamingApplicationKind,
      { namespace: LANDSCAPE, name: APP },
      { spec: { topics } },
      'merge',
    );
    await eventually(async () => {
      assert.ok((await raw.listTopics()).includes(`${APP}.cdr-validator.audit`));
    });
    const b = await waitPhase('Available');
    assert.ok(b.status?.topics?.find((t) => t.name === 'cdr-validator.audit')?.ready);
    assert.deepEqual(await gens(), after2);
  });

  it("two landscapes on one cluster never touch each other's applications", async () => {
    await landscape(OTHER);
    const mine = await instanceVersions(INSTANCE);
    const theirs: StreamingApplication = {
      ...fixture(),
      metadata: { name: 'sensors', namespace: OTHER },
    };
    await admin.create(theirs);
    // The devawsk8s operator leaves it alone: no status, no namespace.
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await getApp('sensors', OTHER)).status, undefined);
    assert.equal(await admin.getIfExists(Namespaces, { name: `${OTHER}-sensors` }), undefined);
    // Its own operator runs it.
    await startOperator(OTHER, false);
    const a = await waitPhase('Available', 'sensors', OTHER);
    assert.equal(a.status?.namespace, `${OTHER}-sensors`);
    assert.deepEqual(await instanceVersions(INSTANCE), mine);
    assert.equal((await getApp()).status?.phase, 'Available');
  });

  it('refuses bad input at admission or with phase Failed and the reason, other applications unaffected', async () => {
    // A process reading a topic the application does not declare: refused by the API server.
    const undeclared = fixture();
    undeclared.metadata = { name: 'undeclared', namespace: LANDSCAPE };
    undeclared.spec.processes[1]!.inputs = ['nope.out'];
    await assert.rejects(admin.create(undeclared), /must name a topic of spec.topics/);
    // Duplicate names: refused by the API server (list keyed by name).
    const dup = fixture();
    dup.metadata = { name: 'dup', namespace: LANDSCAPE };
    dup.spec.processes.push({ ...dup.spec.processes[0]! });
    await assert.rejects(admin.create(dup), /Duplicate value/);
    // An unknown Kafka cluster: Failed, naming it.
    const unknown = fixture();
    unknown.metadata = { name: 'unknown-kafka', namespace: LANDSCAPE };
    unknown.spec.kafkaCluster = 'no-such-kafka';
    await admin.create(unknown);
    const u = await waitPhase('Failed', 'unknown-kafka');
    assert.match(u.status?.reason ?? '', /unknown Kafka cluster no-such-kafka/);
    // A name making the namespace longer than 63 characters: Failed, saying so.
    const long = fixture();
    const longName = `a${'b'.repeat(55)}`;
    long.metadata = { name: longName, namespace: LANDSCAPE };
    await admin.create(long);
    const l = await waitPhase('Failed', longName);
    assert.match(l.status?.reason ?? '', /at most 63 characters/);
    assert.equal((await getApp()).status?.phase, 'Available');
    for (const name of ['unknown-kafka', longName])
      await admin.delete(StreamingApplicationKind, { namespace: LANDSCAPE, name });
  });

  it('says Kafka is down with phase Failed and the reason, and recovers by itself', async () => {
    await kafka.stopBroker(0);
    try {
      const a = await waitPhase('Failed', APP, LANDSCAPE, 60_000);
      assert.match(a.status?.reason ?? '', /Kafka cluster pipelines-strimzi .*unreachable/);
    } finally {
      await kafka.startBroker(0);
    }
    await waitPhase('Available', APP, LANDSCAPE, 120_000);
    assert.ok(!/unhandled|process exited/i.test(logs.text()));
    // The copied pull Secret's value never shows in the logs.
    assert.ok(!logs.text().includes(PULL_AUTH));
    assert.ok(!logs.text().includes(Buffer.from('u:p').toString('base64')));
  });

  it('deleting the application removes its namespace and keeps its topics in Kafka', async () => {
    await admin.delete(StreamingApplicationKind, { namespace: LANDSCAPE, name: APP });
    await eventually(
      async () => {
        assert.equal(await admin.getIfExists(Namespaces, { name: INSTANCE }), undefined);
        assert.equal(
          await admin.getIfExists(StreamingApplicationKind, { namespace: LANDSCAPE, name: APP }),
          undefined,
        );
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const topics = await raw.listTopics();
    for (const t of [
      'cdr-generator.out',
      'cdr-validator.valid',
      'cdr-validator.invalid',
      'cdr-aggregator.out',
    ])
      assert.ok(topics.includes(`${APP}.${t}`), `${APP}.${t} kept`);
    // The other landscape's application is still there and Available.
    assert.equal((await getApp('sensors', OTHER)).status?.phase, 'Available');
  });
});
