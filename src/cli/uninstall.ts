// `sdm uninstall -a`: remove every component (reverse dependency order), then
// the ApplicationManifest itself. CRDs and PVCs stay unless --purge.
import { Command } from 'commander';
import { ApplicationManifestKind } from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { disableAndWait } from './delete.ts';
import { type CommonFlags, clientFor, commonOptions, findStoredManifest } from './installer-support.ts';

export function uninstallCommand(): Command {
  return commonOptions(
    new Command('uninstall')
      .description('remove the whole platform and its ApplicationManifest')
      .option('-a, --all', 'required: confirms that everything goes')
      .option('--purge', 'also delete CRDs and PVCs (loses every custom resource and volume of them)'),
  ).action(async (flags: CommonFlags & { all?: boolean; purge?: boolean }) => {
    if (!flags.all) throw new Error('uninstall removes everything: confirm with -a');
    const code = await disableAndWait(flags, [], flags.purge);
    if (code !== 0) {
      process.exitCode = code;
      return;
    }
    const client = clientFor(flags);
    try {
      const stored = await findStoredManifest(client);
      if (stored) {
        await client.delete(ApplicationManifestKind, {
          namespace: stored.metadata?.namespace,
          name: stored.metadata?.name ?? '',
        });
        process.stderr.write(
          `deleted ApplicationManifest ${stored.metadata?.namespace}/${stored.metadata?.name}\n`,
        );
      }
    } finally {
      await client.transport.close();
    }
  });
}
