// `sdm reconcile [-f FILE]`: make the cluster match the file (or re-run the
// stored manifest when no file is given).
import { Command } from 'commander';
import { type CommonFlags, commonOptions, readManifestFile, storeAndReconcile } from './installer-support.ts';

export function reconcileCommand(): Command {
  return commonOptions(
    new Command('reconcile')
      .description('reconcile the platform with an ApplicationManifest file (default: the stored one)')
      .option('-f, --file <file>', 'ApplicationManifest YAML ("-" for stdin)')
      .option('--purge', "also delete removed components' CRDs and PVCs (loses their data)"),
  ).action(async (flags: CommonFlags & { file?: string; purge?: boolean }) => {
    const manifest = flags.file ? readManifestFile(flags.file) : undefined;
    process.exitCode = await storeAndReconcile(flags, manifest, { purge: flags.purge });
  });
}
