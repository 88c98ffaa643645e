// Step "gate": may an enabled component be installed now? Its dependencies
// must be Available, and a component living in the mesh waits for it (only
// for its first install; see graph.gate). When it goes ahead, its namespace
// joins the mesh by revision label (seed 003: never istio-injection, which
// would win over it and could pick an upstream Istio). Pure.
import { gate } from '../graph.ts';
import type { MeshState } from '../istio/mesh.ts';
import { REVISION_LABEL } from '../istio/revision.ts';
import type { ComponentDef, ComponentResult } from '../types.ts';

export interface GateInput {
  installed: boolean;
  enabled: (name: string) => boolean;
  results: ReadonlyMap<string, ComponentResult>;
  /** The platform's mesh, when this component waits for it. */
  mesh?: MeshState;
}

export type GateDecision =
  | { go: true; namespaceLabels?: Record<string, string> }
  | { go: false; result: Omit<ComponentResult, 'name'> };

export function gateStep(def: ComponentDef, input: GateInput): GateDecision {
  const g = gate(def, input);
  if (!g.go) return g;
  const revision = input.mesh?.revision;
  return revision ? { go: true, namespaceLabels: { [REVISION_LABEL]: revision } } : { go: true };
}
