import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSpec } from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { componentsNamed } from '../../../src/installer/catalog.ts';
import { transitions } from '../../../src/installer/controller.ts';
import { disablePatch } from '../../../src/installer/disable.ts';
import { liveHolder } from '../../../src/installer/lease.ts';

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
