// The composition root: every controller the `sdm` binary can run, one line
// each. `sdm operator --controllers=a,b` picks from this list and each chart
// deploys the sdm image with the names it wants. To add a controller, write
// src/controllers/<name>/entry.ts and add its entry here (CONTRIBUTING.md).
import { clusterRegistryEntry } from '../controllers/clusterregistry/entry.ts';
import { csrSignerEntry } from '../controllers/csrsigner/entry.ts';
import { imagePullSecretsEntry } from '../controllers/imagepullsecrets/entry.ts';
import { kafkaTopicEntry } from '../controllers/kafkatopic/entry.ts';
import { streamingAppEntry } from '../controllers/streamingapp/entry.ts';
import { applicationManifestEntry } from '../installer/entry.ts';
import type { ControllerEntry } from '../kube/index.ts';

export const controllerEntries: readonly ControllerEntry[] = [
  applicationManifestEntry,
  clusterRegistryEntry,
  imagePullSecretsEntry,
  csrSignerEntry,
  kafkaTopicEntry,
  streamingAppEntry,
];

/** The entries named, in the order given; an unknown name is an error listing the known ones. */
export function findControllers(names: readonly string[]): ControllerEntry[] {
  return names.map((name) => {
    const entry = controllerEntries.find((c) => c.name === name);
    if (!entry) {
      const known = controllerEntries.map((c) => c.name).join(', ') || '(none)';
      throw new Error(`unknown controller ${JSON.stringify(name)}; known: ${known}`);
    }
    return entry;
  });
}
