// `sdm dev-cluster up|down|list`: local control planes from the binaries `make tools` built.
import { Command, InvalidArgumentError } from 'commander';
import {
  listControlPlanes,
  openControlPlane,
  reapStaleControlPlanes,
  reapStaleKafkas,
  startControlPlane,
} from '../devcluster/index.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
}

const say = (message: string) => process.stderr.write(`${message}\n`);

export function devClusterCommand(): Command {
  const cmd = new Command('dev-cluster').description(
    'local Kubernetes control planes (etcd, kube-apiserver, controller-manager, scheduler, kwok fake nodes)',
  );

  cmd
    .command('up')
    .description('start a control plane; prints its kubeconfig path as the last line')
    .option('--name <name>', 'name of the control plane', 'sdm')
    .option('--nodes <k>', 'number of fake Ready nodes', positiveInt, 1)
    .option('--kafka <n>', 'also start an n-broker KRaft Kafka (0: none)', positiveInt, 0)
    .action(async (opts: { name: string; nodes: number; kafka: number }) => {
      const started = Date.now();
      const cp = await startControlPlane({
        name: opts.name,
        nodes: opts.nodes,
        kafka: opts.kafka,
        lifetime: 'detached',
        progress: (m) => say(`[${opts.name}] ${m}`),
      });
      say(`[${opts.name}] ready in ${((Date.now() - started) / 1000).toFixed(1)}s at ${cp.server}`);
      const kafka = cp.kafka();
      // The kubeconfig path stays the last line: scripts take it with `tail -1`.
      const lines = [
        ...(kafka ? [`export KAFKA_BOOTSTRAP_SERVERS=${kafka.bootstrapServers}`] : []),
        `export KUBECONFIG=${cp.kubeconfigPath}`,
        cp.kubeconfigPath,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  cmd
    .command('down')
    .description('stop a control plane and remove its directory')
    .option('--name <name>', 'name of the control plane', 'sdm')
    .option('--all', 'stop every control plane')
    .action(async (opts: { name: string; all?: boolean }) => {
      const names = opts.all ? listControlPlanes().map((c) => c.state.name) : [opts.name];
      for (const name of names) {
        await openControlPlane(name).stop();
        say(`stopped ${name}`);
      }
    });

  cmd
    .command('list')
    .description('list control planes with their state')
    .action(() => {
      for (const name of [...reapStaleControlPlanes(), ...reapStaleKafkas()]) {
        say(`reaped ${name} (its owner process had died)`);
      }
      const rows = listControlPlanes().map(({ state, running, stopped, kafka }) => [
        state.name,
        stopped.length === 0
          ? 'Running'
          : running.length === 0
            ? 'Stopped'
            : `Degraded (down: ${stopped.join(',')})`,
        state.server,
        kafka ? `${kafka.running}/${kafka.brokers} ${kafka.bootstrapServers}` : '-',
        state.ownerPid === null ? 'cli' : `pid ${state.ownerPid}`,
        state.kubeconfigPath,
      ]);
      printTable(['NAME', 'STATE', 'SERVER', 'KAFKA', 'OWNER', 'KUBECONFIG'], rows);
    });

  return cmd;
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}
