// The frame of the `sdm` command both entry points share: its name, version
// and help behaviour, and how a failed command is reported (one line on
// stderr, exit code 1, no stack trace).
import { Command } from 'commander';

/** The `sdm` program with no subcommands yet. */
export function sdmProgram(): Command {
  return new Command('sdm')
    .description(
      'Streaming Data Manager: installs and keeps healthy a Kafka streaming platform on Kubernetes',
    )
    .version('0.1.0')
    .showHelpAfterError();
}

/** Parses process.argv and runs the command it names; an error is a message and exit code 1. */
export async function runProgram(program: Command): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    process.stderr.write(`sdm: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
