import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImagePullSecret } from '../../../src/apis/images.banzaicloud.io/v1alpha1/imagepullsecret.ts';
import {
  desiredSecret,
  dockerConfigJson,
  matchSelector,
  mergeAuths,
  OWNER_LABEL,
  planSecrets,
  refreshAt,
  summarize,
  targetNamespaces,
} from '../../../src/controllers/imagepullsecrets/desired.ts';
import type { Namespace, Secret } from '../../../src/kube/index.ts';

const UID = 'uid-1';

function imps(target: ImagePullSecret['spec']['target']): ImagePullSecret {
  return {
    apiVersion: 'images.banzaicloud.io/v1alpha1',
    kind: 'ImagePullSecret',
    metadata: { name: 'imps', uid: UID },
    spec: { registry: { credentials: [] }, target },
  };
}

const ns = (
  name: string,
  labels?: Record<string, string>,
  annotations?: Record<string, string>,
): Namespace => ({
  metadata: { name, labels, annotations },
});
const pod = (namespace: string, labels: Record<string, string>) => ({
  metadata: { name: 'p', namespace, labels },
});
const secretName = { name: 'registry-creds' };

describe('matchSelector', () => {
  it('matches labels and expressions like Kubernetes does', () => {
    const labels = { team: 'a', tier: 'web' };
    assert.equal(matchSelector({}, labels, undefined), true);
    assert.equal(matchSelector({}, labels, { team: 'a' }), true);
    assert.equal(matchSelector({}, labels, { team: 'b' }), false);
    const expr = (operator: string, values?: string[]) => ({
      matchExpressions: [{ key: 'tier', operator, values }],
    });
    assert.equal(matchSelector(expr('In', ['web', 'db']), labels, undefined), true);
    assert.equal(matchSelector(expr('In', ['db']), labels, undefined), false);
    assert.equal(matchSelector(expr('NotIn', ['db']), labels, undefined), true);
    assert.equal(matchSelector(expr('NotIn', ['web']), labels, undefined), false);
    assert.equal(matchSelector(expr('Exists'), labels, undefined), true);
    assert.equal(matchSelector(expr('DoesNotExist'), labels, undefined), false);
    assert.equal(matchSelector(expr('Bogus'), labels, undefined), false);
  });
});

describe('targetNamespaces', () => {
  const namespaces = [
    ns('by-name'),
    ns('by-label', { 'imps.banzaicloud.io/target': 'true' }),
    ns('by-annotation', undefined, { 'example.com/pull': 'yes' }),
    ns('with-pod'),
    ns('nothing', { 'imps.banzaicloud.io/target': 'false' }),
    {
      metadata: { name: 'terminating', labels: { 'imps.banzaicloud.io/target': 'true' } },
      status: { phase: 'Terminating' },
    },
  ];

  it('ORs names, label selectors, annotation selectors and pods, skipping terminating namespaces', () => {
    const i = imps({
      secret: secretName,
      namespaces: {
        names: ['by-name', 'does-not-exist'],
        labels: [{ matchLabels: { 'imps.banzaicloud.io/target': 'true' } }],
        annotations: [{ matchAnnotations: { 'example.com/pull': 'yes' } }],
      },
      namespacesWithPods: { labels: [{ matchLabels: { app: 'kafka' } }] },
    });
    const pods = [pod('with-pod', { app: 'kafka' }), pod('nothing', { app: 'other' })];
    assert.deepEqual(targetNamespaces(i, namespaces, pods), [
      'by-annotation',
      'by-label',
      'by-name',
      'with-pod',
    ]);
  });

  it('targets nothing without selectors (an empty list is not "everything")', () => {
    assert.deepEqual(targetNamespaces(imps({ secret: secretName }), namespaces), []);
    assert.deepEqual(targetNamespaces(imps({ secret: secretName, namespaces: {} }), namespaces), []);
  });

  it('ignores pods when namespacesWithPods is not set', () => {
    const i = imps({ secret: secretName, namespaces: { names: ['by-name'] } });
    assert.deepEqual(targetNamespaces(i, namespaces, [pod('with-pod', { app: 'kafka' })]), ['by-name']);
  });
});

describe('merging auths', () => {
  it('keeps the first source for a registry and sorts registries for stable bytes', () => {
    const merged = mergeAuths([{ 'b.io': { auth: '1' } }, { 'a.io': { auth: '2' }, 'b.io': { auth: '3' } }]);
    assert.equal(dockerConfigJson(merged), '{"auths":{"a.io":{"auth":"2"},"b.io":{"auth":"1"}}}');
  });
});

describe('planSecrets', () => {
  const i = imps({
    secret: { name: 'registry-creds', labels: { extra: 'x' } },
    namespaces: { names: ['a', 'b'] },
  });
  const json = dockerConfigJson({ 'r.io': { auth: 'x' } });
  const ours = (namespace: string, name = 'registry-creds', data = json): Secret => {
    const s = desiredSecret(i, namespace, data);
    return { ...s, metadata: { ...s.metadata, uid: `s-${namespace}-${name}`, name, resourceVersion: '7' } };
  };

  it('creates the Secret in every target namespace, labelled with the owner UID and owned by it', () => {
    const plan = planSecrets(i, ['a', 'b'], [], json);
    assert.deepEqual(
      plan.create.map((s) => s.metadata?.namespace),
      ['a', 'b'],
    );
    const s = plan.create[0]!;
    assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
    assert.equal(s.metadata?.labels?.[OWNER_LABEL], UID);
    assert.equal(s.metadata?.labels?.extra, 'x');
    assert.equal(s.metadata?.ownerReferences?.[0]?.uid, UID);
    assert.equal(Buffer.from(s.data?.['.dockerconfigjson'] ?? '', 'base64').toString(), json);
  });

  it('writes nothing when everything is up to date', () => {
    const plan = planSecrets(i, ['a', 'b'], [ours('a'), ours('b')], json);
    assert.deepEqual(plan, { create: [], update: [], delete: [], conflicts: [] });
  });

  it('updates changed data, keeping the resourceVersion and labels others added', () => {
    const stale = ours('a', 'registry-creds', dockerConfigJson({}));
    stale.metadata!.labels = { ...stale.metadata!.labels, 'someone.else/label': 'kept' };
    const plan = planSecrets(i, ['a'], [stale], json);
    assert.equal(plan.update.length, 1);
    assert.equal(plan.update[0]!.metadata?.resourceVersion, '7');
    assert.equal(plan.update[0]!.metadata?.labels?.['someone.else/label'], 'kept');
  });

  it('never touches a Secret of the target name that it did not write', () => {
    const foreign: Secret = {
      metadata: { name: 'registry-creds', namespace: 'b', uid: 'x' },
      type: 'Opaque',
    };
    const plan = planSecrets(i, ['a', 'b'], [foreign], json);
    assert.deepEqual(plan.conflicts, ['b']);
    assert.deepEqual(
      plan.create.map((s) => s.metadata?.namespace),
      ['a'],
    );
    assert.deepEqual(plan.delete, []);
    assert.deepEqual(plan.update, []);
  });

  it('deletes its Secrets in namespaces that stopped matching and under an old name', () => {
    const plan = planSecrets(i, ['a'], [ours('a'), ours('gone'), ours('a', 'old-name')], json);
    assert.deepEqual(plan.delete, [
      { namespace: 'gone', name: 'registry-creds', uid: 's-gone-registry-creds' },
      { namespace: 'a', name: 'old-name', uid: 's-a-old-name' },
    ]);
  });

  it('leaves the last good Secrets in place when no credential is available', () => {
    const plan = planSecrets(i, ['a', 'b'], [ours('a')], undefined);
    assert.deepEqual(plan, { create: [], update: [], delete: [], conflicts: [] });
  });
});

describe('refresh and status', () => {
  it('refreshes at half the validity', () => {
    assert.equal(refreshAt(1000, 1000 + 12 * 3600_000), 1000 + 6 * 3600_000);
  });

  it('is Ready when all sources work, Failed naming the broken source otherwise, with the earliest expiry', () => {
    const now = 1_000_000;
    const ok = summarize(
      [
        { key: 'ns/docker', auths: {} },
        { key: 'ns/ecr', auths: {}, expiresAt: now + 60_000 },
      ],
      [],
      'registry-creds',
      now,
    );
    assert.deepEqual(ok, {
      status: 'Ready',
      reason: '',
      sourceSecretStatus: { 'ns/docker': 'Ok', 'ns/ecr': 'Ok' },
      validitySeconds: 60,
    });
    const failed = summarize(
      [
        { key: 'ns/docker', auths: {} },
        { key: 'ns/ecr', error: 'ECR GetAuthorizationToken failed: denied' },
      ],
      ['team-x'],
      'registry-creds',
      now,
    );
    assert.equal(failed.status, 'Failed');
    assert.match(failed.reason, /source ns\/ecr: ECR GetAuthorizationToken failed: denied/);
    assert.match(failed.reason, /team-x/);
    assert.equal(failed.sourceSecretStatus['ns/docker'], 'Ok');
    assert.equal(failed.validitySeconds, undefined);
  });
});
