// Helpers shared by the image pull secrets and CSR signer integration tests:
// the RBAC objects of a chart applied as rendered by helm, a logger whose
// output the test can read, and kubectl.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../../../src/devcluster/index.ts';
import { type Client, createLogger, type KubeObject, type Logger } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');

const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

/** Renders a chart of ours with helm and returns its objects. */
export function renderChart(
  chart: string,
  release: string,
  namespace: string,
  set: string[] = [],
): KubeObject[] {
  const out = execFileSync(
    toolPath('helm'),
    [
      'template',
      release,
      join(repoRoot, 'charts', chart),
      '--namespace',
      namespace,
      ...set.flatMap((s) => ['--set', s]),
    ],
    { encoding: 'utf8' },
  );
  return parseAllDocuments(out)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => !!o?.kind);
}

/** Applies the chart's ServiceAccount and RBAC objects; returns the ServiceAccount's name. */
export async function applyChartRbac(
  admin: Client,
  objects: KubeObject[],
  namespace: string,
): Promise<string> {
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  let sa = '';
  for (const obj of objects.filter((o) => RBAC_KINDS.has(o.kind ?? ''))) {
    await admin.apply(obj);
    if (obj.kind === 'ServiceAccount') sa = obj.metadata?.name ?? '';
  }
  if (!sa) throw new Error('chart has no ServiceAccount');
  return sa;
}

/** Applies a CRD from charts/crds and waits until it is served. */
export async function installCrd(
  admin: Client,
  file: string,
  probe: { apiVersion: string; kind: string },
): Promise<void> {
  const crd = parseAllDocuments(readFileSync(join(repoRoot, 'charts', 'crds', file), 'utf8'))[0]!.toJSON();
  await admin.apply(crd);
  await eventually(async () => {
    admin.mapper.invalidate(probe.apiVersion);
    await admin.list(probe);
  });
}

/** A JSON logger whose lines the test can read back. */
export function capturedLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: { write: (s: string) => void lines.push(s) },
  });
  return { logger, text: () => lines.join('') };
}

export function kubectl(kubeconfig: string, args: string[], input?: string): string {
  return execFileSync(toolPath('kubectl'), ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    input,
  });
}
