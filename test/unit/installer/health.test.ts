import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessHealth, type HealthStatus, type KubeObject } from '../../../src/installer/health.ts';

function expect(obj: KubeObject | null, status: HealthStatus, message?: RegExp | string) {
  const h = assessHealth(obj);
  assert.equal(h.status, status, h.message);
  if (typeof message === 'string') assert.equal(h.message, message);
  else if (message) assert.match(h.message, message);
}

// Objects below are shaped like real API server responses (trimmed).
function deploymentObj(
  status: Record<string, unknown>,
  extra: { generation?: number; replicas?: number } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kafka-operator', namespace: 'kafka', generation: extra.generation ?? 3 },
    spec: { replicas: extra.replicas ?? 2, selector: { matchLabels: { app: 'kafka-operator' } } },
    status,
  };
}

const deployConditions = (progressing: Record<string, unknown>) => [
  {
    type: 'Available',
    status: 'True',
    reason: 'MinimumReplicasAvailable',
    message: 'Deployment has minimum availability.',
  },
  { type: 'Progressing', status: 'True', ...progressing },
];

describe('generic rule', () => {
  it('waits for the controller to observe the latest generation, for any kind', () => {
    expect(
      deploymentObj({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      'InProgress',
      'Deployment kafka/kafka-operator: waiting for controller to observe generation 3 (observed 2)',
    );
    expect(
      {
        apiVersion: 'kafka.banzaicloud.io/v1beta1',
        kind: 'KafkaCluster',
        metadata: { name: 'kafka', namespace: 'kafka', generation: 5 },
        status: { observedGeneration: 4, conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'InProgress',
      /observe generation 5/,
    );
  });

  it('Stalled=True is Failed and Reconciling=True is InProgress', () => {
    const cr = (conditions: unknown[]) => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'default', generation: 1 },
      status: { observedGeneration: 1, conditions },
    });
    expect(
      cr([{ type: 'Stalled', status: 'True', reason: 'InvalidSpec', message: 'spec.size must be positive' }]),
      'Failed',
      'Widget default/w: stalled (InvalidSpec: spec.size must be positive)',
    );
    expect(cr([{ type: 'Reconciling', status: 'True', reason: 'Progressing' }]), 'InProgress', /reconciling/);
  });

  it('an object being deleted is InProgress', () => {
    expect(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'a', deletionTimestamp: '2025-01-01T00:00:00Z' },
      },
      'InProgress',
      /being deleted/,
    );
  });

  it('a missing object is NotFound, named by the ref', () => {
    const h = assessHealth(undefined, { kind: 'Deployment', namespace: 'kafka', name: 'kafka-operator' });
    assert.deepEqual(h, { status: 'NotFound', message: 'Deployment kafka/kafka-operator: not found' });
  });
});

describe('Deployment', () => {
  it('is Current when all replicas are updated and available', () => {
    expect(
      deploymentObj({
        observedGeneration: 3,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: deployConditions({ reason: 'NewReplicaSetAvailable' }),
      }),
      'Current',
    );
  });

  it('reports how many replicas are available', () => {
    expect(
      deploymentObj({
        observedGeneration: 3,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 1,
        availableReplicas: 1,
        unavailableReplicas: 1,
        conditions: deployConditions({ reason: 'ReplicaSetUpdated' }),
      }),
      'InProgress',
      'Deployment kafka/kafka-operator: 1 of 2 replicas available',
    );
  });

  it('waits for the update and for old replicas to go', () => {
    expect(
      deploymentObj({ observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }),
      'InProgress',
      /1 of 2 replicas updated/,
    );
    expect(
      deploymentObj({ observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }),
      'InProgress',
      /1 old replicas pending termination/,
    );
  });

  it('is Failed when the progress deadline is exceeded', () => {
    expect(
      deploymentObj({
        observedGeneration: 3,
        replicas: 2,
        updatedReplicas: 1,
        availableReplicas: 1,
        conditions: [
          { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "kafka-operator-5d9c" has timed out progressing.',
          },
        ],
      }),
      'Failed',
      /progress deadline.*timed out progressing/,
    );
  });

  it('is InProgress before the controller has written any status', () => {
    expect(deploymentObj({}, { generation: 1 }), 'InProgress', /observe generation 1/);
  });

  it('scaled to zero is Current', () => {
    expect(deploymentObj({ observedGeneration: 3 }, { replicas: 0 }), 'Current');
  });
});

describe('StatefulSet', () => {
  const sts = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'zookeeper', namespace: 'zookeeper', generation: 2 },
    spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate' }, ...spec },
    status: { observedGeneration: 2, ...status },
  });
  const done = {
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    currentRevision: 'zookeeper-7b9f',
    updateRevision: 'zookeeper-7b9f',
  };

  it('is Current when all replicas are ready at the update revision', () => {
    expect(sts(done), 'Current', 'StatefulSet zookeeper/zookeeper: 3 of 3 replicas ready');
  });

  it('waits for replicas to be ready', () => {
    expect(sts({ ...done, readyReplicas: 2 }), 'InProgress', /2 of 3 replicas ready/);
    expect(sts({ ...done, replicas: 1, readyReplicas: 1 }), 'InProgress', /1 of 3 replicas created/);
  });

  it('waits for a rolling update to reach every replica', () => {
    expect(
      sts({ ...done, updatedReplicas: 1, currentReplicas: 2, updateRevision: 'zookeeper-86c4' }),
      'InProgress',
      /1 of 3 replicas updated/,
    );
    expect(
      sts({ ...done, currentReplicas: 0, updateRevision: 'zookeeper-86c4' }),
      'InProgress',
      /rolling update to revision zookeeper-86c4/,
    );
  });

  it('with a partition, only replicas above it must be updated', () => {
    const spec = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } };
    expect(
      sts({ ...done, updatedReplicas: 1, updateRevision: 'zookeeper-86c4' }, spec),
      'Current',
      /partitioned rollout complete/,
    );
    expect(sts({ ...done, updatedReplicas: 0, updateRevision: 'zookeeper-86c4' }, spec), 'InProgress');
  });

  it('with OnDelete, ready replicas are enough', () => {
    expect(
      sts(
        { ...done, updatedReplicas: 0, updateRevision: 'zookeeper-86c4' },
        { updateStrategy: { type: 'OnDelete' } },
      ),
      'Current',
    );
  });
});

describe('DaemonSet', () => {
  const ds = (status: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-exporter', namespace: 'monitoring', generation: 1 },
    status: { observedGeneration: 1, ...status },
  });
  const done = {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    updatedNumberScheduled: 3,
    numberAvailable: 3,
    numberReady: 3,
    numberMisscheduled: 0,
  };
  it('is Current when every desired pod is updated and available', () => {
    expect(ds(done), 'Current');
  });
  it('waits for updates and availability', () => {
    expect(ds({ ...done, updatedNumberScheduled: 2 }), 'InProgress', /2 of 3 pods updated/);
    expect(ds({ ...done, numberAvailable: 1, numberReady: 1 }), 'InProgress', /1 of 3 pods available/);
  });
  it('waits while the controller has not computed desiredNumberScheduled', () => {
    expect(ds({}), 'InProgress', /schedule/);
  });
});

describe('ReplicaSet', () => {
  const rs = (status: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d9c', namespace: 'default', generation: 1 },
    spec: { replicas: 2 },
    status: { observedGeneration: 1, ...status },
  });
  it('is Current with all replicas available', () => {
    expect(rs({ replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2 }), 'Current');
  });
  it('reports readiness and replica failures', () => {
    expect(
      rs({ replicas: 2, readyReplicas: 1, availableReplicas: 1 }),
      'InProgress',
      /1 of 2 replicas ready/,
    );
    expect(
      rs({
        replicas: 0,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message: 'pods "web-5d9c-x" is forbidden: exceeded quota: compute',
          },
        ],
      }),
      'InProgress',
      /cannot create replicas \(FailedCreate: .*exceeded quota/,
    );
  });
});

describe('Pod', () => {
  const podObj = (status: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kafka-0', namespace: 'kafka' },
    status,
  });
  it('Running and Ready is Current; Succeeded is Current', () => {
    expect(
      podObj({
        phase: 'Running',
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'True' },
          { type: 'ContainersReady', status: 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
        containerStatuses: [
          {
            name: 'kafka',
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
          },
        ],
      }),
      'Current',
    );
    expect(podObj({ phase: 'Succeeded' }), 'Current', /completed/);
  });

  it('Running but not Ready is InProgress', () => {
    expect(
      podObj({
        phase: 'Running',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'ContainersNotReady',
            message: 'containers with unready status: [kafka]',
          },
        ],
      }),
      'InProgress',
      /not ready \(ContainersNotReady/,
    );
  });

  it('CrashLoopBackOff and ImagePullBackOff are Failed, naming the container', () => {
    expect(
      podObj({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [
          {
            name: 'kafka',
            ready: false,
            restartCount: 6,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 5m0s restarting failed container=kafka pod=kafka-0',
              },
            },
          },
        ],
      }),
      'Failed',
      /^Pod kafka\/kafka-0: container kafka is in CrashLoopBackOff: back-off/,
    );
    expect(
      podObj({
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'init-config',
            ready: false,
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                message: 'Back-off pulling image "ghcr.io/example/init:v9"',
              },
            },
          },
        ],
      }),
      'Failed',
      /container init-config is in ImagePullBackOff/,
    );
  });

  it('Failed phase is Failed; unschedulable Pending is InProgress', () => {
    expect(
      podObj({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
      'Failed',
      /Evicted/,
    );
    expect(
      podObj({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu.',
          },
        ],
      }),
      'InProgress',
      /not scheduled yet \(Unschedulable: 0\/3 nodes/,
    );
  });
});

describe('Job', () => {
  const jobObj = (status: Record<string, unknown>) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'kafka', generation: 1 },
    spec: { completions: 1, backoffLimit: 3 },
    status,
  });
  it('Complete is Current', () => {
    expect(
      jobObj({
        succeeded: 1,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True' },
          { type: 'Complete', status: 'True' },
        ],
      }),
      'Current',
      /complete, 1 of 1 succeeded/,
    );
  });
  it('Failed is Failed', () => {
    expect(
      jobObj({
        failed: 4,
        conditions: [
          { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' },
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      }),
      'Failed',
      /failed after 4 failed pods \(BackoffLimitExceeded/,
    );
  });
  it('running is InProgress', () => {
    expect(jobObj({ active: 1 }), 'InProgress', /1 active/);
  });
});

describe('CustomResourceDefinition', () => {
  const crdObj = (conditions: unknown[]) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'kafkaclusters.kafka.banzaicloud.io', generation: 1 },
    status: { conditions, acceptedNames: { kind: 'KafkaCluster', plural: 'kafkaclusters' } },
  });
  it('needs Established and NamesAccepted', () => {
    expect(
      crdObj([
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted' },
      ]),
      'Current',
      'CustomResourceDefinition kafkaclusters.kafka.banzaicloud.io: established',
    );
    expect(
      crdObj([
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
        { type: 'Established', status: 'False', reason: 'Installing' },
      ]),
      'InProgress',
      /not established yet/,
    );
    expect(crdObj([]), 'InProgress');
  });
  it('a name conflict is Failed', () => {
    expect(
      crdObj([
        {
          type: 'NamesAccepted',
          status: 'False',
          reason: 'KindConflict',
          message: '"KafkaCluster" is already in use',
        },
        { type: 'Established', status: 'False', reason: 'NotAccepted' },
      ]),
      'Failed',
      /KindConflict/,
    );
  });
});

describe('Service, PVC, Namespace, PDB', () => {
  it('a LoadBalancer Service needs an ingress address, other types are Current', () => {
    const svc = (type: string, status: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kafka-external', namespace: 'kafka' },
      spec: { type, ports: [{ port: 9094 }] },
      status,
    });
    expect(svc('LoadBalancer', { loadBalancer: {} }), 'InProgress', /external address/);
    expect(
      svc('LoadBalancer', { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } }),
      'Current',
      /172\.18\.255\.200/,
    );
    expect(svc('ClusterIP', { loadBalancer: {} }), 'Current');
    expect(svc('NodePort', {}), 'Current');
  });

  it('a PVC must be Bound', () => {
    const claim = (phase: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-kafka-0', namespace: 'kafka' },
      status: { phase },
    });
    expect(claim('Bound'), 'Current');
    expect(claim('Pending'), 'InProgress', /not bound/);
    expect(claim('Lost'), 'Failed');
  });

  it('a Namespace must be Active', () => {
    const ns = (phase: string) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kafka' },
      status: { phase },
    });
    expect(ns('Active'), 'Current', 'Namespace kafka: active');
    expect(ns('Terminating'), 'InProgress', /being deleted/);
  });

  it('a PDB needs currentHealthy >= desiredHealthy once observed', () => {
    const pdb = (status: Record<string, unknown>) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'kafka-pdb', namespace: 'kafka', generation: 1 },
      spec: { minAvailable: 2 },
      status,
    });
    expect(
      pdb({
        observedGeneration: 1,
        currentHealthy: 3,
        desiredHealthy: 2,
        disruptionsAllowed: 1,
        expectedPods: 3,
      }),
      'Current',
    );
    expect(
      pdb({ observedGeneration: 1, currentHealthy: 1, desiredHealthy: 2, expectedPods: 3 }),
      'InProgress',
      /1 healthy pods, 2 required/,
    );
    expect(pdb({}), 'InProgress', /observe generation 1/);
  });
});

describe('objects without status and custom resources', () => {
  it('Secrets, ConfigMaps, RBAC and ServiceAccounts are Current', () => {
    for (const [apiVersion, kind] of [
      ['v1', 'Secret'],
      ['v1', 'ConfigMap'],
      ['v1', 'ServiceAccount'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ]) {
      expect({ apiVersion, kind, metadata: { name: 'x', namespace: 'kafka' } }, 'Current');
    }
  });

  it('custom resources follow their Ready condition', () => {
    const cr = (ready?: Record<string, unknown>) => ({
      apiVersion: 'servicemesh.cisco.com/v1alpha1',
      kind: 'IstioControlPlane',
      metadata: { name: 'sdm-icp-v115x', namespace: 'istio-system', generation: 2 },
      status: { observedGeneration: 2, ...(ready ? { conditions: [ready] } : {}) },
    });
    expect(cr({ type: 'Ready', status: 'True', reason: 'Available' }), 'Current');
    expect(
      cr({ type: 'Ready', status: 'False', reason: 'Reconciling', message: 'istiod is not available yet' }),
      'InProgress',
      'IstioControlPlane istio-system/sdm-icp-v115x: not ready (Reconciling: istiod is not available yet)',
    );
    expect(cr({ type: 'Ready', status: 'Unknown' }), 'InProgress');
    expect(
      cr({ type: 'Ready', status: 'True', observedGeneration: 1 }),
      'InProgress',
      /generation 1, waiting for 2/,
    );
    expect(cr(), 'Current', /no readiness condition/);
  });

  it('a custom kind named like a built-in is not judged by the built-in rule', () => {
    expect(
      {
        apiVersion: 'example.com/v1',
        kind: 'Deployment',
        metadata: { name: 'd', namespace: 'x' },
        spec: { replicas: 5 },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'Current',
    );
  });

  it('a List item without apiVersion/kind is judged by the ref', () => {
    const item = { metadata: { name: 'kafka-0', namespace: 'kafka' }, status: { phase: 'Pending' } };
    const h = assessHealth(item, { apiVersion: 'v1', kind: 'Pod' });
    assert.equal(h.status, 'InProgress');
    assert.match(h.message, /^Pod kafka\/kafka-0: phase Pending/);
  });
});
