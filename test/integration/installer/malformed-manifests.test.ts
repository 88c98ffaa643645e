// Issue 13's property test: at least 500 generated malformed
// ApplicationManifests (malformed-manifests.ts) go to a real API server; each
// is refused there with a message naming a field, or goes through the
// installer's engine on that control plane, where each component ends in a
// state with a message when Failed, nothing throws, and no Deployment carries
// a replica count other than the one the valuesOverride asked for.
// SDM_MALFORMED_SEED and SDM_MALFORMED_COUNT replay or widen a run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LABEL_COMPONENT } from '../../../src/apis/supertubes.banzaicloud.io/keys.ts';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  resolveSpec,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Engine } from '../../../src/installer/engine.ts';
import { ApiError, Client, errorMessage, type KubeObject } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { generateCases, type MalformedCase } from './malformed-manifests.ts';
import { chartsDir, Deployments, installOurCrds, playIstioOperator } from './support.ts';

const SEED = Number(process.env.SDM_MALFORMED_SEED ?? 1313);
const COUNT = Number(process.env.SDM_MALFORMED_COUNT ?? 520);
const NS = 'supertubes-control-plane';
// Every admitted case is reconciled as this one manifest, so inventories and
// ownership carry over from case to case as they would for one user editing.
const ENGINE_NAME = 'malformed';
const STATES = new Set(['Available', 'Reconciling', 'Failed', 'Removed', 'Removing']);
// A field as the API server names one: spec, spec.x.y, metadata.name, unknown
// field "spec.x", the Go field .kind / .apiVersion (or 'Kind'), "the API version in the
// data", or metadata by its Go type (v1.ObjectMeta).
const NAMES_A_FIELD =
  /(^|[\s".])(spec|metadata)(\.[\w-]+|\[\d+\])*: |unknown field "[\w.[\]-]+"|\.(kind|apiVersion)\b|Object 'Kind' is missing|the API version in the data|Go value of type v1\.ObjectMeta|\bname or generateName is required/;
// The gate's answers: a component not yet installed that waits; it applied nothing.
const WAITING = /^waiting for /;

interface Tally {
  generated: number;
  refused: number;
  failed: number;
  reconciling: number;
  succeeded: number;
  /** Replica counts checked against the live Deployment (or the Failed state), and left waiting. */
  replicasJudged: number;
  replicasUnjudged: number;
}

/** Time (ms) all cases together may spend on extra passes. */
const settleBudget = { ms: 60_000 };

describe('malformed ApplicationManifests (property test, issue 13)', () => {
  let cp: ControlPlane;
  let admin: Client;
  let engine: Engine;
  let stopIstio: () => Promise<void>;

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    engine = new Engine({ client: admin, chartsDir, crdWaitMs: 5_000, hookWaitMs: 5_000 });
    stopIstio = playIstioOperator(admin);
    // The new CRD's storage answers 429 for a moment after Established.
    await eventually(() => admin.list(ApplicationManifestKind));
  });
  after(async () => {
    await stopIstio?.();
    await admin?.transport.close();
    await cp?.stop();
  });

  /** Create as kubectl does (strict field validation), server-side dry run: the API server's verdict. */
  async function admit(m: ApplicationManifest, index: number): Promise<ApplicationManifest> {
    const meta = m.metadata as unknown;
    // A metadata of the wrong type goes as it is; a good one is given a unique name.
    const metadata =
      typeof meta === 'object' && meta !== null && !Array.isArray(meta)
        ? { ...meta, namespace: NS, ...('name' in meta ? { name: `case-${index}` } : {}) }
        : meta === undefined
          ? { namespace: NS }
          : meta;
    const body = { ...m, metadata } as KubeObject;
    return admin.transport.request<ApplicationManifest>({
      method: 'POST',
      path: `/apis/${ApplicationManifestKind.apiVersion}/namespaces/${NS}/${ApplicationManifestKind.plural}`,
      body,
      query: { dryRun: 'All', fieldValidation: 'Strict', fieldManager: 'malformed-test' },
    });
  }

  /** What is wrong with the engine's answer for one admitted case (empty: nothing). */
  async function judge(c: MalformedCase, admitted: ApplicationManifest, tally: Tally): Promise<string[]> {
    const problems: string[] = [];
    const m = {
      ...admitted,
      metadata: { ...admitted.metadata, name: ENGINE_NAME, namespace: NS, generation: 1 },
    } as ApplicationManifest;
    const resolved = resolveSpec(admitted.spec ?? {}).resolved;
    // Components with a replica count to check, by engine name.
    const checked = new Set(
      engine.catalog
        .filter((d) => c.replicaIntents.some((i) => i.text === d.block(resolved).valuesOverride))
        .map((d) => d.name),
    );
    let pass: Awaited<ReturnType<Engine['reconcile']>>;
    try {
      pass = await engine.reconcile(m);
      // A checked component still waiting for its first install gets a few more
      // passes (within a budget shared by all cases), so the check has a subject.
      for (let i = 0; i < 12 && settleBudget.ms > 0; i++) {
        const waiting = pass.results.some((r) => checked.has(r.name) && WAITING.test(r.message));
        if (!waiting) break;
        const t = Date.now();
        await new Promise((r) => setTimeout(r, 250));
        pass = await engine.reconcile(m);
        settleBudget.ms -= Date.now() - t;
      }
    } catch (err) {
      return [`the engine threw: ${errorMessage(err)}`];
    }
    const overall = pass.status.status;
    if (overall === 'Failed') tally.failed++;
    else if (overall === 'Succeeded') tally.succeeded++;
    else if (overall === 'Reconciling') tally.reconciling++;
    else problems.push(`manifest status ${JSON.stringify(overall)}`);

    for (const r of pass.results) {
      if (!STATES.has(r.status)) problems.push(`${r.name}: state ${JSON.stringify(r.status)}`);
      if (r.status === 'Failed' && !r.message?.trim()) problems.push(`${r.name}: Failed without a message`);
      const def = engine.catalog.find((d) => d.name === r.name);
      if (!def) continue;
      const block = def.block(resolved);
      if (!block.enabled || block.valuesOverride === undefined) continue;
      for (const f of c.mustFail) {
        if (f.text === block.valuesOverride && r.status !== 'Failed')
          problems.push(`${r.name}: ${f.why} in ${block.path}.valuesOverride, yet ${r.status}: ${r.message}`);
      }
      for (const intent of c.replicaIntents) {
        if (intent.text !== block.valuesOverride) continue;
        if (r.status === 'Failed') {
          tally.replicasJudged++;
          continue;
        }
        if (WAITING.test(r.message)) {
          // Not installed yet: nothing was applied, so nothing can be wrong.
          tally.replicasUnjudged++;
          continue;
        }
        tally.replicasJudged++;
        if (intent.exact === undefined) {
          problems.push(`${r.name}: ${intent.text} cannot be a replica count, yet ${r.status}: ${r.message}`);
          continue;
        }
        const live = (
          await admin.list(Deployments, {
            namespace: block.namespace,
            labelSelector: `${LABEL_COMPONENT}=${def.name}`,
          })
        ).items as (KubeObject & { spec?: { replicas?: number } })[];
        if (live.length === 0)
          problems.push(`${r.name}: ${r.status} but no Deployment in ${block.namespace}`);
        for (const d of live) {
          if (d.spec?.replicas !== intent.exact)
            problems.push(
              `${r.name}: Deployment ${d.metadata?.name} has ${d.spec?.replicas} replicas, the override said ${intent.exact}`,
            );
        }
      }
    }
    return problems;
  }

  it(`refuses or fails every one of ${COUNT} (seed ${SEED}) with a message, never a crash or a silent change`, async () => {
    console.log(`malformed manifests: seed ${SEED} (SDM_MALFORMED_SEED=${SEED} replays), ${COUNT} cases`);
    const cases = generateCases(SEED, COUNT);
    const tally: Tally = {
      generated: cases.length,
      refused: 0,
      failed: 0,
      reconciling: 0,
      succeeded: 0,
      replicasJudged: 0,
      replicasUnjudged: 0,
    };
    const violations: string[] = [];
    for (const c of cases) {
      const what = `case ${c.index} (${c.seedFile}: ${c.mutations.join('; ')})`;
      let admitted: ApplicationManifest;
      try {
        admitted = await admit(c.manifest, c.index);
      } catch (err) {
        const message = errorMessage(err);
        const status = err instanceof ApiError ? err.statusCode : undefined;
        if (status === undefined || status < 400 || status >= 500)
          violations.push(`${what}: refused with HTTP ${status}, not as invalid input: ${message}`);
        else if (!NAMES_A_FIELD.test(message))
          violations.push(`${what}: refused without naming a field: ${message}`);
        tally.refused++;
        continue;
      }
      for (const p of await judge(c, admitted, tally)) violations.push(`${what}: ${p}`);
    }
    console.log(
      `malformed manifests: generated ${tally.generated}, refused at admission ${tally.refused}, ` +
        `Failed in the engine ${tally.failed}, Reconciling ${tally.reconciling}, Succeeded ${tally.succeeded}; ` +
        `replica counts checked ${tally.replicasJudged}, left waiting ${tally.replicasUnjudged}`,
    );
    for (const v of violations.slice(0, 40)) console.log(`  VIOLATION ${v}`);
    assert.ok(tally.generated >= 500, `at least 500 generated (${tally.generated})`);
    assert.equal(
      tally.refused + tally.failed + tally.reconciling + tally.succeeded,
      tally.generated,
      'every case accounted for',
    );
    const admitted = tally.generated - tally.refused;
    assert.ok(tally.refused > 0 && admitted >= 100, `admission and >= 100 full engine passes (${admitted})`);
    assert.ok(tally.failed > 0, 'the engine failed some');
    assert.ok(tally.replicasJudged >= 10, `the replica check had subjects (${tally.replicasJudged})`);
    assert.deepEqual(violations, [], `${violations.length} violations`);
  });
});
