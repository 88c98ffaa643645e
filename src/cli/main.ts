// The `sdm` command. Each subcommand lives in its own file and registers itself here.
// `sdm operator` has an entry of its own (operator-main.ts, chosen by bin/sdm)
// that loads only the operator's modules, not every command's.
import { appCommand } from './app.ts';
import { deleteCommand } from './delete.ts';
import { demoCommand } from './demo.ts';
import { devClusterCommand } from './dev-cluster.ts';
import { diffCommand } from './diff.ts';
import { installCommand } from './install.ts';
import { istioCommand } from './istio.ts';
import { kafkaCommand } from './kafka.ts';
import { operatorCommand } from './operator.ts';
import { runProgram, sdmProgram } from './program.ts';
import { reconcileCommand } from './reconcile.ts';
import { statusCommand } from './status.ts';
import { uninstallCommand } from './uninstall.ts';

const program = sdmProgram();

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

await runProgram(program);
