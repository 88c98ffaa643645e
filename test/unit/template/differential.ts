/**
 * The differential run: generated cases through sdm's engine and through the Go oracle, compared.
 * A mismatch is either explained by a documented deliberate difference (differences.ts) or
 * unexplained. Shared by differential.test.ts and the template benchmark.
 */
import { TemplateCluster, TemplateObject } from '../../../src/controllers/clusterregistry/template-data.ts';
import { renderTemplate } from '../../../src/template/index.ts';
import { type Difference, differences } from './differences.ts';
import { Generator, PLAIN_DATA } from './generator.ts';
import { type OracleCase, type OracleResult, runOracle } from './oracle.ts';

/** The registry data both sides see: a ConfigMap synced from cluster2 into cluster1. */
export const REGISTRY_DATA = {
  object: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'kafka',
      namespace: 'prod',
      uid: 'u-1',
      labels: { app: 'kafka', tier: 'data' },
      annotations: { note: 'x' },
    },
    data: { a: '1', b: 'two' },
  },
  cluster: {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'cluster2', uid: 'cu-2', labels: { region: 'eu' } },
    spec: {
      clusterID: 'c-2',
      authInfo: { secretRef: { name: 'cluster2-kubeconfig', namespace: 'cluster-registry' } },
      kubernetesApiEndpoints: [{ serverAddress: 'https://cluster2:6443', caBundle: 'aGVsbG8=' }],
    },
    status: { state: 'Ready', type: 'Peer', message: 'ok' },
  },
  localCluster: {
    apiVersion: 'clusterregistry.k8s.cisco.com/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'cluster1', uid: 'cu-1' },
    spec: { clusterID: 'c-1' },
    status: { state: 'Ready', type: 'Local' },
  },
};

/** What sdm's cluster registry passes to override templates for REGISTRY_DATA. */
export function registryTemplateData(): unknown {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: test data in the registry's input shapes
    Object: new TemplateObject(structuredClone(REGISTRY_DATA.object) as any),
    // biome-ignore lint/suspicious/noExplicitAny: as above
    Cluster: new TemplateCluster(structuredClone(REGISTRY_DATA.cluster) as any),
    // biome-ignore lint/suspicious/noExplicitAny: as above
    LocalCluster: new TemplateCluster(structuredClone(REGISTRY_DATA.localCluster) as any),
  };
}

export interface Outcome {
  readonly out: string;
  readonly err: string;
}

export function renderSdm(c: OracleCase): Outcome {
  const data = c.m === 'registry' ? registryTemplateData() : structuredClone(c.d);
  try {
    return { out: renderTemplate(c.t, data, { name: 't' }), err: '' };
  } catch (e) {
    return { out: '', err: e instanceof Error ? e.message : String(e) };
  }
}

/** Do two outcomes agree? Output exactly; on error, the same message (Go's partial output is ignored). */
export function agree(go: OracleResult, sdm: Outcome): boolean {
  if (go.err !== '' || sdm.err !== '') return go.err === sdm.err;
  return go.out === sdm.out;
}

export interface Mismatch {
  readonly case: OracleCase;
  readonly go: OracleResult;
  readonly sdm: Outcome;
  /** The documented difference that explains it, if any. */
  readonly explainedBy: Difference | undefined;
}

export interface RunResult {
  readonly cases: number;
  readonly mismatches: readonly Mismatch[];
  readonly unexplained: readonly Mismatch[];
  readonly byDifference: ReadonlyMap<string, number>;
}

export const DIFFERENCES: readonly Difference[] = differences(REGISTRY_DATA);

export function generateCases(seed: number, plain: number, registry: number): OracleCase[] {
  const g = new Generator(seed);
  const cases: OracleCase[] = [];
  for (let i = 0; i < plain; i++) cases.push({ t: g.template(), d: PLAIN_DATA });
  g.registry = true;
  for (let i = 0; i < registry; i++) cases.push({ t: g.template(), d: REGISTRY_DATA, m: 'registry' });
  return cases;
}

export function runDifferential(oracle: string, cases: readonly OracleCase[]): RunResult {
  const goResults = runOracle(oracle, cases);
  const mismatches: Mismatch[] = [];
  const byDifference = new Map<string, number>();
  cases.forEach((c, i) => {
    const go = goResults[i]!;
    const sdm = renderSdm(c);
    if (agree(go, sdm)) return;
    const explainedBy = DIFFERENCES.find((d) => d.explains(c.t, go, sdm));
    if (explainedBy !== undefined)
      byDifference.set(explainedBy.name, (byDifference.get(explainedBy.name) ?? 0) + 1);
    mismatches.push({ case: c, go, sdm, explainedBy });
  });
  return {
    cases: cases.length,
    mismatches,
    unexplained: mismatches.filter((m) => m.explainedBy === undefined),
    byDifference,
  };
}

export function describeMismatch(m: Mismatch): string {
  return `template: ${JSON.stringify(m.case.t)}${m.case.m === 'registry' ? ' (registry data)' : ''}\n  go:  ${JSON.stringify(m.go.err !== '' ? { err: m.go.err } : { out: m.go.out })}\n  sdm: ${JSON.stringify(m.sdm.err !== '' ? { err: m.sdm.err } : { out: m.sdm.out })}`;
}
