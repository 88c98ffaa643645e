// Every catalog chart renders with the values the catalog derives (helm from .tools/bin).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveSpec } from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { catalog } from '../../../src/installer/catalog.ts';
import { Renderer } from '../../../src/installer/render.ts';
import { componentValues } from '../../../src/installer/values.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'charts');
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

describe('catalog charts', () => {
  it('renders every chart (our own from charts/, upstream ones from the stand-ins) with the values it derives', async () => {
    const renderer = new Renderer(fixtures);
    const ours = new Renderer(undefined);
    for (const def of catalog) {
      if (!def.chart) continue;
      const values = componentValues(def.defaultValues, def.derivedValues?.(ctx) ?? {}, {});
      const block = def.block(everything);
      const { objects } = await renderer.render(def.chart, def.release, block.namespace, values);
      assert.ok(
        objects.some((o) => o.kind === 'Deployment'),
        `${def.name} deploys its operator`,
      );
      // The charts of this repo, when they are there, must take the catalog's values too.
      if (
        !def.chart.repository.includes('://') &&
        existsSync(join(root, def.chart.repository, 'Chart.yaml'))
      ) {
        await ours.render(def.chart, def.release, block.namespace, values);
      }
    }
  });
});
