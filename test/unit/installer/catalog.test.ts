import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { resolveSpec } from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { catalog, componentsNamed } from '../../../src/installer/catalog.ts';
import { transitions } from '../../../src/installer/controller.ts';
import { disablePatch } from '../../../src/installer/disable.ts';
import { liveHolder } from '../../../src/installer/lease.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const _fixtures = join(root, 'test', 'fixtures', 'charts');
const everything = resolveSpec({
  csrOperator: { enabled: true },
  istioOperator: { enabled: true, createDefaultMesh: true },
  zookeeperOperator: { enabled: true, createDefaultCluster: true },
  kafkaOperator: { enabled: true },
  monitoring: {
    prometheusOperator: { enabled: true },
    grafanaDashboards: { enabled: true, label: 'my/label' },
  },
  supertubes: { enabled: true },
  kafkaMinion: { enabled: true },
  imagePullSecretsOperator: { enabled: true },
  clusterRegistry: { enabled: true },
}).resolved;
const ctx = { spec: everything, manifest: { name: 'sdm', namespace: 'supertubes-control-plane' } };

describe('catalog', () => {
  it('labels the dashboards as the manifest says and makes the default mesh and ZooKeeper cluster', () => {
    const dashboards = componentsNamed('grafanaDashboards')[0]!.extraObjects!(ctx);
    assert.deepEqual(
      dashboards.map((d) => d.metadata?.labels),
      [{ 'my/label': '1' }, { 'my/label': '1' }],
    );
    const mesh = componentsNamed('istioOperator')[0]!.extraObjects!(ctx);
    assert.equal(mesh[0]?.kind, 'IstioControlPlane');
    const zk = componentsNamed('zookeeperOperator')[0]!.extraObjects!(ctx);
    assert.equal(zk[0]?.kind, 'ZookeeperCluster');
    const csr = componentsNamed('csrOperator')[0]!;
    assert.deepEqual(csr.derivedValues!(ctx), {
      publishCa: { enabled: true, namespace: 'istio-system', name: 'external-ca-cert' },
    });
  });

  it('finds components by name or status key, and says which exist', () => {
    assert.deepEqual(
      componentsNamed('monitoring').map((c) => c.name),
      ['prometheusOperator', 'grafanaDashboards'],
    );
    assert.throws(
      () => componentsNamed('kafka'),
      /unknown component "kafka"; known: imagePullSecretsOperator/,
    );
  });

  it('disables components with a merge patch that leaves the rest of each block alone', () => {
    assert.deepEqual(disablePatch(['prometheusOperator', 'clusterRegistry']), {
      spec: {
        monitoring: { prometheusOperator: { enabled: false } },
        clusterRegistry: { enabled: false },
        clusterregistry: { enabled: false },
      },
    });
  });
});

describe('operator mode', () => {
  it('sees a live lease holder, not an expired or released one', () => {
    const now = Date.parse('2026-01-01T00:00:10Z');
    const lease = (holder: string | null, renew: string) => ({
      spec: { holderIdentity: holder, renewTime: renew, leaseDurationSeconds: 15 },
    });
    assert.equal(liveHolder(lease('pod-1', '2026-01-01T00:00:00.000000Z'), now), 'pod-1');
    assert.equal(liveHolder(lease('pod-1', '2025-12-31T23:59:00.000000Z'), now), undefined);
    assert.equal(liveHolder(lease(null, '2026-01-01T00:00:00.000000Z'), now), undefined);
    assert.equal(liveHolder(undefined, now), undefined);
  });

  it('records events for changes only', () => {
    const before = {
      status: 'Reconciling' as const,
      components: { kafkaOperator: { status: 'Reconciling' as const } },
    };
    const after = {
      status: 'Failed' as const,
      components: { kafkaOperator: { status: 'Failed' as const, message: 'bad' } },
    };
    assert.deepEqual(transitions(before, after), [
      { type: 'Warning', reason: 'ComponentFailed', message: 'kafkaOperator: bad' },
    ]);
    assert.deepEqual(transitions(after, after), []);
  });
});

// The catalog against the real upstream charts of the chart mirror (../shared,
// which CI has too): pins, repositories, and every value the catalog sets.
const mirror = join(root, '..', 'shared', 'charts');
const allCtx = [
  ctx,
  {
    ...ctx,
    spec: resolveSpec({
      kafkaOperator: { enabled: true },
      kafkaMinion: { enabled: true },
      monitoring: { prometheusOperator: { enabled: false } },
    }).resolved,
  },
];

function readYaml(path: string): Record<string, unknown> {
  return (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
}

/** Every leaf path of a values tree (maps descend, anything else is a leaf). */
function leafPaths(v: unknown, prefix: string[] = []): string[][] {
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0)
    return Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...prefix, k]));
  return [prefix];
}

function templatesText(dir: string): string {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [readFileSync(join(d, e.name), 'utf8')],
    );
  return walk(join(dir, 'templates')).join('\n');
}

/**
 * A value the chart knows: declared in values.yaml, under a free-form map
 * values.yaml declares empty ({}), or read by a template as .Values.<path>.
 */
function known(chartDir: string, path: string[]): boolean {
  let node: unknown = readYaml(join(chartDir, 'values.yaml'));
  for (const [i, key] of path.entries()) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return false;
    const m = node as Record<string, unknown>;
    if (!(key in m)) {
      const freeForm = i > 0 && Object.keys(m).length === 0;
      return freeForm || templatesText(chartDir).includes(`.Values.${path.join('.')}`);
    }
    node = m[key];
  }
  return true;
}

const thirdParty = catalog.filter((c) => c.chart?.version);

describe('catalog against the real charts in ../shared/charts', () => {
  it('pins each third-party chart at the version its Chart.yaml carries', () => {
    assert.deepEqual(thirdParty.map((c) => c.chart!.name).sort(), [
      'istio-operator',
      'kafka-operator',
      'kminion',
      'kube-prometheus-stack',
      'zookeeper-operator',
    ]);
    for (const c of thirdParty) {
      const meta = readYaml(join(mirror, c.chart!.name, 'Chart.yaml'));
      assert.equal(meta.name, c.chart!.name);
      assert.equal(String(meta.version), c.chart!.version, `${c.name}: chart version`);
    }
  });

  it('uses the repository the chart itself documents', () => {
    // kminion's README gives none: its repository (charts.redpanda.com) is
    // the one redpanda-data/helm-charts, its source, publishes to.
    for (const c of thirdParty.filter((x) => x.chart!.name !== 'kminion')) {
      const readme = readFileSync(join(mirror, c.chart!.name, 'README.md'), 'utf8');
      assert.ok(
        readme.includes(c.chart!.repository),
        `${c.name}: ${c.chart!.repository} is not the repository its README installs from`,
      );
    }
  });

  it('sets only values the charts have (ours included), whatever the manifest enables', () => {
    for (const c of catalog.filter((x) => x.chart)) {
      const dir = c.chart!.version ? join(mirror, c.chart!.name) : join(root, c.chart!.repository);
      if (!existsSync(join(dir, 'values.yaml'))) {
        // Our own chart not written yet (supertubes): the catalog sets nothing for it.
        assert.deepEqual([c.defaultValues, ...allCtx.map((x) => c.derivedValues?.(x) ?? {})], [{}, {}, {}]);
        continue;
      }
      for (const x of allCtx) {
        const values = { ...c.defaultValues, ...(c.derivedValues?.(x) ?? {}) };
        for (const path of leafPaths(values).filter((p) => p.length > 0))
          assert.ok(known(dir, path), `${c.name}: ${c.chart!.name} has no value ${path.join('.')}`);
      }
    }
  });

  it('installs koperator with its CRDs (the chart leaves them out by default)', () => {
    const dir = join(mirror, 'kafka-operator');
    assert.equal((readYaml(join(dir, 'values.yaml')).crd as { enabled: boolean }).enabled, false);
    assert.match(
      readFileSync(join(dir, 'templates', 'crds.yaml'), 'utf8'),
      /^\{\{- if \.Values\.crd\.enabled \}\}/,
    );
    const koperator = componentsNamed('kafkaOperator')[0]!;
    assert.deepEqual(koperator.defaultValues.crd, { enabled: true });
  });

  it("labels kminion's ServiceMonitor the way kube-prometheus-stack's Prometheus selects, and only with monitoring", () => {
    const kps = join(mirror, 'kube-prometheus-stack');
    const spec = (
      readYaml(join(kps, 'values.yaml')).prometheus as { prometheusSpec: Record<string, unknown> }
    ).prometheusSpec;
    // Nil selector + NilUsesHelmValues: Prometheus selects release=<its release name>.
    assert.equal(spec.serviceMonitorSelectorNilUsesHelmValues, true);
    assert.deepEqual(spec.serviceMonitorSelector, {});
    assert.match(
      readFileSync(join(kps, 'templates', 'prometheus', 'prometheus.yaml'), 'utf8'),
      /serviceMonitorSelector:\n\s+matchLabels:\n\s+release: \{\{ \$\.Release\.Name \| quote \}\}/,
    );
    assert.match(
      readFileSync(join(mirror, 'kminion', 'templates', 'servicemonitor.yaml'), 'utf8'),
      /labels:[\s\S]*\.Values\.serviceMonitor\.additionalLabels[\s\S]*spec:/,
    );
    const kminion = componentsNamed('kafkaMinion')[0]!;
    const prometheus = componentsNamed('prometheusOperator')[0]!;
    const [on, off] = allCtx.map((x) => kminion.derivedValues!(x).serviceMonitor);
    assert.deepEqual(on, { create: true, additionalLabels: { release: prometheus.release } });
    assert.deepEqual(off, { create: false });
    const koperator = componentsNamed('kafkaOperator')[0]!;
    assert.deepEqual(
      allCtx.map((x) => koperator.derivedValues!(x).prometheusMetrics),
      [{ enabled: true }, { enabled: false }],
    );
  });

  it("labels our dashboards with the value Grafana's sidecar looks for", () => {
    const grafana = (
      readYaml(join(mirror, 'kube-prometheus-stack', 'values.yaml')).grafana as {
        sidecar: { dashboards: { labelValue: string } };
      }
    ).sidecar.dashboards;
    const dashboards = componentsNamed('grafanaDashboards')[0]!.extraObjects!(ctx);
    for (const d of dashboards) assert.equal(d.metadata?.labels?.['my/label'], grafana.labelValue);
  });

  it('knows istio-operator 2.1.6 refuses Kubernetes 1.27 and later (why kubeVersion overrides exist)', () => {
    assert.equal(
      readYaml(join(mirror, 'istio-operator', 'Chart.yaml')).kubeVersion,
      '>= 1.23.0-0 < 1.27.0-0',
    );
  });
});
