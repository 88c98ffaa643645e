import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterKind } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { ResourceSyncRuleKind } from '../../../src/apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';
import { ImagePullSecretKind } from '../../../src/apis/images.banzaicloud.io/v1alpha1/imagepullsecret.ts';
import type { AnyKindDef } from '../../../src/apis/kind.ts';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  type ApplicationManifestSpec,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type FieldError, formatErrors, validate } from '../../../src/apis/validate.ts';

const AM = {
  apiVersion: 'supertubes.banzaicloud.io/v1beta1',
  kind: 'ApplicationManifest',
  metadata: { name: 'am' },
};

function errorsOf(def: AnyKindDef, obj: unknown): FieldError[] {
  const r = validate(def, obj);
  assert.ok(!r.ok, 'expected the object to be refused');
  return r.errors;
}

function assertError(errors: FieldError[], path: string, message: RegExp): void {
  const e = errors.find((x) => x.path === path);
  assert.ok(e, `no error at ${path}; got:\n${formatErrors(errors)}`);
  assert.match(e.message, message);
}

describe('validate', () => {
  it('accepts a minimal manifest and kafkaMinion: {}', () => {
    const r = validate(ApplicationManifestKind, { ...AM, spec: { kafkaMinion: {} } });
    assert.ok(r.ok);
  });

  it('names the path of a wrong type', () => {
    const errors = errorsOf(ApplicationManifestKind, { ...AM, spec: { istioOperator: { enabled: 'yes' } } });
    assertError(errors, 'spec.istioOperator.enabled', /must be a boolean; got "yes"/);
    assert.equal(errors.length, 1);
  });

  it('refuses unknown fields, naming them', () => {
    const errors = errorsOf(ApplicationManifestKind, {
      ...AM,
      spec: { kafkaOperator: { enabled: true, namepsace: 'kafka' }, istio: {} },
    });
    assertError(errors, 'spec.kafkaOperator.namepsace', /unknown field/);
    assertError(errors, 'spec.istio', /unknown field/);
  });

  it('refuses meshStatus in spec (status only) and unknown top-level fields', () => {
    const errors = errorsOf(ApplicationManifestKind, {
      ...AM,
      spec: { istioOperator: { meshStatus: 'Available' } },
      extra: 1,
    });
    assertError(errors, 'spec.istioOperator.meshStatus', /unknown field/);
    assertError(errors, 'extra', /unknown field/);
  });

  it('accepts valuesoverride only where the old schema had it', () => {
    assert.ok(
      validate(ApplicationManifestKind, { ...AM, spec: { zookeeperOperator: { valuesoverride: 'a: 1' } } })
        .ok,
    );
    const errors = errorsOf(ApplicationManifestKind, {
      ...AM,
      spec: { kafkaOperator: { valuesoverride: 'a: 1' } },
    });
    assertError(errors, 'spec.kafkaOperator.valuesoverride', /unknown field/);
  });

  it('explains enums and patterns', () => {
    const errors = errorsOf(ApplicationManifestKind, {
      ...AM,
      spec: { csrOperator: { namespace: 'CSR_System' } },
      status: { status: 'Done', components: { monitoring: { status: 'Up' } } },
    });
    assertError(errors, 'spec.csrOperator.namespace', /lowercase DNS label/);
    assertError(errors, 'status.status', /must be one of Reconciling, Succeeded, Failed; got "Done"/);
    assertError(
      errors,
      'status.components.monitoring.status',
      /one of Available, Reconciling, Failed, Removed, Removing/,
    );
  });

  it('checks conditions like metav1.Condition', () => {
    const errors = errorsOf(ApplicationManifestKind, {
      ...AM,
      status: {
        conditions: [
          { type: 'Ready', status: 'Yes', lastTransitionTime: 'yesterday', reason: '', message: 'x' },
        ],
      },
    });
    assertError(errors, 'status.conditions[0].status', /one of True, False, Unknown/);
    assertError(errors, 'status.conditions[0].lastTransitionTime', /RFC 3339/);
    assertError(errors, 'status.conditions[0].reason', /must not be empty/);
    const ok = validate(ApplicationManifestKind, {
      ...AM,
      status: {
        observedGeneration: 3,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastTransitionTime: '2025-01-02T03:04:05Z',
            reason: 'Done',
            message: '',
          },
        ],
      },
    });
    assert.ok(ok.ok, ok.ok ? '' : formatErrors(ok.errors));
  });

  it('checks apiVersion and kind against the kind', () => {
    const errors = errorsOf(ClusterKind, { ...AM, spec: { clusterID: 'x' } });
    assertError(errors, 'apiVersion', /must be clusterregistry\.k8s\.cisco\.com\/v1alpha1/);
    assertError(errors, 'kind', /must be Cluster/);
  });

  it('requires what the API requires', () => {
    const cluster = { apiVersion: ClusterKind.apiVersion, kind: 'Cluster', metadata: { name: 'c' } };
    assertError(errorsOf(ClusterKind, cluster), 'spec', /required field is missing/);
    assertError(errorsOf(ClusterKind, { ...cluster, spec: {} }), 'spec.clusterID', /required/);
    const endpoints = {
      clusterID: 'u',
      kubernetesApiEndpoints: [{ serverAddress: 'h', caBundle: 'not base64!' }],
    };
    assertError(
      errorsOf(ClusterKind, { ...cluster, spec: endpoints }),
      'spec.kubernetesApiEndpoints[0].caBundle',
      /format byte/,
    );
  });

  it('reports deep paths in a ResourceSyncRule, and int-or-string content values', () => {
    const rsr = {
      apiVersion: ResourceSyncRuleKind.apiVersion,
      kind: 'ResourceSyncRule',
      metadata: { name: 'r' },
      spec: {
        groupVersionKind: { version: 'v1', kind: 'Secret' },
        rules: [
          {
            match: [
              {
                content: [
                  { key: 'type', value: 3 },
                  { key: 'a', value: 'b' },
                  { key: 'c', value: true },
                ],
              },
            ],
            mutations: { overrides: [{ path: '/metadata/name', type: 'merge' }], labels: { add: { a: 1 } } },
          },
        ],
      },
    };
    const errors = errorsOf(ResourceSyncRuleKind, rsr);
    assertError(
      errors,
      'spec.rules[0].match[0].content[2].value',
      /must be an integer or a string; got boolean true/,
    );
    assertError(errors, 'spec.rules[0].mutations.overrides[0].type', /one of replace, remove/);
    assertError(errors, 'spec.rules[0].mutations.labels.add.a', /must be a string/);
    assert.equal(errors.length, 3, formatErrors(errors));
  });

  it('quotes map keys that are not identifiers', () => {
    const imps = {
      apiVersion: ImagePullSecretKind.apiVersion,
      kind: 'ImagePullSecret',
      metadata: { name: 'i' },
      spec: {
        registry: { credentials: [{ name: 'a', namespace: 'b' }] },
        target: { secret: { name: 's', labels: { 'app.kubernetes.io/name': 5 } } },
      },
    };
    assertError(
      errorsOf(ImagePullSecretKind, imps),
      'spec.target.secret.labels["app.kubernetes.io/name"]',
      /string/,
    );
  });

  it('drops null fields the way the API server prunes them', () => {
    const r = validate(ApplicationManifestKind, {
      ...AM,
      spec: { kafkaMinion: null, supertubes: { enabled: true } },
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value.spec, { supertubes: { enabled: true } });
  });

  it('gives TypeScript types that follow the schemas', () => {
    const am: ApplicationManifest = {
      ...AM,
      spec: { kafkaMinion: {}, clusterregistry: { enabled: true } },
      status: { status: 'Succeeded', components: { monitoring: { status: 'Available' } } },
    };
    // @ts-expect-error enabled is a boolean
    const bad: ApplicationManifestSpec = { kafkaMinion: { enabled: 'yes' } };
    // @ts-expect-error Done is not a manifest state
    const badStatus: ApplicationManifest['status'] = { status: 'Done' };
    assert.ok(validate(ApplicationManifestKind, am).ok);
    assert.ok(!validate(ApplicationManifestKind, { ...AM, spec: bad, status: badStatus }).ok);
  });

  it('refuses things that are not objects, with a message', () => {
    assertError(errorsOf(ApplicationManifestKind, 'hello'), '', /must be an object/);
    assertError(
      errorsOf(ApplicationManifestKind, { ...AM, spec: [] }),
      'spec',
      /must be an object.*got a list/,
    );
  });
});
