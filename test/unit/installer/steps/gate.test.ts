import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../../../../src/installer/catalog.ts';
import { gateStep } from '../../../../src/installer/steps/gate.ts';
import type { ComponentResult } from '../../../../src/installer/types.ts';

const kafka = catalog.find((c) => c.name === 'kafkaOperator')!;
const all = () => true;
const available = (names: string[]) =>
  new Map<string, ComponentResult>(names.map((n) => [n, { name: n, status: 'Available', message: '' }]));

describe('step gate', () => {
  it('waits for a dependency that is not Available yet, naming it', () => {
    const g = gateStep(kafka, { installed: false, enabled: all, results: new Map() });
    assert.deepEqual(g, {
      go: false,
      result: { status: 'Reconciling', message: 'waiting for imagePullSecretsOperator to be Available' },
    });
  });
  it('waits for the mesh, then labels the namespace with its revision', () => {
    const deps = available(kafka.dependsOn as string[]);
    const waiting = gateStep(kafka, {
      installed: false,
      enabled: all,
      results: deps,
      mesh: { available: false, message: 'no IstioControlPlane in istio-system yet' },
    });
    assert.equal(waiting.go, false);
    assert.match(JSON.stringify(waiting), /waiting for the Istio mesh: no IstioControlPlane/);
    const go = gateStep(kafka, {
      installed: false,
      enabled: all,
      results: deps,
      mesh: { available: true, message: '', revision: 'icp-v115x.istio-system' },
    });
    assert.deepEqual(go, { go: true, namespaceLabels: { 'istio.io/rev': 'icp-v115x.istio-system' } });
  });
  it('lets an installed component through whatever its dependencies do, with no labels when there is no mesh', () => {
    const failed = new Map<string, ComponentResult>([
      ['csrOperator', { name: 'csrOperator', status: 'Failed', message: 'x' }],
    ]);
    assert.deepEqual(gateStep(kafka, { installed: true, enabled: all, results: failed }), { go: true });
    const g = gateStep(kafka, { installed: false, enabled: all, results: failed });
    assert.equal(g.go, false);
  });
});
