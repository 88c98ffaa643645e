import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type ApplicationManifestSpec,
  ApplicationManifestSpecSchema,
  DEFAULT_GRAFANA_DASHBOARD_LABEL,
  defaults,
  normalise,
  resolveSpec,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { formatErrors, validateValue } from '../../../src/apis/validate.ts';

describe('ApplicationManifest normalise()', () => {
  it('folds clusterregistry into clusterRegistry', () => {
    const { spec, warnings } = normalise({ clusterregistry: { enabled: true, namespace: 'cr' } });
    assert.deepEqual(spec, { clusterRegistry: { enabled: true, namespace: 'cr' } });
    assert.deepEqual(warnings, []);
  });

  it('lets clusterRegistry win field by field, and says so', () => {
    const input: ApplicationManifestSpec = {
      clusterRegistry: { enabled: false },
      clusterregistry: { enabled: true, namespace: 'cr', valuesOverride: 'a: 1' },
    };
    const { spec, warnings } = normalise(input);
    assert.deepEqual(spec.clusterRegistry, { enabled: false, namespace: 'cr', valuesOverride: 'a: 1' });
    assert.deepEqual(warnings, [
      'spec.clusterregistry.enabled ignored: spec.clusterRegistry.enabled is also set',
    ]);
    assert.ok(!('clusterregistry' in spec));
  });

  it('folds zookeeperOperator.valuesoverride into valuesOverride', () => {
    assert.deepEqual(normalise({ zookeeperOperator: { enabled: true, valuesoverride: 'x: 1' } }).spec, {
      zookeeperOperator: { enabled: true, valuesOverride: 'x: 1' },
    });
    const both = normalise({ zookeeperOperator: { valuesoverride: 'old: 1', valuesOverride: 'new: 1' } });
    assert.deepEqual(both.spec.zookeeperOperator, { valuesOverride: 'new: 1' });
    assert.equal(both.warnings.length, 1);
    assert.deepEqual(
      normalise({ zookeeperOperator: { valuesoverride: 'same', valuesOverride: 'same' } }).warnings,
      [],
    );
  });

  it('leaves everything else alone and does not change its input', () => {
    const input: ApplicationManifestSpec = {
      kafkaMinion: {},
      monitoring: { grafanaDashboards: { enabled: true } },
      clusterregistry: { enabled: true },
    };
    const copy = structuredClone(input);
    const { spec } = normalise(input);
    assert.deepEqual(input, copy);
    assert.deepEqual(spec.kafkaMinion, {});
    assert.deepEqual(spec.monitoring, { grafanaDashboards: { enabled: true } });
  });
});

describe('ApplicationManifest defaults()', () => {
  it('fills every block with the namespaces of the spec, disabled unless enabled', () => {
    const d = defaults({});
    const ns = Object.fromEntries(
      Object.entries({ ...d, monitoring: undefined, prometheusOperator: d.monitoring.prometheusOperator })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, (v as { namespace: string }).namespace]),
    );
    assert.deepEqual(ns, {
      imagePullSecretsOperator: 'supertubes-system',
      csrOperator: 'csr-operator-system',
      istioOperator: 'istio-system',
      zookeeperOperator: 'zookeeper',
      kafkaOperator: 'kafka',
      prometheusOperator: 'supertubes-system',
      supertubes: 'supertubes-system',
      kafkaMinion: 'kafka',
      clusterRegistry: 'cluster-registry',
    });
    assert.equal(d.kafkaMinion.enabled, false);
    assert.equal(d.istioOperator.createDefaultMesh, false);
    assert.equal(d.zookeeperOperator.createDefaultCluster, false);
    assert.deepEqual(d.monitoring.grafanaDashboards, {
      enabled: false,
      label: DEFAULT_GRAFANA_DASHBOARD_LABEL,
    });
    assert.equal(DEFAULT_GRAFANA_DASHBOARD_LABEL, 'app.kubernetes.io/supertubes_managed_grafana_dashboard');
  });

  it('keeps what the user set', () => {
    const d = defaults({
      istioOperator: {
        enabled: true,
        namespace: 'sdm-istio-system',
        valuesOverride: 'v',
        createDefaultMesh: true,
      },
      monitoring: { grafanaDashboards: { enabled: true, label: 'example.com/dash' } },
      kafkaMinion: {},
    });
    assert.deepEqual(d.istioOperator, {
      enabled: true,
      namespace: 'sdm-istio-system',
      valuesOverride: 'v',
      createDefaultMesh: true,
    });
    assert.deepEqual(d.monitoring.grafanaDashboards, { enabled: true, label: 'example.com/dash' });
    assert.deepEqual(d.kafkaMinion, { enabled: false, namespace: 'kafka' });
  });

  it('resolveSpec() reads the old clusterregistry spelling of seed 001', () => {
    const { resolved } = resolveSpec({ clusterregistry: { enabled: true, namespace: 'cluster-registry' } });
    assert.deepEqual(resolved.clusterRegistry, { enabled: true, namespace: 'cluster-registry' });
    assert.equal(resolveSpec(undefined).resolved.clusterRegistry.enabled, false);
  });
});

// Random specs, drawn from the shapes the schema allows.
const block = fc.record(
  {
    enabled: fc.boolean(),
    namespace: fc.constantFrom('a', 'kafka', 'ns-1'),
    valuesOverride: fc.string({ maxLength: 8 }),
  },
  { requiredKeys: [] },
);
const zk = fc.record(
  {
    enabled: fc.boolean(),
    namespace: fc.constantFrom('zk', 'zookeeper'),
    valuesOverride: fc.string({ maxLength: 4 }),
    valuesoverride: fc.string({ maxLength: 4 }),
    createDefaultCluster: fc.boolean(),
  },
  { requiredKeys: [] },
);
const specArb: fc.Arbitrary<ApplicationManifestSpec> = fc.record(
  {
    imagePullSecretsOperator: block,
    csrOperator: block,
    istioOperator: fc.record(
      { enabled: fc.boolean(), createDefaultMesh: fc.boolean() },
      { requiredKeys: [] },
    ),
    zookeeperOperator: zk,
    kafkaOperator: block,
    monitoring: fc.record(
      {
        prometheusOperator: block,
        grafanaDashboards: fc.record(
          { enabled: fc.boolean(), label: fc.constant('a.b/c') },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    supertubes: block,
    kafkaMinion: block,
    clusterRegistry: block,
    clusterregistry: block,
  },
  { requiredKeys: [] },
);

describe('ApplicationManifest normalise() and defaults(), for any valid spec', () => {
  it('normalise is idempotent, and both results still validate', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        assert.deepEqual(validateValue(ApplicationManifestSpecSchema, spec), []);
        const once = normalise(spec).spec;
        const twice = normalise(once);
        assert.deepEqual(twice.spec, once);
        assert.deepEqual(twice.warnings, []);
        const errors = validateValue(ApplicationManifestSpecSchema, once, 'spec');
        assert.deepEqual(errors, [], formatErrors(errors));
        const d = defaults(once);
        const defaultedErrors = validateValue(ApplicationManifestSpecSchema, d, 'spec');
        assert.deepEqual(defaultedErrors, [], formatErrors(defaultedErrors));
        assert.ok(!('clusterregistry' in once) && !('valuesoverride' in (once.zookeeperOperator ?? {})));
      }),
      { numRuns: 200 },
    );
  });

  it('never loses a setting given only under the old spelling', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const { spec: n } = normalise(spec);
        const old = spec.clusterregistry ?? {};
        for (const k of Object.keys(old) as (keyof typeof old)[]) {
          assert.equal(n.clusterRegistry?.[k], spec.clusterRegistry?.[k] ?? old[k]);
        }
        const zkIn = spec.zookeeperOperator;
        if (zkIn?.valuesoverride !== undefined) {
          assert.equal(n.zookeeperOperator?.valuesOverride, zkIn.valuesOverride ?? zkIn.valuesoverride);
        }
      }),
      { numRuns: 200 },
    );
  });
});
