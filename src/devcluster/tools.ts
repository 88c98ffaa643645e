// Where the binaries built by `make tools` (tools/build.sh) live.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';

export const repoRoot = packageRoot;

export function toolsBinDir(): string {
  return process.env.SDM_TOOLS_BIN ?? join(repoRoot, '.tools', 'bin');
}

export function toolPath(name: string): string {
  const path = join(toolsBinDir(), name);
  if (!existsSync(path)) {
    throw new Error(`${name} is not built (looked for ${path}); run 'make tools' first`);
  }
  return path;
}

/** Where local control planes keep their directories. */
export function devClustersHome(): string {
  return process.env.SDM_DEV_HOME ?? join(repoRoot, '.sdm', 'clusters');
}
