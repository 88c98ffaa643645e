// The `sdm` command. Each subcommand lives in its own file and registers itself here.
import { Command } from 'commander';
import { demoCommand } from './demo.ts';
import { devClusterCommand } from './dev-cluster.ts';

const program = new Command('sdm')
  .description('Streaming Data Manager: installs and keeps healthy a Kafka streaming platform on Kubernetes')
  .version('0.1.0')
  .showHelpAfterError();

program.addCommand(devClusterCommand());
program.addCommand(demoCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`sdm: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
