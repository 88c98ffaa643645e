// Every controller the `sdm` binary can run. `sdm operator --controllers=a,b`
// picks from this list; each chart deploys the sdm image with the names of
// the controllers it wants. A controller folder exports one entry and
// registers it here with one line.
import { applicationManifestEntry } from '../installer/entry.ts';
import type { Manager } from '../kube/index.ts';
import { clusterRegistryEntry } from './clusterregistry/controller.ts';
import { csrSignerController } from './csrsigner/index.ts';
import { imagePullSecretsController } from './imagepullsecrets/index.ts';

export interface ControllerEntry {
  /** What --controllers names it by, e.g. "imagepullsecrets". */
  name: string;
  description: string;
  /** Adds the controller(s) to the manager; options come from `--set key=value` flags and env. */
  register(manager: Manager, options: Record<string, string>): Promise<void> | void;
}

export const controllerEntries: ControllerEntry[] = [
  applicationManifestEntry,
  clusterRegistryEntry,
  imagePullSecretsController,
  csrSignerController,
];

export function findController(name: string): ControllerEntry {
  const entry = controllerEntries.find((c) => c.name === name);
  if (!entry) {
    const known = controllerEntries.map((c) => c.name).join(', ') || '(none)';
    throw new Error(`unknown controller ${JSON.stringify(name)}; known: ${known}`);
  }
  return entry;
}
