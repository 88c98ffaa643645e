// Which charts `sdm demo` installs: the real upstream charts when a chart
// mirror is there (SDM_CHARTS_DIR, or ../shared/charts beside the checkout),
// else the stand-ins of test/fixtures/charts. A mirrored chart that helm
// cannot render as it is (its dependencies are missing from charts/) is
// replaced by its stand-in, and the demo says so.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { catalog } from '../installer/catalog.ts';
import { chartsDirFromEnv } from '../installer/entry.ts';

/** istio-operator 2.1.6 accepts Kubernetes >= 1.23 < 1.27 only: the demo renders it for 1.26. */
export const ISTIO_DEMO_KUBE_VERSION = '1.26.0';

export interface DemoCharts {
  dir: string;
  /** Whether the real charts are used (for some components at least). */
  real: boolean;
  /** What to tell the user, one line each. */
  notes: string[];
}

/** Dependencies a chart declares that its charts/ directory does not hold. */
export function missingDependencies(chartDir: string): string[] {
  const meta = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as {
    dependencies?: { name: string }[];
  };
  const vendored = existsSync(join(chartDir, 'charts')) ? readdirSync(join(chartDir, 'charts')) : [];
  return (meta?.dependencies ?? [])
    .map((d) => d.name)
    .filter((name) => !vendored.some((f) => f === name || (f.startsWith(`${name}-`) && f.endsWith('.tgz'))));
}

export function demoCharts(
  repoRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  overlay = join(repoRoot, '.sdm', 'demo-charts'),
): DemoCharts {
  const standIns = join(repoRoot, 'test', 'fixtures', 'charts');
  const mirror = chartsDirFromEnv(env) ?? join(repoRoot, '..', 'shared', 'charts');
  const names = existsSync(mirror)
    ? readdirSync(mirror).filter((n) => existsSync(join(mirror, n, 'Chart.yaml')))
    : [];
  if (names.length === 0)
    return {
      dir: standIns,
      real: false,
      notes: [`charts: the stand-ins of test/fixtures/charts (no chart mirror at ${mirror})`],
    };
  // One directory the installer reads: the mirror's charts, each linked, with
  // a stand-in where the mirrored chart cannot render.
  rmSync(overlay, { recursive: true, force: true });
  mkdirSync(overlay, { recursive: true });
  const notes = [`charts: the real upstream charts of ${mirror}`];
  for (const name of names) {
    const missing = missingDependencies(join(mirror, name));
    if (missing.length > 0 && existsSync(join(standIns, name))) {
      symlinkSync(join(standIns, name), join(overlay, name));
      notes.push(
        `  ${name}: the stand-in, because the mirror's copy lacks its dependencies (${missing.join(', ')}) and helm cannot render it`,
      );
    } else symlinkSync(join(mirror, name), join(overlay, name));
  }
  // Our own charts live in charts/; one the catalog names but this checkout
  // does not have yet keeps its stand-in.
  const ours = catalog
    .filter((c) => c.chart && !c.chart.repository.includes('://'))
    .map((c) => c.chart!.name);
  for (const name of ours.filter((n) => existsSync(join(standIns, n, 'Chart.yaml')))) {
    if (names.includes(name) || existsSync(join(repoRoot, 'charts', name, 'Chart.yaml'))) continue;
    symlinkSync(join(standIns, name), join(overlay, name));
    notes.push(`  ${name}: the stand-in (charts/${name} is not in this checkout)`);
  }
  notes.push(
    `  istioOperator.kubeVersion: ${ISTIO_DEMO_KUBE_VERSION} — istio-operator 2.1.6 supports Kubernetes < 1.27 only and refuses this cluster otherwise`,
  );
  return { dir: overlay, real: true, notes };
}
