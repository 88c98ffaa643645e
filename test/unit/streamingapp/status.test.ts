// Seed 004's status fields as a pure function of what was observed, and the
// lag arithmetic (end offsets against committed offsets).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KafkaTopic } from '../../../src/apis/kafka.strimzi.io/schema.ts';
import type { StreamingApplication } from '../../../src/apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import {
  lagByProcess,
  type ObservedDeployment,
  type ObservedPod,
  type Offsets,
  statusFor,
} from '../../../src/controllers/streamingapp/index.ts';

const app: StreamingApplication = {
  apiVersion: 'streaming.sdm.dev/v1alpha1',
  kind: 'StreamingApplication',
  metadata: { name: 'app', namespace: 'l', generation: 3 },
  spec: {
    kafkaCluster: 'k',
    topics: [{ name: 'gen.out' }],
    processes: [
      { name: 'gen', image: 'g', outputs: ['gen.out'] },
      { name: 'val', image: 'v', replicas: 2, inputs: ['gen.out'] },
    ],
  },
};
const dep = (
  name: string,
  n: number,
  ready = n,
  extra: Partial<ObservedDeployment['status']> = {},
): ObservedDeployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'l-app', generation: 1 },
  status: {
    observedGeneration: 1,
    replicas: n,
    readyReplicas: ready,
    updatedReplicas: n,
    availableReplicas: ready,
    ...extra,
  },
});
const pod = (name: string, process: string, phase = 'Running'): ObservedPod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'l-app', labels: { 'streaming.sdm.dev/process': process } },
  status: { phase },
});
const topic = (status: 'True' | 'False' | undefined, reason = 'TopicReady', message = ''): KafkaTopic => ({
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaTopic',
  metadata: { name: 'app.gen.out', namespace: 'l-app', generation: 1 },
  spec: { topicName: 'app.gen.out' },
  ...(status
    ? {
        status: {
          observedGeneration: 1,
          partitions: 1,
          conditions: [
            { type: 'Ready', status, reason, message, lastTransitionTime: '2026-01-01T00:00:00Z' },
          ],
        },
      }
    : {}),
});
const healthy = {
  deployments: [dep('gen', 1), dep('val', 2)],
  pods: [
    pod('val-2', 'val'),
    pod('gen-1', 'gen'),
    pod('val-1', 'val'),
    pod('old', 'gone'),
    pod('p', 'val', 'Pending'),
  ],
  topics: [topic('True')],
  lag: new Map([
    ['gen', 0],
    ['val', 5],
  ]),
};

describe('StreamingApplication status', () => {
  it('is Available with the running pods, ready/desired replicas, lag, and no reason', () => {
    assert.deepEqual(statusFor(app, 'l', healthy), {
      phase: 'Available',
      observedGeneration: 3,
      pods: ['gen-1', 'val-1', 'val-2'],
      namespace: 'l-app',
      readyPods: '3/3',
      lag: 5,
      processes: [
        { name: 'gen', replicas: 1, readyReplicas: 1, consumerGroup: 'app.gen', lag: 0 },
        { name: 'val', replicas: 2, readyReplicas: 2, consumerGroup: 'app.val', lag: 5 },
      ],
      topics: [{ name: 'gen.out', topicName: 'app.gen.out', ready: true }],
    });
  });

  it('is Processing while a Deployment is not ready, not rolled out, or missing, or a topic has no status', () => {
    for (const o of [
      { ...healthy, deployments: [dep('gen', 1), dep('val', 2, 1)] },
      {
        ...healthy,
        deployments: [dep('gen', 1), { ...dep('val', 2), metadata: { name: 'val', generation: 2 } }],
      },
      { ...healthy, deployments: [dep('gen', 1)] },
      { ...healthy, topics: [topic(undefined)] },
    ]) {
      const s = statusFor(app, 'l', o);
      assert.equal(s.phase, 'Processing');
      assert.equal(s.reason, undefined);
    }
  });

  it('is Failed with the reason when the app cannot run, a topic failed or a rollout is stuck', () => {
    assert.deepEqual(
      (({ phase, reason }) => ({ phase, reason }))(
        statusFor(app, 'l', { ...healthy, problem: 'unknown Kafka cluster k' }),
      ),
      { phase: 'Failed', reason: 'unknown Kafka cluster k' },
    );
    const t = statusFor(app, 'l', { ...healthy, topics: [topic('False', 'KafkaError', 'policy violation')] });
    assert.equal(t.phase, 'Failed');
    assert.equal(t.reason, 'topic app.gen.out: KafkaError: policy violation');
    const stuck = dep('val', 2, 1, {
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'exceeded its progress deadline',
        },
      ],
    });
    const d = statusFor(app, 'l', { ...healthy, deployments: [dep('gen', 1), stuck] });
    assert.equal(d.phase, 'Failed');
    assert.equal(d.reason, 'process val: exceeded its progress deadline');
  });

  it('leaves lag out when Kafka did not answer', () => {
    const s = statusFor(app, 'l', { ...healthy, lag: undefined, problem: 'Kafka cluster k is unreachable' });
    assert.equal(s.lag, undefined);
    assert.ok(s.processes?.every((p) => p.lag === undefined));
  });
});

describe('consumer lag', () => {
  const q = {
    processes: [
      { name: 'a', group: 'app.a', inputs: ['t1', 't2'] },
      { name: 'b', group: 'app.b', inputs: ['t1'] },
      { name: 'gen', group: 'app.gen', inputs: [] },
    ],
    partitions: new Map([
      ['t1', 2],
      ['t2', 1],
    ]),
  };
  const ends: Offsets = new Map([
    [
      't1',
      new Map([
        [0, 10n],
        [1, 4n],
      ]),
    ],
    ['t2', new Map([[0, 7n]])],
  ]);

  it('sums end minus committed over the partitions of every input topic', () => {
    const committed = new Map<string, Offsets>([
      [
        'app.a',
        new Map([
          [
            't1',
            new Map([
              [0, 6n],
              [1, 4n],
            ]),
          ],
          ['t2', new Map([[0, 7n]])],
        ]),
      ],
    ]);
    assert.deepEqual(
      [...lagByProcess(q, ends, committed)],
      [
        ['a', 4],
        ['b', 14], // nothing committed: the whole topic
        ['gen', 0],
      ],
    );
  });

  it('counts a partition without a commit (-1) from the start, and never below 0', () => {
    const committed = new Map<string, Offsets>([
      [
        'app.b',
        new Map([
          [
            't1',
            new Map([
              [0, -1n],
              [1, 9n],
            ]),
          ],
        ]),
      ],
    ]);
    assert.equal(lagByProcess(q, ends, committed).get('b'), 10);
  });
});
