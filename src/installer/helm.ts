// Where the installer finds helm: $SDM_HELM (the operator image sets it),
// else the one `make tools` builds into .tools/bin, else helm on the PATH.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';

export function helmBinary(): string {
  if (process.env.SDM_HELM) return process.env.SDM_HELM;
  const built = join(packageRoot, '.tools', 'bin', 'helm');
  return existsSync(built) ? built : 'helm';
}
