import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capabilitiesFor, kubeVersionOf, versionSet } from '../../../src/installer/capabilities.ts';
import { cacheKey, explainHelmError } from '../../../src/installer/render.ts';

describe('capabilities, as Helm sees a live cluster', () => {
  it("takes the server's gitVersion, else major.minor", () => {
    assert.equal(kubeVersionOf({ gitVersion: 'v1.36.3', major: '1', minor: '36' }), 'v1.36.3');
    assert.equal(
      kubeVersionOf({ gitVersion: 'v0.0.0-master+$Format:%H$', major: '1', minor: '30+' }),
      'v0.0.0-master+$Format:%H$',
    );
    assert.equal(kubeVersionOf({ major: '1', minor: '29+' }), 'v1.29.0');
    assert.throws(() => kubeVersionOf({}), /no usable version/);
  });

  it('lists every group/version and group/version/Kind once, sorted', () => {
    const set = versionSet([
      {
        groupVersion: 'v1',
        list: {
          resources: [
            { name: 'pods', kind: 'Pod' },
            { name: 'pods/status', kind: 'Pod' },
          ],
        },
      },
      { groupVersion: 'apps/v1', list: { resources: [{ name: 'deployments', kind: 'Deployment' }] } },
      { groupVersion: 'broken.example/v1', list: {} },
    ]);
    assert.deepEqual(set, ['apps/v1', 'apps/v1/Deployment', 'broken.example/v1', 'v1', 'v1/Pod']);
  });

  it("lets a component's kubeVersion and apiVersions replace the cluster's (Argo CD semantics)", () => {
    const cluster = { kubeVersion: 'v1.36.3', apiVersions: ['apps/v1', 'v1'] };
    assert.deepEqual(capabilitiesFor(cluster), cluster);
    assert.deepEqual(capabilitiesFor(cluster, { kubeVersion: '1.26.0' }), {
      kubeVersion: '1.26.0',
      apiVersions: ['apps/v1', 'v1'],
    });
    assert.deepEqual(capabilitiesFor(cluster, { apiVersions: ['x/v1', 'v1', 'x/v1'] }), {
      kubeVersion: 'v1.36.3',
      apiVersions: ['v1', 'x/v1'],
    });
  });

  it('renders again when the capabilities change (they are part of the cache key)', () => {
    const a = { kubeVersion: 'v1.36.3', apiVersions: ['v1'] };
    const k = cacheKey('d', 'r', 'ns', {}, a);
    assert.equal(k, cacheKey('d', 'r', 'ns', {}, { ...a }));
    assert.notEqual(k, cacheKey('d', 'r', 'ns', {}, { ...a, kubeVersion: '1.26.0' }));
    assert.notEqual(k, cacheKey('d', 'r', 'ns', {}, { ...a, apiVersions: ['v1', 'v1/Pod'] }));
    assert.notEqual(k, cacheKey('d', 'r', 'ns', {}));
  });
});

describe("helm's refusals, explained", () => {
  const chart = { name: 'istio-operator', version: '2.1.6' };
  const refusal =
    'Error: chart requires kubeVersion: >= 1.23.0-0 < 1.27.0-0 which is incompatible with Kubernetes v1.36.3  Use --debug flag to render out invalid YAML';

  it('names both versions and the override when a chart refuses the cluster', () => {
    assert.equal(
      explainHelmError(refusal, chart, { specPath: 'spec.istioOperator' }),
      'chart istio-operator 2.1.6 requires Kubernetes >= 1.23.0-0 < 1.27.0-0, the cluster runs v1.36.3: it refuses to install here. Set spec.istioOperator.kubeVersion to a version it accepts to install it anyway, at your own risk',
    );
    assert.match(
      explainHelmError(refusal.replace('v1.36.3', 'v1.28.0'), chart, {
        specPath: 'spec.istioOperator',
        kubeVersionOverridden: true,
      }),
      /requires Kubernetes >= 1\.23\.0-0 < 1\.27\.0-0, and spec\.istioOperator\.kubeVersion asks to render it for v1\.28\.0/,
    );
  });

  it('names the missing dependencies of a mirrored chart and the fix', () => {
    const msg = explainHelmError(
      'Error: An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: grafana, kube-state-metrics',
      { name: 'kube-prometheus-stack', version: '65.1.1', dir: '/mirror/kube-prometheus-stack' },
    );
    assert.match(
      msg,
      /^chart kube-prometheus-stack 65\.1\.1: its dependencies grafana, kube-state-metrics are missing from \/mirror\/kube-prometheus-stack\/charts\. A chart mirror must hold the packaged chart/,
    );
  });

  it('passes anything else through, prefixed with the chart', () => {
    assert.equal(explainHelmError('boom', { name: 'x' }), 'chart x: boom');
  });
});
