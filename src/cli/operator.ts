// `sdm operator`: runs controllers from src/controllers/index.ts in one
// manager, with leader election on a Lease, /healthz /readyz /metrics.
import { Command } from 'commander';
import { controllerEntries, findController } from '../controllers/index.ts';
import { loadKubeConfig } from '../installer/kubeconfig.ts';
import { DEFAULT_LEASE_NAME, DEFAULT_LEASE_NAMESPACE } from '../installer/lease.ts';
import { Manager } from '../kube/index.ts';

interface OperatorFlags {
  controllers?: string;
  leaderElection: boolean;
  leaderElectionNamespace: string;
  leaderElectionId: string;
  healthPort: string;
  set: string[];
  kubeconfig?: string;
  context?: string;
}

export function operatorCommand(): Command {
  return new Command('operator')
    .description('run sdm controllers (default: all) with leader election, health and metrics')
    .option('--controllers <names>', 'comma-separated controllers to run')
    .option('--no-leader-election', 'run without a Lease (one replica only)')
    .option(
      '--leader-election-namespace <ns>',
      'namespace of the Lease',
      process.env.LEADER_ELECTION_NAMESPACE || DEFAULT_LEASE_NAMESPACE,
    )
    .option('--leader-election-id <name>', 'name of the Lease', DEFAULT_LEASE_NAME)
    .option('--health-port <port>', 'serve /healthz /readyz /metrics on this port', '8081')
    .option(
      '--set <key=value>',
      'controller option (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--kubeconfig <path>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .action(async (flags: OperatorFlags) => {
      const names = flags.controllers
        ? flags.controllers
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : controllerEntries.map((c) => c.name);
      const entries = names.map(findController);
      const options: Record<string, string> = {};
      for (const kv of flags.set) {
        const eq = kv.indexOf('=');
        if (eq < 1) throw new Error(`--set ${kv}: expected key=value`);
        options[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const port = Number(flags.healthPort);
      if (!Number.isInteger(port) || port < 0)
        throw new Error(`--health-port ${flags.healthPort}: not a port`);
      const manager = new Manager({
        kubeConfig: loadKubeConfig(flags),
        name: 'sdm-operator',
        healthPort: port,
        leaderElection: flags.leaderElection
          ? { namespace: flags.leaderElectionNamespace, name: flags.leaderElectionId }
          : undefined,
      });
      for (const e of entries) await e.register(manager, options);
      manager.log.info({ controllers: names }, 'starting');
      await manager.run();
    });
}
