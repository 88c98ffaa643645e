// The instance objects of a StreamingApplication (seed 004's model, seed 002's
// topic names), the checks that refuse what cannot run, and pruning.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { validate } from '../../../src/apis/index.ts';
import {
  type StreamingApplication,
  StreamingApplicationKind,
} from '../../../src/apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import {
  deploymentFor,
  desiredObjects,
  instanceNamespace,
  type KafkaBinding,
  problemsOf,
  prunable,
  streamingAppEntry,
} from '../../../src/controllers/streamingapp/index.ts';
import type { KubeObject, Secret } from '../../../src/kube/index.ts';

const fixture = (): StreamingApplication => ({
  ...parse(
    readFileSync(
      join(import.meta.dirname, '../../integration/streamingapp/call-record-aggregator.yaml'),
      'utf8',
    ),
  ),
});
const kafka: KafkaBinding = {
  cluster: 'pipelines-strimzi',
  bootstrapServers: ['kafka-0:9092', 'kafka-1:9092'],
  connection: { bootstrapServers: 'kafka-0:9092,kafka-1:9092' },
  secrets: [],
};
const pullSecret: Secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'image-pull-secret', namespace: 'devawsk8s', uid: 'x', resourceVersion: '9' },
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': 'e30=' },
};
type Dep = KubeObject & {
  spec: {
    replicas: number;
    template: {
      spec: { containers: { image: string; env: { name: string; value: string }[]; resources?: object }[] };
    };
  };
};

describe('StreamingApplication desired state', () => {
  it('accepts the call-record-aggregator fixture against the schema', () => {
    const r = validate(StreamingApplicationKind, fixture());
    assert.ok(r.ok, JSON.stringify(r));
  });

  it('names the instance namespace <landscape>-<application> and every object in it', () => {
    const objs = desiredObjects({ app: fixture(), landscape: 'devawsk8s', kafka, pullSecret });
    const ns = 'devawsk8s-call-record-aggregator';
    assert.equal(instanceNamespace('devawsk8s', 'call-record-aggregator'), ns);
    assert.deepEqual(objs[0], {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          'streaming.sdm.dev/landscape': 'devawsk8s',
          'streaming.sdm.dev/application': 'call-record-aggregator',
        },
      },
    });
    for (const o of objs.slice(1)) assert.equal(o.metadata?.namespace, ns, `${o.kind} ${o.metadata?.name}`);
    assert.deepEqual(
      objs.map((o) => `${o.kind}/${o.metadata?.name}`),
      [
        `Namespace/${ns}`,
        'Secret/image-pull-secret',
        'ServiceAccount/call-record-aggregator',
        'NetworkPolicy/same-instance-only',
        'ConfigMap/topic-bindings',
        'KafkaConnection/pipelines-strimzi',
        'KafkaTopic/call-record-aggregator.cdr-generator.out',
        'KafkaTopic/call-record-aggregator.cdr-validator.valid',
        'KafkaTopic/call-record-aggregator.cdr-validator.invalid',
        'KafkaTopic/call-record-aggregator.cdr-aggregator.out',
        'Deployment/cdr-generator',
        'Deployment/cdr-validator',
        'Deployment/cdr-aggregator',
      ],
    );
    // The pull Secret is a copy: its data and type, none of the source's identity.
    const copy = objs[1] as Secret;
    assert.deepEqual(copy.data, pullSecret.data);
    assert.equal(copy.type, pullSecret.type);
    assert.equal(copy.metadata?.uid, undefined);
    assert.deepEqual((objs[2] as KubeObject & { imagePullSecrets: unknown }).imagePullSecrets, [
      { name: 'image-pull-secret' },
    ]);
  });

  it('without a pull Secret in the landscape, copies none and refers to none', () => {
    const objs = desiredObjects({ app: fixture(), landscape: 'l', kafka });
    assert.ok(!objs.some((o) => o.kind === 'Secret'));
    assert.equal(
      (objs.find((o) => o.kind === 'ServiceAccount') as { imagePullSecrets?: unknown }).imagePullSecrets,
      undefined,
    );
  });

  it('keeps topics in Kafka unless the application asks for them to be deleted', () => {
    const app = fixture();
    const topics = (a: StreamingApplication) =>
      desiredObjects({ app: a, landscape: 'l', kafka }).filter((o) => o.kind === 'KafkaTopic');
    for (const t of topics(app)) {
      assert.equal(t.metadata?.annotations?.['kafka.sdm.dev/deletion-policy'], 'retain');
      assert.equal(t.metadata?.labels?.['strimzi.io/cluster'], 'pipelines-strimzi');
    }
    app.spec.deleteTopicsWithApplication = true;
    for (const t of topics(app))
      assert.equal(t.metadata?.annotations?.['kafka.sdm.dev/deletion-policy'], 'delete');
    const valid = topics(fixture()).find(
      (t) => t.metadata?.name === 'call-record-aggregator.cdr-validator.valid',
    ) as (KubeObject & { spec: object }) | undefined;
    assert.deepEqual(valid?.spec, {
      topicName: 'call-record-aggregator.cdr-validator.valid',
      partitions: 2,
      replicas: 1,
      config: { 'retention.ms': '7200000' },
    });
  });

  it("wires each process through its environment; the user's env cannot override the wiring", () => {
    const app = fixture();
    const p = {
      ...app.spec.processes[1]!,
      env: [...(app.spec.processes[1]!.env ?? []), { name: 'CONSUMER_GROUP', value: 'x' }],
    };
    const d = deploymentFor(app, 'l', p, ['b:1']) as Dep;
    const c = d.spec.template.spec.containers[0]!;
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    assert.deepEqual(env, {
      KAFKA_BOOTSTRAP_SERVERS: 'b:1',
      INPUT_TOPICS: 'call-record-aggregator.cdr-generator.out',
      OUTPUT_TOPICS:
        'call-record-aggregator.cdr-validator.valid,call-record-aggregator.cdr-validator.invalid',
      CONSUMER_GROUP: 'call-record-aggregator.cdr-validator',
      APPLICATION_NAME: 'call-record-aggregator',
      PROCESS_NAME: 'cdr-validator',
      MAX_RECORD_AGE: '1h',
    });
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(c.resources, { requests: { cpu: '50m', memory: '64Mi' } });
    const g = deploymentFor(app, 'l', app.spec.processes[0]!, ['b:1']) as Dep;
    assert.equal(g.spec.replicas, 1);
    assert.equal(g.spec.template.spec.containers[0]!.resources, undefined);
    // No inputs: the variable is there, without the empty value the API server would drop (no-op check).
    assert.deepEqual(
      g.spec.template.spec.containers[0]!.env.find((e) => e.name === 'INPUT_TOPICS'),
      { name: 'INPUT_TOPICS' },
    );
  });

  it("changing one process's image changes only that process's Deployment", () => {
    const a = fixture();
    const b = fixture();
    b.spec.processes[2]!.image = 'x:2';
    const da = desiredObjects({ app: a, landscape: 'l', kafka });
    const db = desiredObjects({ app: b, landscape: 'l', kafka });
    const changed = da
      .filter((o, i) => JSON.stringify(o) !== JSON.stringify(db[i]))
      .map((o) => o.metadata?.name);
    assert.deepEqual(changed, ['cdr-aggregator']);
  });

  it('prunes only our objects of this application that the spec no longer has', () => {
    const l = (app: string) => ({
      'streaming.sdm.dev/landscape': 'l',
      'streaming.sdm.dev/application': app,
    });
    const existing: KubeObject[] = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'a', namespace: 'l-x', labels: l('x') },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'gone', namespace: 'l-x', labels: l('x') },
      },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'theirs', namespace: 'l-x' } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'other', namespace: 'l-x', labels: l('y') },
      },
    ];
    const desired = [existing[0]!];
    assert.deepEqual(
      prunable(desired, existing, 'l', 'x').map((o) => o.metadata?.name),
      ['gone'],
    );
  });
});

describe('StreamingApplication checks', () => {
  it('finds nothing wrong with the fixture', () => {
    assert.deepEqual(problemsOf(fixture(), 'devawsk8s'), []);
  });

  it('refuses a namespace over 63 characters, naming its length', () => {
    const app = fixture();
    app.metadata = { name: 'x'.repeat(55), namespace: 'devawsk8s' };
    assert.deepEqual(problemsOf(app, 'devawsk8s'), [
      `the instance namespace "devawsk8s-${'x'.repeat(55)}" (<landscape>-<application>) must be a DNS label of at most 63 characters; it has 65`,
    ]);
  });

  it('refuses a name with a dot (not a namespace name)', () => {
    const app = fixture();
    app.metadata = { name: 'a.b', namespace: 'l' };
    assert.match(problemsOf(app, 'l')[0]!, /must be a DNS label/);
  });

  it('refuses duplicates and undeclared topics, each named', () => {
    const app = fixture();
    app.spec.topics.push({ ...app.spec.topics[0]! });
    app.spec.processes.push({ ...app.spec.processes[0]! });
    app.spec.processes[1]!.inputs = ['missing.in'];
    app.spec.processes[2]!.outputs = ['missing.out'];
    assert.deepEqual(problemsOf(app, 'l'), [
      'topic cdr-generator.out is declared more than once',
      'process cdr-generator is declared more than once',
      'process cdr-validator reads topic missing.in, which spec.topics does not declare',
      'process cdr-aggregator writes topic missing.out, which spec.topics does not declare',
    ]);
  });

  it("refuses a topic name longer than Kafka's limit", () => {
    const app = fixture();
    app.spec.topics.push({ name: `t.${'x'.repeat(240)}` });
    assert.match(problemsOf(app, 'l').join(), /longer than Kafka's 249 characters/);
  });
});

describe('StreamingApplication Kafka credentials and landscape', () => {
  it("copies the Secrets the landscape's KafkaConnection names, and the connection itself", () => {
    const creds: Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kafka-creds', namespace: 'l', uid: 'u' },
      type: 'Opaque',
      data: { username: 'dQ==', password: 'cA==' },
    };
    const withSasl: KafkaBinding = {
      ...kafka,
      connection: {
        bootstrapServers: 'kafka-0:9092',
        sasl: { mechanism: 'PLAIN', credentialsSecret: { name: 'kafka-creds' } },
      },
      secrets: [creds],
    };
    const objs = desiredObjects({ app: fixture(), landscape: 'l', kafka: withSasl });
    const copy = objs.find((o) => o.kind === 'Secret' && o.metadata?.name === 'kafka-creds') as Secret;
    assert.equal(copy.metadata?.namespace, 'l-call-record-aggregator');
    assert.deepEqual(copy.data, creds.data);
    const conn = objs.find((o) => o.kind === 'KafkaConnection') as KubeObject & { spec: unknown };
    assert.deepEqual(conn.spec, withSasl.connection);
  });

  it('refuses to start without a landscape, saying how to give one', () => {
    assert.throws(
      () => streamingAppEntry.register({} as never, {}, {}),
      /no landscape: set OPERATOR_NAME \(or --set streamingapp.landscape=NAMESPACE\)/,
    );
  });
});
