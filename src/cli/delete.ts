// `sdm delete [COMPONENT...]`: disable components (all when none are named)
// and remove them in reverse dependency order. CRDs and PVCs stay unless --purge.
import { Command } from 'commander';
import { ApplicationManifestKind } from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { catalog, componentsNamed } from '../installer/catalog.ts';
import { disablePatch } from '../installer/disable.ts';
import {
  type CommonFlags,
  clientFor,
  commonOptions,
  findStoredManifest,
  refuseInOperatorMode,
  storeAndReconcile,
} from './installer-support.ts';

export function deleteCommand(): Command {
  return commonOptions(
    new Command('delete')
      .description('remove components (all when none are named); the ApplicationManifest stays')
      .argument('[components...]', `components: ${catalog.map((c) => c.name).join(', ')}, monitoring`)
      .option('--purge', 'also delete their CRDs and PVCs (loses every custom resource and volume of them)'),
  ).action(async (names: string[], flags: CommonFlags & { purge?: boolean }) => {
    process.exitCode = await disableAndWait(flags, names, flags.purge);
  });
}

export async function disableAndWait(
  flags: Parameters<typeof storeAndReconcile>[0],
  names: string[],
  purge?: boolean,
): Promise<number> {
  const defs = names.length > 0 ? names.flatMap((n) => componentsNamed(n)) : [...catalog];
  const client = clientFor(flags);
  try {
    await refuseInOperatorMode(client, flags);
    const stored = await findStoredManifest(client);
    if (!stored) throw new Error('no ApplicationManifest in the cluster: nothing to delete');
    const ref = { namespace: stored.metadata?.namespace, name: stored.metadata?.name ?? '' };
    await client.patch(ApplicationManifestKind, ref, disablePatch(defs.map((d) => d.name)), 'merge');
  } finally {
    await client.transport.close();
  }
  const keys = new Set(defs.map((d) => d.statusKey));
  return storeAndReconcile(flags, undefined, {
    purge,
    done: (s) =>
      Object.entries(s.components ?? {}).every(([k, c]) => !keys.has(k) || c.status === 'Removed') ||
      s.status === 'Failed',
  });
}
