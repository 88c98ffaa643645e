// `sdm status`: the stored ApplicationManifest's status, per component.
import { Command } from 'commander';
import {
  type CommonFlags,
  clientFor,
  commonOptions,
  findStoredManifest,
  printResult,
} from './installer-support.ts';

export function statusCommand(): Command {
  return commonOptions(new Command('status').description('show the status of every component'), {
    mutating: false,
  }).action(async (flags: CommonFlags) => {
    const client = clientFor(flags);
    try {
      const stored = await findStoredManifest(client);
      if (!stored) throw new Error('no ApplicationManifest in the cluster: install one with sdm install');
      printResult(stored, stored.status, flags.output);
      if (stored.status?.status === 'Failed') process.exitCode = 1;
    } finally {
      await client.transport.close();
    }
  });
}
