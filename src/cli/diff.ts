// `sdm diff -f FILE`: what the file would change, per component; touches nothing.
import { Command } from 'commander';
import { diffManifest, formatDiff } from '../installer/diff.ts';
import {
  type CommonFlags,
  clientFor,
  commonOptions,
  engineFor,
  readManifestFile,
} from './installer-support.ts';

export function diffCommand(): Command {
  return commonOptions(
    new Command('diff')
      .description('show, per component, the objects a manifest would create (+), change (~) and prune (-)')
      .requiredOption('-f, --file <file>', 'ApplicationManifest YAML ("-" for stdin)')
      .option('--charts-dir <dir>', 'local chart directories overriding the catalog (air-gapped)'),
    { mutating: false },
  ).action(async (flags: CommonFlags & { file: string }) => {
    const manifest = readManifestFile(flags.file);
    const client = clientFor(flags);
    try {
      const diffs = await diffManifest(engineFor(client, flags), manifest);
      if (flags.output === 'json') process.stdout.write(`${JSON.stringify(diffs, null, 2)}\n`);
      else process.stdout.write(formatDiff(diffs));
      if (diffs.some((d) => d.error)) process.exitCode = 1;
    } finally {
      await client.transport.close();
    }
  });
}
