// `sdm operator` as a process of its own: the same command as through
// main.ts, without importing every other command's modules (the dev-cluster
// launcher, the installer CLI, the demo...), which a long-running controller
// would keep in memory for nothing (bench/memory/operator.ts). bin/sdm runs
// this entry when the first argument is `operator`; any other command line
// goes to main.ts.
import { operatorCommand } from './operator.ts';
import { runProgram, sdmProgram } from './program.ts';

await runProgram(sdmProgram().addCommand(operatorCommand()));
