// `sdm istio ...`: running the platform's Istio next to an upstream Istio (seed 003).
// `crd-ownership` reports who owns each Istio CRD; with --transfer it hands the
// upstream-owned ones to the platform's istio-operator: a server-side dry run
// unless --yes. It only ever patches labels; it never deletes anything.
import { Command } from 'commander';
import { stringify } from 'yaml';
import {
  type CrdLike,
  type CrdOwnership,
  classifyCrds,
  planTransfer,
  type TransferStep,
} from '../installer/istio/crd-ownership.ts';
import type { KubeObject } from '../kube/index.ts';
import { type CommonFlags, clientFor, commonOptions } from './installer-support.ts';

const CRDS = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
// The Istio version of the platform's default mesh (components/istioOperator.ts).
const DEFAULT_ISTIO_VERSION = '1.15.3';

interface Flags extends CommonFlags {
  transfer?: boolean;
  yes?: boolean;
  istioVersion: string;
}

export function istioCommand(): Command {
  const cmd = new Command('istio').description('Istio side by side with an upstream Istio');
  cmd.addCommand(
    commonOptions(
      new Command('crd-ownership').description(
        "show who owns each Istio CRD; --transfer hands upstream Istio's CRDs to the platform istio-operator",
      ),
      { mutating: false },
    )
      .option('--transfer', 'plan the hand-over of upstream-owned CRDs (server-side dry run)')
      .option('--yes', 'with --transfer: apply the plan')
      .option('--istio-version <version>', 'Istio version of the platform mesh', DEFAULT_ISTIO_VERSION)
      .action(crdOwnership),
  );
  return cmd;
}

async function crdOwnership(flags: Flags): Promise<void> {
  const output = flags.output ?? 'table';
  if (!['table', 'yaml', 'json'].includes(output))
    throw new Error(`-o ${output}: expected table, yaml or json`);
  if (flags.yes && !flags.transfer) throw new Error('--yes only applies with --transfer');
  const client = clientFor(flags);
  try {
    const { items } = await client.listAll<KubeObject>(CRDS);
    const crds = items as unknown as (CrdLike & KubeObject)[];
    if (!flags.transfer) {
      const rows = classifyCrds(crds, { istioVersion: flags.istioVersion });
      print(output, rows, () => ownershipTable(rows));
      return;
    }

    const steps = planTransfer(crds, { istioVersion: flags.istioVersion });
    const dryRun = !flags.yes;
    const results: (TransferStep & { result: string })[] = [];
    for (const step of steps) {
      const current = crds.find((c) => c.metadata?.name === step.crd);
      // resourceVersion makes the patch fail (409) if the CRD changed since we read it.
      const patch = {
        metadata: { ...step.patch.metadata, resourceVersion: current?.metadata?.resourceVersion },
      };
      await client.patch(CRDS, { name: step.crd }, patch, 'merge', { dryRun });
      results.push({ ...step, result: dryRun ? 'would patch (server dry run passed)' : 'patched' });
    }
    print(output, results, () => transferText(results, dryRun));
  } finally {
    await client.transport.close();
  }
}

function print(output: string, data: unknown, table: () => string): void {
  if (output === 'json') process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (output === 'yaml') process.stdout.write(stringify(data));
  else process.stdout.write(table());
}

export function ownershipTable(rows: readonly CrdOwnership[]): string {
  if (rows.length === 0) return 'no Istio CRDs in the cluster\n';
  const header = { crd: 'CRD', owner: 'OWNER', details: 'DETAILS' };
  const all = [header, ...rows];
  const w1 = Math.max(...all.map((r) => r.crd.length));
  const w2 = Math.max(...all.map((r) => r.owner.length));
  return all.map((r) => `${r.crd.padEnd(w1)}  ${r.owner.padEnd(w2)}  ${r.details}`.trimEnd() + '\n').join('');
}

function transferText(results: readonly (TransferStep & { result: string })[], dryRun: boolean): string {
  if (results.length === 0) return 'no CRDs owned by upstream Istio: nothing to transfer\n';
  let s = '';
  for (const r of results) {
    s += `${r.crd}: ${r.result}\n`;
    for (const c of r.changes) s += `  ${c}\n`;
    for (const w of r.warnings) s += `  warning: ${w}\n`;
  }
  if (dryRun) s += `dry run: ${results.length} CRD(s) unchanged; run again with --yes to apply\n`;
  return s;
}
