// The `sdm` command. Each subcommand lives in its own file and registers itself here.
import { Command } from 'commander';
import { appCommand } from './app.ts';
import { deleteCommand } from './delete.ts';
import { demoCommand } from './demo.ts';
import { devClusterCommand } from './dev-cluster.ts';
import { diffCommand } from './diff.ts';
import { installCommand } from './install.ts';
import { istioCommand } from './istio.ts';
import { kafkaCommand } from './kafka.ts';
import { operatorCommand } from './operator.ts';
import { reconcileCommand } from './reconcile.ts';
import { statusCommand } from './status.ts';
import { uninstallCommand } from './uninstall.ts';

const program = new Command('sdm')
  .description('Streaming Data Manager: installs and keeps healthy a Kafka streaming platform on Kubernetes')
  .version('0.1.0')
  .showHelpAfterError();

program.addCommand(devClusterCommand());
program.addCommand(demoCommand());
program.addCommand(operatorCommand());
program.addCommand(installCommand());
program.addCommand(reconcileCommand());
program.addCommand(deleteCommand());
program.addCommand(uninstallCommand());
program.addCommand(statusCommand());
program.addCommand(diffCommand());
program.addCommand(istioCommand());
program.addCommand(kafkaCommand());
program.addCommand(appCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`sdm: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
