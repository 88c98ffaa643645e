import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { demoCharts, missingDependencies } from '../../../src/cli/demo-charts.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sdm-demo-charts-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function chart(dir: string, deps: string[] = [], vendored: string[] = []): void {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const d = deps.map((n) => `  - name: ${n}\n    version: "1.*"\n`).join('');
  writeFileSync(
    join(dir, 'Chart.yaml'),
    `name: x\nversion: 1.0.0\n${deps.length ? `dependencies:\n${d}` : ''}`,
  );
  for (const v of vendored) {
    if (v.endsWith('.tgz')) writeFileSync(join(dir, 'charts', v), '');
    else chart(join(dir, 'charts', v));
  }
}

describe("the demo's charts", () => {
  it('finds dependencies a chart declares but does not carry (as a directory or a .tgz)', () => {
    const dir = join(tmp, 'kps');
    chart(dir, ['crds', 'grafana', 'kube-state-metrics'], ['crds', 'kube-state-metrics-5.25.1.tgz']);
    assert.deepEqual(missingDependencies(dir), ['grafana']);
  });

  it('uses the stand-ins without a mirror, and says so', () => {
    const root = join(tmp, 'none', 'repo');
    mkdirSync(root, { recursive: true });
    const c = demoCharts(root, { SDM_CHARTS_DIR: join(tmp, 'nowhere') });
    assert.equal(c.real, false);
    assert.equal(c.dir, join(root, 'test', 'fixtures', 'charts'));
    assert.match(c.notes[0] ?? '', /stand-ins .*\(no chart mirror at/);
  });

  it('uses the mirror, a stand-in for a mirrored chart helm cannot render or an own chart not written yet', () => {
    const root = join(tmp, 'with', 'repo');
    const mirror = join(tmp, 'with', 'mirror');
    chart(join(mirror, 'kminion'));
    chart(join(mirror, 'kube-prometheus-stack'), ['grafana']);
    for (const n of ['kube-prometheus-stack', 'kminion', 'supertubes', 'csr-operator'])
      chart(join(root, 'test', 'fixtures', 'charts', n));
    chart(join(root, 'charts', 'csr-operator'));
    const c = demoCharts(root, { SDM_CHARTS_DIR: mirror });
    assert.equal(c.real, true);
    assert.equal(readlinkSync(join(c.dir, 'kminion')), join(mirror, 'kminion'));
    assert.equal(
      readlinkSync(join(c.dir, 'kube-prometheus-stack')),
      join(root, 'test', 'fixtures', 'charts', 'kube-prometheus-stack'),
    );
    assert.equal(
      readlinkSync(join(c.dir, 'supertubes')),
      join(root, 'test', 'fixtures', 'charts', 'supertubes'),
    );
    assert.equal(existsSync(join(c.dir, 'csr-operator')), false);
    assert.match(
      c.notes.join('\n'),
      /kube-prometheus-stack: the stand-in, because .* lacks its dependencies \(grafana\)/,
    );
    assert.match(c.notes.join('\n'), /istioOperator\.kubeVersion: 1\.26\.0/);
  });
});
