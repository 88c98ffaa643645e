// Helpers for the installer's integration tests: our CRDs on a fresh control
// plane, seed manifests, and playing Istio's operator (no Istio runs here).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateCrds } from '../../../src/apis/index.ts';
import type { ApplicationManifest } from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { IstioControlPlanes } from '../../../src/installer/engine.ts';
import { type Client, type KubeObject, kind } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const chartsDir = join(repoRoot, 'test', 'fixtures', 'charts');
export const Deployments = kind('apps/v1', 'Deployment');
export const CRDs = kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');

export function seed<T = KubeObject>(file: string): T {
  return parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'seeds', file), 'utf8')) as T;
}

/** Seed 000 step 6: the manifest of the operator-mode install. */
export function seed000Manifest(): ApplicationManifest {
  return seed<ApplicationManifest>('000-06-applicationmanifest-sdm-applicationmanifest.yaml');
}

/** Our CRDs (ApplicationManifest among them), applied and Established. */
export async function installOurCrds(client: Client): Promise<void> {
  for (const crd of generateCrds()) await client.apply(crd as unknown as KubeObject);
  await eventually(async () => {
    for (const crd of generateCrds()) {
      const now = (await client.get(CRDs, { name: crd.metadata.name })) as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      if (!now.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
        throw new Error(`${crd.metadata.name} not established`);
      }
    }
  });
}

/** Plays Istio's operator: an IstioControlPlane in ns whose status says Available. */
export async function makeMeshAvailable(
  client: Client,
  namespace = 'istio-system',
  name = 'icp-sample-v115x',
) {
  const existing = await client.getIfExists(IstioControlPlanes, { namespace, name });
  if (!existing) {
    const icp = seed<KubeObject>('000-08-istiocontrolplane-icp-sample-v115x.yaml');
    icp.metadata = { ...icp.metadata, namespace, name };
    await client.create(icp);
  }
  await client.patch(IstioControlPlanes, { namespace, name }, { status: { status: 'Available' } }, 'merge', {
    subresource: 'status',
  });
}

export function componentStatus(m: ApplicationManifest | undefined, key: string): string | undefined {
  return m?.status?.components?.[key]?.status;
}

/** Plays Istio's operator in the background: any IstioControlPlane becomes Available. Returns stop(). */
export function playIstioOperator(client: Client): () => Promise<void> {
  let on = true;
  const loop = (async () => {
    while (on) {
      try {
        for (const icp of (await client.list(IstioControlPlanes)).items) {
          if ((icp as { status?: { status?: string } }).status?.status === 'Available') continue;
          const key = { namespace: icp.metadata?.namespace, name: icp.metadata?.name ?? '' };
          await client.patch(IstioControlPlanes, key, { status: { status: 'Available' } }, 'merge', {
            subresource: 'status',
          });
        }
      } catch {
        // its CRD is not installed yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

/** Runs the sdm CLI as a user would; resolves with its exit code and output. */
export function sdm(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(repoRoot, 'node_modules', '.bin', 'node'),
      ['--disable-warning=ExperimentalWarning', join(repoRoot, 'src/cli/main.ts'), ...args],
      { env: { ...process.env, SDM_CHARTS_DIR: chartsDir, ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
