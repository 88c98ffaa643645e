// `sdm app list` and `sdm app status` output as pure functions of the objects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamingApplication } from '../../../src/apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import { formatList, formatStatus } from '../../../src/cli/app.ts';

const app = (name: string, status?: StreamingApplication['status']): StreamingApplication => ({
  apiVersion: 'streaming.sdm.dev/v1alpha1',
  kind: 'StreamingApplication',
  metadata: { name, namespace: 'l', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    kafkaCluster: 'k',
    topics: [{ name: 'gen.out' }],
    processes: [
      { name: 'gen', image: 'g:1', outputs: ['gen.out'] },
      { name: 'val', image: 'v:1', replicas: 2, inputs: ['gen.out'] },
    ],
  },
  ...(status ? { status } : {}),
});
const now = Date.parse('2026-01-01T00:05:00Z');

describe('sdm app', () => {
  it('lists PHASE, PODS, LAG, AGE like kubectl get, and says when there is nothing', () => {
    const out = formatList(
      [
        app('a', { phase: 'Available', readyPods: '3/3', lag: 12, observedGeneration: 2 }),
        app('b', { phase: 'Failed', reason: 'x', observedGeneration: 2 }),
      ],
      now,
    );
    assert.equal(
      out,
      'NAME  PHASE      PODS  LAG  AGE\na     Available  3/3   12   5m\nb     Failed                5m\n',
    );
    assert.equal(formatList([], now), 'No streaming applications found.\n');
    assert.match(formatList([app('a')], now, true), /^NAMESPACE {2}NAME/);
  });

  it('shows phase, reason, processes with ready/desired and lag, topics and pods', () => {
    const out = formatStatus(
      app('a', {
        phase: 'Failed',
        reason: 'Kafka cluster k is unreachable',
        observedGeneration: 2,
        namespace: 'l-a',
        lag: 7,
        pods: ['gen-1', 'val-1'],
        processes: [
          { name: 'gen', replicas: 1, readyReplicas: 1, consumerGroup: 'a.gen', lag: 0 },
          { name: 'val', replicas: 2, readyReplicas: 1, consumerGroup: 'a.val', lag: 7 },
        ],
        topics: [
          { name: 'gen.out', topicName: 'a.gen.out', ready: false, message: 'KafkaUnreachable: down' },
        ],
      }),
    );
    assert.match(out, /Phase:\s+Failed\n/);
    assert.match(out, /Reason:\s+Kafka cluster k is unreachable/);
    assert.match(out, /val\s+1\/2\s+7\s+a\.val\s+v:1/);
    assert.match(out, /a\.gen\.out\s+False\s+KafkaUnreachable: down/);
    assert.match(out, /Pods \(2 running\):\n {2}gen-1\n {2}val-1\n$/);
  });

  it('says when the status is of an older generation or not there yet', () => {
    assert.match(
      formatStatus(app('a', { phase: 'Available', observedGeneration: 1 })),
      /status of generation 1, spec is 2/,
    );
    assert.match(formatStatus(app('a')), /Phase:\s+\(not yet reconciled\)/);
  });
});
