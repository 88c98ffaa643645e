// The dependency graph of components, and the decision a reconcile pass makes
// for each one before touching the cluster. Pure, so it is unit-tested.
import type { ComponentResult } from './types.ts';

export interface GraphNode {
  name: string;
  dependsOn: readonly string[];
}

/**
 * Components grouped in levels: every component comes after all it depends
 * on, and the components of one level are independent of each other (they
 * may be reconciled in parallel). Throws on a cycle or an unknown name.
 */
export function levels(nodes: readonly GraphNode[]): string[][] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const n of nodes) {
    for (const d of n.dependsOn) if (!byName.has(d)) throw new Error(`${n.name} depends on unknown ${d}`);
  }
  const done = new Set<string>();
  const out: string[][] = [];
  while (done.size < nodes.length) {
    const level = nodes.filter((n) => !done.has(n.name) && n.dependsOn.every((d) => done.has(d)));
    if (level.length === 0) {
      const left = nodes.filter((n) => !done.has(n.name)).map((n) => n.name);
      throw new Error(`dependency cycle among ${left.join(', ')}`);
    }
    for (const n of level) done.add(n.name);
    out.push(level.map((n) => n.name));
  }
  return out;
}

/** Components that (directly or not) depend on name. */
export function dependents(nodes: readonly GraphNode[], name: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (out.has(n.name)) continue;
      if (n.dependsOn.some((d) => d === name || out.has(d))) {
        out.add(n.name);
        grew = true;
      }
    }
  }
  return out;
}

export type Gate = { go: true } | { go: false; result: Omit<ComponentResult, 'name'> };

/**
 * May an enabled component be installed now? Only the first install waits:
 * a component already installed keeps being reconciled (drift, updates)
 * whatever its dependencies are doing, so one component's trouble never
 * takes down others that already run.
 */
export function gate(
  node: GraphNode,
  input: {
    installed: boolean;
    enabled: (name: string) => boolean;
    results: ReadonlyMap<string, ComponentResult>;
    /** undefined when the component does not wait for the mesh. */
    mesh?: { available: boolean; message: string };
  },
): Gate {
  if (input.installed) return { go: true };
  for (const d of node.dependsOn) {
    if (!input.enabled(d)) continue;
    const r = input.results.get(d);
    if (r?.status === 'Failed') {
      return { go: false, result: { status: 'Failed', message: `dependency ${d} failed: ${r.message}` } };
    }
    if (r?.status !== 'Available') {
      return { go: false, result: { status: 'Reconciling', message: `waiting for ${d} to be Available` } };
    }
  }
  if (input.mesh && !input.mesh.available) {
    return {
      go: false,
      result: { status: 'Reconciling', message: `waiting for the Istio mesh: ${input.mesh.message}` },
    };
  }
  return { go: true };
}

/**
 * May a disabled component be removed now? In reverse dependency order:
 * only after every component depending on it that is also going away is gone.
 */
export function removalGate(
  nodes: readonly GraphNode[],
  name: string,
  stillInstalled: (name: string) => boolean,
  enabled: (name: string) => boolean,
): { go: true } | { go: false; waitingFor: string[] } {
  const waiting = [...dependents(nodes, name)].filter((d) => !enabled(d) && stillInstalled(d));
  return waiting.length === 0 ? { go: true } : { go: false, waitingFor: waiting };
}
