// `sdm operator`: runs controllers from the composition root
// (src/operator/controllers.ts) in one manager, with leader election on a
// Lease, /healthz /readyz /metrics. `--list` shows each controller's options.
import { Command } from 'commander';
import { loadKubeConfig } from '../installer/kubeconfig.ts';
import { DEFAULT_LEASE_NAME, DEFAULT_LEASE_NAMESPACE } from '../installer/lease.ts';
import { describeOptions } from '../kube/index.ts';
import { controllerEntries } from '../operator/controllers.ts';
import { buildOperator } from '../operator/run.ts';

interface OperatorFlags {
  controllers?: string;
  list?: boolean;
  leaderElection: boolean;
  leaderElectionNamespace: string;
  leaderElectionId: string;
  healthPort: string;
  set: string[];
  kubeconfig?: string;
  context?: string;
}

/** Every controller with its description and options, as --list and --help show them. */
export function controllerList(): string {
  const lines: string[] = [];
  for (const e of controllerEntries) {
    lines.push(`${e.name}: ${e.description}`);
    for (const o of describeOptions(e)) lines.push(`    ${o}`);
  }
  return lines.join('\n');
}

export function operatorCommand(): Command {
  return new Command('operator')
    .description('run sdm controllers (default: all) with leader election, health and metrics')
    .option('--controllers <names>', 'comma-separated controllers to run')
    .option('--list', 'list the controllers and their options, then exit')
    .option('--no-leader-election', 'run without a Lease (one replica only)')
    .option(
      '--leader-election-namespace <ns>',
      'namespace of the Lease',
      process.env.LEADER_ELECTION_NAMESPACE || DEFAULT_LEASE_NAMESPACE,
    )
    .option('--leader-election-id <name>', 'name of the Lease', DEFAULT_LEASE_NAME)
    .option('--health-port <port>', 'serve /healthz /readyz /metrics on this port', '8081')
    .option(
      '--set <controller.option=value>',
      'controller option (repeatable), e.g. --set clusterregistry.probeIntervalMs=5000',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--kubeconfig <path>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .addHelpText('after', () => `\nControllers and their options:\n${controllerList()}`)
    .action(async (flags: OperatorFlags) => {
      if (flags.list) {
        process.stdout.write(`${controllerList()}\n`);
        return;
      }
      const port = Number(flags.healthPort);
      if (!Number.isInteger(port) || port < 0)
        throw new Error(`--health-port ${flags.healthPort}: not a port`);
      const { manager, entries } = await buildOperator({
        kubeConfig: () => loadKubeConfig(flags),
        controllers: flags.controllers
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        set: flags.set,
        healthPort: port,
        leaderElection: flags.leaderElection
          ? {
              namespace: flags.leaderElectionNamespace,
              name: flags.leaderElectionId,
              // The pod's name (downward API): a container restarted in the same pod (after it
              // lost the lease to an API server outage) takes its own lease back at once
              // instead of waiting out the lease duration (issue 13 item 10).
              ...(process.env.POD_NAME ? { identity: process.env.POD_NAME } : {}),
            }
          : undefined,
      });
      manager.log.info({ controllers: entries.map((e) => e.name) }, 'starting');
      await manager.run();
    });
}
