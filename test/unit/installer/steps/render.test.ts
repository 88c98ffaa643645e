import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSpec } from '../../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { Renderer } from '../../../../src/installer/render.ts';
import { prepareObject, renderStep } from '../../../../src/installer/steps/render.ts';
import type { ComponentDef } from '../../../../src/installer/types.ts';
import type { KubeObject } from '../../../../src/kube/index.ts';

describe('step render', () => {
  it('normalizes to what the server stores: stringData folded into data, port protocols, labels', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } };
    prepareObject(secret as KubeObject, { l: 'v' });
    assert.deepEqual(secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', labels: { l: 'v' } },
      data: { a: Buffer.from('b').toString('base64') },
    });
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { ports: [{ port: 80 }] },
    };
    prepareObject(svc as KubeObject, {});
    assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP' }]);
  });
  it('renders the objects sdm generates for a chartless component, labelled with manifest and component', async () => {
    const def: ComponentDef = {
      name: 'dashboards',
      statusKey: 'dashboards',
      release: 'dashboards',
      dependsOn: [],
      block: () => ({ enabled: true, namespace: 'ns', path: 'spec.x' }),
      defaultValues: {},
      extraObjects: () => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } }],
    };
    const ctx = { spec: resolveSpec({} as never).resolved, manifest: { name: 'm', namespace: 'n' } };
    const renderer = new Renderer(undefined);
    const out = await renderStep(renderer, def, ctx, {});
    assert.deepEqual(out.objects[0]?.metadata?.labels, {
      'supertubes.banzaicloud.io/manifest': 'm',
      'supertubes.banzaicloud.io/component': 'dashboards',
    });
    assert.equal(renderer.renders, 0, 'no chart, no helm');
  });
});
