import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterFeature } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/clusterfeature.ts';
import type {
  ResourceSyncRule,
  SyncRuleMatch,
} from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { gjsonGet, gjsonString } from '../../../src/controllers/clusterregistry/gjson.ts';
import {
  clusterFeaturesMatch,
  matchEntryMatches,
  matchingRules,
  matchListMatches,
} from '../../../src/controllers/clusterregistry/match.ts';
import type { Unstructured } from '../../../src/controllers/clusterregistry/types.ts';

const obj: Unstructured = {
  apiVersion: 'kafka.banzaicloud.io/v1beta1',
  kind: 'KafkaCluster',
  metadata: {
    name: 'kafka',
    namespace: 'kafka',
    labels: { app: 'kafka', tier: 'data', 'app.kubernetes.io/name': 'kafka' },
    annotations: { owner: 'team-a', 'sdm.io/sync': 'yes' },
  },
  spec: {
    replicas: 3,
    ratio: 0.5,
    enabled: true,
    nothing: null,
    brokers: [
      { id: 0, name: 'b0' },
      { id: 1, name: 'b1' },
    ],
    nested: { a: { b: 'c' } },
  },
};

const clusterScoped: Unstructured = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'reader', labels: { app: 'kafka' } },
};

describe('gjson paths', () => {
  const cases: Array<[string, string]> = [
    ['metadata.name', 'kafka'],
    ['metadata.labels.app', 'kafka'],
    ['metadata.labels.app\\.kubernetes\\.io/name', 'kafka'],
    ['spec.replicas', '3'],
    ['spec.ratio', '0.5'],
    ['spec.enabled', 'true'],
    ['spec.nothing', ''],
    ['spec.missing', ''],
    ['spec.brokers.1.name', 'b1'],
    ['spec.brokers.5.name', ''],
    ['spec.brokers.#', '2'],
    ['spec.brokers.#.name', '["b0","b1"]'],
    ['spec.nested', '{"a":{"b":"c"}}'],
    ['spec.nest*.a.b', 'c'],
    ['spec.n?sted.a.b', 'c'],
    ['metadata.name.x', ''],
  ];
  for (const [path, want] of cases) {
    it(`${path} => ${JSON.stringify(want)}`, () => {
      assert.equal(gjsonString(gjsonGet(obj, path)), want);
    });
  }

  it('prints numbers the way Go does, never with an exponent', () => {
    assert.equal(gjsonString({ exists: true, value: 1e-7 }), '0.0000001');
    assert.equal(gjsonString({ exists: true, value: 1.5e21 }), '1500000000000000000000');
  });
});

describe('match entries', () => {
  const cases: Array<[string, SyncRuleMatch, Unstructured, boolean]> = [
    ['empty entry', {}, obj, true],
    ['objectKey name', { objectKey: { name: 'kafka' } }, obj, true],
    ['objectKey wrong name', { objectKey: { name: 'other' } }, obj, false],
    ['objectKey name+namespace', { objectKey: { name: 'kafka', namespace: 'kafka' } }, obj, true],
    ['objectKey wrong namespace', { objectKey: { name: 'kafka', namespace: 'default' } }, obj, false],
    ['objectKey Go field names', { objectKey: { Name: 'kafka', Namespace: 'kafka' } }, obj, true],
    ['namespaces hit', { namespaces: ['default', 'kafka'] }, obj, true],
    ['namespaces miss', { namespaces: ['default'] }, obj, false],
    ['namespaces ignored for cluster-scoped', { namespaces: ['default'] }, clusterScoped, true],
    ['matchLabels', { labels: [{ matchLabels: { app: 'kafka' } }] }, obj, true],
    ['matchLabels all must hold', { labels: [{ matchLabels: { app: 'kafka', tier: 'web' } }] }, obj, false],
    [
      'label selectors are ORed',
      { labels: [{ matchLabels: { tier: 'web' } }, { matchLabels: { tier: 'data' } }] },
      obj,
      true,
    ],
    ['empty label selector selects all', { labels: [{}] }, obj, true],
    [
      'In',
      { labels: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['data', 'x'] }] }] },
      obj,
      true,
    ],
    [
      'In miss',
      { labels: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['x'] }] }] },
      obj,
      false,
    ],
    [
      'In absent key',
      { labels: [{ matchExpressions: [{ key: 'no', operator: 'In', values: ['x'] }] }] },
      obj,
      false,
    ],
    [
      'NotIn',
      { labels: [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }] },
      obj,
      true,
    ],
    [
      'NotIn absent key',
      { labels: [{ matchExpressions: [{ key: 'no', operator: 'NotIn', values: ['x'] }] }] },
      obj,
      true,
    ],
    [
      'NotIn miss',
      { labels: [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['data'] }] }] },
      obj,
      false,
    ],
    ['Exists', { labels: [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }] }, obj, true],
    ['Exists miss', { labels: [{ matchExpressions: [{ key: 'no', operator: 'Exists' }] }] }, obj, false],
    [
      'DoesNotExist',
      { labels: [{ matchExpressions: [{ key: 'no', operator: 'DoesNotExist' }] }] },
      obj,
      true,
    ],
    [
      'DoesNotExist miss',
      { labels: [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }] },
      obj,
      false,
    ],
    [
      'In without values is invalid',
      { labels: [{ matchExpressions: [{ key: 'app', operator: 'In' }] }] },
      obj,
      false,
    ],
    [
      'unknown operator',
      { labels: [{ matchExpressions: [{ key: 'app', operator: JSON.parse('"Gt"'), values: ['1'] }] }] },
      obj,
      false,
    ],
    [
      'matchLabels AND matchExpressions',
      {
        labels: [
          {
            matchLabels: { app: 'kafka' },
            matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }],
          },
        ],
      },
      obj,
      false,
    ],
    ['matchAnnotations', { annotations: [{ matchAnnotations: { owner: 'team-a' } }] }, obj, true],
    ['matchAnnotations miss', { annotations: [{ matchAnnotations: { owner: 'team-b' } }] }, obj, false],
    [
      'annotation selectors are ORed',
      {
        annotations: [
          { matchAnnotations: { owner: 'team-b' } },
          { matchExpressions: [{ key: 'sdm.io/sync', operator: 'Exists' }] },
        ],
      },
      obj,
      true,
    ],
    ['content', { content: [{ key: 'spec.replicas', value: 3 }] }, obj, true],
    ['content as string', { content: [{ key: 'spec.replicas', value: '3' }] }, obj, true],
    [
      'content all must hold',
      {
        content: [
          { key: 'spec.replicas', value: 3 },
          { key: 'kind', value: 'Foo' },
        ],
      },
      obj,
      false,
    ],
    ['content list count', { content: [{ key: 'spec.brokers.#', value: 2 }] }, obj, true],
    ['content list item', { content: [{ key: 'spec.brokers.0.name', value: 'b0' }] }, obj, true],
    ['content missing equals empty', { content: [{ key: 'spec.nope', value: '' }] }, obj, true],
    [
      'every field of an entry must hold',
      {
        namespaces: ['kafka'],
        labels: [{ matchLabels: { app: 'kafka' } }],
        content: [{ key: 'spec.enabled', value: 'false' }],
      },
      obj,
      false,
    ],
    [
      'every field of an entry holds',
      {
        objectKey: { name: 'kafka' },
        namespaces: ['kafka'],
        labels: [{ matchLabels: { app: 'kafka' } }],
        annotations: [{ matchAnnotations: { owner: 'team-a' } }],
        content: [{ key: 'spec.enabled', value: 'true' }],
      },
      obj,
      true,
    ],
  ];
  for (const [title, entry, o, want] of cases) {
    it(`${title}: ${want}`, () => {
      assert.equal(matchEntryMatches(entry, o), want);
    });
  }

  it('entries are ORed; no entries match everything', () => {
    assert.equal(matchListMatches([], obj), true);
    assert.equal(matchListMatches(undefined, obj), true);
    assert.equal(matchListMatches([{ namespaces: ['x'] }, { namespaces: ['kafka'] }], obj), true);
    assert.equal(matchListMatches([{ namespaces: ['x'] }, { namespaces: ['y'] }], obj), false);
  });

  it('an explicit clusterScoped option overrides the guess from the namespace', () => {
    assert.equal(matchEntryMatches({ namespaces: ['x'] }, obj, { clusterScoped: true }), true);
  });
});

describe('clusterFeaturesMatch', () => {
  const feature = (name: string, featureName: string, labels?: Record<string, string>): ClusterFeature => ({
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ClusterFeature',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { featureName },
  });
  const features = [feature('f1', 'kafka-source', { env: 'prod' }), feature('f2', 'zk')];

  it('no entries: every peer is eligible', () => {
    assert.equal(clusterFeaturesMatch(undefined, []), true);
  });
  it('every entry needs a feature', () => {
    assert.equal(
      clusterFeaturesMatch([{ featureName: 'kafka-source' }, { featureName: 'zk' }], features),
      true,
    );
    assert.equal(
      clusterFeaturesMatch([{ featureName: 'kafka-source' }, { featureName: 'nope' }], features),
      false,
    );
  });
  it('the feature labels must satisfy the selector', () => {
    assert.equal(
      clusterFeaturesMatch([{ featureName: 'kafka-source', matchLabels: { env: 'prod' } }], features),
      true,
    );
    assert.equal(
      clusterFeaturesMatch([{ featureName: 'kafka-source', matchLabels: { env: 'dev' } }], features),
      false,
    );
    assert.equal(
      clusterFeaturesMatch(
        [{ featureName: 'zk', matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }],
        features,
      ),
      true,
    );
  });
  it('the name and the labels must hold on the same feature', () => {
    assert.equal(
      clusterFeaturesMatch([{ featureName: 'zk', matchLabels: { env: 'prod' } }], features),
      false,
    );
  });
});

describe('matchingRules', () => {
  const rule: ResourceSyncRule = {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'ResourceSyncRule',
    metadata: { name: 'r' },
    spec: {
      groupVersionKind: { group: 'kafka.banzaicloud.io', version: 'v1beta1', kind: 'KafkaCluster' },
      rules: [
        {
          match: [{ namespaces: ['kafka'] }],
          mutations: {
            labels: { add: { a: '1', b: '1' }, remove: ['x'] },
            annotations: { add: { n: '1' } },
            overrides: [{ type: 'replace', path: '/spec/a?', value: '1' }],
            groupVersionKind: { version: 'v1', kind: 'First' },
          },
        },
        { match: [{ namespaces: ['elsewhere'] }], mutations: { labels: { add: { never: 'x' } } } },
        {
          mutations: {
            labels: { add: { b: '2' }, remove: ['y'] },
            annotations: { remove: ['z'] },
            overrides: [
              { type: 'remove', path: '/spec/b' },
              { type: 'replace', path: '/spec/c?', value: '3' },
            ],
            groupVersionKind: { version: 'v2', kind: 'Last' },
            syncStatus: true,
          },
        },
      ],
    },
  };

  it('merges the mutations of every matching rule, in order', () => {
    const m = matchingRules(rule, obj);
    assert.ok(m);
    assert.deepEqual(m.ruleIndexes, [0, 2]);
    assert.deepEqual(m.labels, { add: { a: '1', b: '2' }, remove: ['x', 'y'] });
    assert.deepEqual(m.annotations, { add: { n: '1' }, remove: ['z'] });
    assert.deepEqual(
      m.overrides.map((o) => [o.ruleIndex, o.overrideIndex, o.path]),
      [
        [0, 0, '/spec/a?'],
        [2, 0, '/spec/b'],
        [2, 1, '/spec/c?'],
      ],
    );
    assert.deepEqual(m.groupVersionKind, { version: 'v2', kind: 'Last' });
    assert.equal(m.syncStatus, true);
  });

  it('returns undefined when no rule matches', () => {
    const narrow: ResourceSyncRule = { ...rule, spec: { ...rule.spec, rules: [rule.spec.rules[1]!] } };
    assert.equal(matchingRules(narrow, obj), undefined);
  });

  it('syncStatus is ORed: false unless some matching rule sets it', () => {
    const m = matchingRules({ ...rule, spec: { ...rule.spec, rules: [rule.spec.rules[0]!] } }, obj);
    assert.equal(m?.syncStatus, false);
  });
});
