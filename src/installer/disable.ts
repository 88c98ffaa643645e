// The merge patch that disables components in a manifest's spec. Pure.
const PATHS: Record<string, string[]> = {
  prometheusOperator: ['monitoring', 'prometheusOperator'],
  grafanaDashboards: ['monitoring', 'grafanaDashboards'],
};

export function disablePatch(components: readonly string[]): { spec: Record<string, unknown> } {
  const spec: Record<string, unknown> = {};
  for (const name of components) {
    const path = PATHS[name] ?? [name];
    let at = spec;
    for (const p of path.slice(0, -1)) {
      at[p] ??= {};
      at = at[p] as Record<string, unknown>;
    }
    at[path[path.length - 1]!] = { enabled: false };
    // The old spelling would otherwise keep the component enabled.
    if (name === 'clusterRegistry') spec.clusterregistry = { enabled: false };
  }
  return { spec };
}
