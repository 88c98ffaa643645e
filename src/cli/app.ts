// `sdm app status NAME -n LANDSCAPE` and `sdm app list [-n LANDSCAPE | -A]`:
// what a StreamingApplication's status says (seed 004's phase, reason and
// pods; processes with ready/desired pods and consumer lag; topics), as a
// table or with -o yaml|json. Read-only: one GET or LIST.
import { Command } from 'commander';
import { stringify } from 'yaml';
import {
  type StreamingApplication,
  StreamingApplicationKind,
} from '../apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import { NoKindMatchError } from '../kube/index.ts';
import { type CommonFlags, clientFor } from './installer-support.ts';

export interface AppFlags extends CommonFlags {
  namespace: string;
  allNamespaces?: boolean;
  output?: string;
}

const OUTPUTS = ['table', 'yaml', 'json'];

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return `${rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

const age = (created: string | undefined, now: number): string => {
  if (!created) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
};

/** `sdm app list` as a table: the kubectl columns PHASE, PODS, LAG, AGE. */
export function formatList(
  apps: readonly StreamingApplication[],
  now = Date.now(),
  withNamespace = false,
): string {
  if (apps.length === 0) return 'No streaming applications found.\n';
  const head = [...(withNamespace ? ['NAMESPACE'] : []), 'NAME', 'PHASE', 'PODS', 'LAG', 'AGE'];
  const rows = apps.map((a) => [
    ...(withNamespace ? [a.metadata?.namespace ?? ''] : []),
    a.metadata?.name ?? '',
    a.status?.phase ?? '',
    a.status?.readyPods ?? '',
    a.status?.lag === undefined ? '' : String(a.status.lag),
    age(a.metadata?.creationTimestamp, now),
  ]);
  return table([head, ...rows]);
}

/** `sdm app status NAME`: phase (and reason), processes, pods, topics, lag. */
export function formatStatus(a: StreamingApplication): string {
  const s = a.status ?? {};
  const lines = [
    `Application:  ${a.metadata?.namespace}/${a.metadata?.name}`,
    `Namespace:    ${s.namespace ?? '(not yet created)'}`,
    `Phase:        ${s.phase ?? '(not yet reconciled)'}${s.observedGeneration !== a.metadata?.generation ? ` (status of generation ${s.observedGeneration ?? '-'}, spec is ${a.metadata?.generation})` : ''}`,
  ];
  if (s.reason) lines.push(`Reason:       ${s.reason}`);
  lines.push(`Kafka:        ${a.spec.kafkaCluster}`, `Lag:          ${s.lag ?? 'unknown'}`, '');
  const procs = a.spec.processes.map((p) => {
    const ps = s.processes?.find((x) => x.name === p.name);
    return [
      p.name,
      `${ps?.readyReplicas ?? 0}/${p.replicas ?? 1}`,
      ps?.lag === undefined ? '' : String(ps.lag),
      ps?.consumerGroup ?? '',
      p.image,
    ];
  });
  lines.push(table([['PROCESS', 'READY', 'LAG', 'CONSUMER GROUP', 'IMAGE'], ...procs]).trimEnd(), '');
  const topics = a.spec.topics.map((t) => {
    const ts = s.topics?.find((x) => x.name === t.name);
    return [ts?.topicName ?? t.name, ts ? (ts.ready ? 'True' : 'False') : 'Unknown', ts?.message ?? ''];
  });
  lines.push(table([['TOPIC', 'READY', 'MESSAGE'], ...topics]).trimEnd(), '');
  lines.push(`Pods (${s.pods?.length ?? 0} running):`, ...(s.pods ?? []).map((p) => `  ${p}`));
  return `${lines.join('\n')}\n`;
}

function checkOutput(output: string | undefined): void {
  if (output !== undefined && !OUTPUTS.includes(output))
    throw new Error(`-o ${output}: expected one of yaml, json`);
}

function print(value: unknown, output: string | undefined, text: () => string): void {
  const o = output ?? 'table';
  if (o === 'json') process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else if (o === 'yaml') process.stdout.write(stringify(value));
  else process.stdout.write(text());
}

function crdMissing(err: unknown): never {
  if (err instanceof NoKindMatchError) {
    throw new Error(
      'the StreamingApplication CRD (streamingapplications.streaming.sdm.dev) is not installed: kubectl apply -f charts/crds/streamingapplications.streaming.sdm.dev.yaml',
    );
  }
  throw err;
}

export function appCommand(): Command {
  const cmd = new Command('app').description('StreamingApplications: processes connected by Kafka topics');
  const common = (c: Command) =>
    c
      .option('-n, --namespace <landscape>', 'the landscape (namespace) of the applications', 'default')
      .option('-o, --output <format>', 'yaml or json instead of a table')
      .option('--kubeconfig <path>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
      .option('--context <name>', 'kubeconfig context');
  cmd.addCommand(
    common(
      new Command('status')
        .description("an application's phase, processes, pods, topics and consumer lag")
        .argument('<name>', 'the StreamingApplication'),
    ).action(async (name: string, flags: AppFlags) => {
      checkOutput(flags.output);
      const client = clientFor(flags);
      const app = await client
        .getIfExists(StreamingApplicationKind, { namespace: flags.namespace, name })
        .catch(crdMissing);
      if (!app) throw new Error(`no StreamingApplication ${name} in namespace ${flags.namespace}`);
      print(app, flags.output, () => formatStatus(app));
    }),
  );
  cmd.addCommand(
    common(new Command('list').description('the applications of a landscape'))
      .option('-A, --all-namespaces', 'of every landscape')
      .action(async (flags: AppFlags) => {
        checkOutput(flags.output);
        const client = clientFor(flags);
        const list = await client
          .list(StreamingApplicationKind, flags.allNamespaces ? {} : { namespace: flags.namespace })
          .catch(crdMissing);
        const items = list.items.map((a) => ({
          ...a,
          apiVersion: StreamingApplicationKind.apiVersion,
          kind: StreamingApplicationKind.kind,
        }));
        print(items, flags.output, () => formatList(items, Date.now(), Boolean(flags.allNamespaces)));
      }),
  );
  return cmd;
}
