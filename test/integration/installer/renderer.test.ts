// The renderer running helm (built into .tools/bin), with the stand-in charts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Renderer } from '../../../src/installer/render.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'charts');

describe('renderer', () => {
  it('runs helm once per (chart digest, values)', async () => {
    const r = new Renderer(fixtures);
    const chart = { name: 'kminion', version: '0.14.0', repository: 'https://charts.redpanda.com' };
    const a = await r.render(chart, 'kminion', 'kafka', { serviceMonitor: { create: true } });
    await r.render(chart, 'kminion', 'kafka', { serviceMonitor: { create: true } });
    assert.equal(r.renders, 1);
    assert.ok(a.objects.some((o) => o.kind === 'ServiceMonitor'));
    const b = await r.render(chart, 'kminion', 'kafka', { serviceMonitor: { create: false } });
    assert.equal(r.renders, 2);
    assert.ok(!b.objects.some((o) => o.kind === 'ServiceMonitor'));
  });

  it("reports a chart that fails to render with helm's reason", async () => {
    const r = new Renderer(fixtures);
    const chart = { name: 'kminion', version: '0.14.0', repository: 'https://x' };
    await assert.rejects(
      r.render(chart, 'kminion', 'kafka', { image: { repository: null } }),
      /image\.repository is required/,
    );
  });
});
