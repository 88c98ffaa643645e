import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../../../src/installer/catalog.ts';
import { dependents, gate, levels, removalGate } from '../../../src/installer/graph.ts';
import type { ComponentResult } from '../../../src/installer/types.ts';

const indexIn = (order: string[][], name: string) => order.findIndex((l) => l.includes(name));

describe('dependency graph', () => {
  it('puts image pull secrets and CSR first, the mesh before ZooKeeper, monitoring before ServiceMonitors', () => {
    const order = levels(catalog);
    assert.deepEqual(order[0], ['imagePullSecretsOperator']);
    assert.ok(indexIn(order, 'csrOperator') < indexIn(order, 'istioOperator'));
    assert.ok(indexIn(order, 'istioOperator') < indexIn(order, 'zookeeperOperator'));
    assert.ok(indexIn(order, 'prometheusOperator') < indexIn(order, 'kafkaMinion'));
    assert.ok(indexIn(order, 'prometheusOperator') < indexIn(order, 'kafkaOperator'));
    assert.equal(order.flat().length, catalog.length);
  });

  it('refuses a cycle and an unknown dependency', () => {
    assert.throws(
      () =>
        levels([
          { name: 'a', dependsOn: ['b'] },
          { name: 'b', dependsOn: ['a'] },
        ]),
      /cycle among a, b/,
    );
    assert.throws(() => levels([{ name: 'a', dependsOn: ['x'] }]), /unknown x/);
  });

  it('finds everything downstream of a component', () => {
    const nodes = [
      { name: 'a', dependsOn: [] },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['b'] },
      { name: 'd', dependsOn: [] },
    ];
    assert.deepEqual([...dependents(nodes, 'a')].sort(), ['b', 'c']);
  });
});

describe('gate', () => {
  const node = { name: 'kafkaOperator', dependsOn: ['csrOperator', 'prometheusOperator'] };
  const results = (entries: [string, ComponentResult['status']][]) =>
    new Map(entries.map(([name, status]) => [name, { name, status, message: `${name} says ${status}` }]));
  const all = () => true;

  it('fails a dependent with a message naming the failed dependency', () => {
    const g = gate(node, {
      installed: false,
      enabled: all,
      results: results([
        ['csrOperator', 'Available'],
        ['prometheusOperator', 'Failed'],
      ]),
    });
    assert.equal(g.go, false);
    if (!g.go) {
      assert.equal(g.result.status, 'Failed');
      assert.match(g.result.message, /dependency prometheusOperator failed: prometheusOperator says Failed/);
    }
  });

  it('waits while a dependency is on its way, ignores disabled ones', () => {
    const waiting = gate(node, {
      installed: false,
      enabled: all,
      results: results([
        ['csrOperator', 'Reconciling'],
        ['prometheusOperator', 'Available'],
      ]),
    });
    assert.equal(waiting.go, false);
    if (!waiting.go) assert.equal(waiting.result.status, 'Reconciling');
    const ok = gate(node, {
      installed: false,
      enabled: (n) => n !== 'csrOperator',
      results: results([['prometheusOperator', 'Available']]),
    });
    assert.equal(ok.go, true);
  });

  it('waits for the mesh, and never holds back a component already installed', () => {
    const input = {
      enabled: all,
      results: results([
        ['csrOperator', 'Available'],
        ['prometheusOperator', 'Failed'],
      ]),
      mesh: { available: false, message: 'no IstioControlPlane in istio-system yet' },
    };
    assert.equal(gate(node, { ...input, installed: true }).go, true);
    const m = gate({ name: 'z', dependsOn: [] }, { ...input, installed: false });
    assert.equal(m.go, false);
    if (!m.go) assert.match(m.result.message, /waiting for the Istio mesh: no IstioControlPlane/);
  });

  it('removes in reverse dependency order', () => {
    const installed = new Set(['prometheusOperator', 'kafkaMinion']);
    const g = removalGate(
      catalog,
      'prometheusOperator',
      (n) => installed.has(n),
      () => false,
    );
    assert.deepEqual(g, { go: false, waitingFor: ['kafkaMinion'] });
    installed.delete('kafkaMinion');
    assert.deepEqual(
      removalGate(
        catalog,
        'prometheusOperator',
        (n) => installed.has(n),
        () => false,
      ),
      {
        go: true,
      },
    );
  });
});
