// `sdm install -a | -f FILE`: store the ApplicationManifest and reconcile it
// from here until the platform is up (declarative CLI mode).
import { Command } from 'commander';
import {
  type CommonFlags,
  commonOptions,
  defaultManifest,
  readManifestFile,
  storeAndReconcile,
} from './installer-support.ts';

export function installCommand(): Command {
  return commonOptions(
    new Command('install')
      .description('install the platform: -a for all defaults, or -f for your ApplicationManifest')
      .option('-a, --all', 'install every component with defaults (a mesh and a ZooKeeper cluster included)')
      .option('-f, --file <file>', 'ApplicationManifest YAML ("-" for stdin)'),
  ).action(async (flags: CommonFlags & { all?: boolean; file?: string }) => {
    if (!flags.all === !flags.file) throw new Error('give either -a or -f FILE');
    const manifest = flags.file ? readManifestFile(flags.file) : defaultManifest();
    process.exitCode = await storeAndReconcile(flags, manifest);
  });
}
