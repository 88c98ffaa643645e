// What the installer's CLI commands share: flags, reading and validating a
// manifest file, our CRD, the stored manifest, progress lines and the table.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAllDocuments, stringify } from 'yaml';
import { crdFor, formatErrors, validate } from '../apis/index.ts';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  type ApplicationManifestStatus,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { Engine } from '../installer/engine.ts';
import { chartsDirFromEnv } from '../installer/entry.ts';
import { loadKubeConfig } from '../installer/kubeconfig.ts';
import { DEFAULT_LEASE_NAME, DEFAULT_LEASE_NAMESPACE, refuseIfOperatorRuns } from '../installer/lease.ts';
import { reconcileUntilSettled } from '../installer/run.ts';
import { API_WARNING_REASON, type ApiWarning, warningMessage } from '../installer/steps/api-warnings.ts';
import {
  ApiError,
  Client,
  clientEventSink,
  EventRecorder,
  isNotFound,
  type KubeObject,
  Namespaces,
  NoKindMatchError,
  needsApply,
} from '../kube/index.ts';

export const CLI_FIELD_MANAGER = 'sdm-cli';
export const DEFAULT_MANIFEST_NAMESPACE = 'supertubes-control-plane';
export const DEFAULT_MANIFEST_NAME = 'sdm-applicationmanifest';

export interface CommonFlags {
  kubeconfig?: string;
  context?: string;
  output?: string;
  chartsDir?: string;
  timeout?: string;
  leaseNamespace?: string;
}

export function commonOptions(cmd: Command, { mutating = true } = {}): Command {
  cmd
    .option('--kubeconfig <path>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-o, --output <format>', 'final output: table, yaml or json', 'table');
  if (mutating) {
    cmd
      .option('--charts-dir <dir>', 'local chart directories overriding the catalog (air-gapped)')
      .option('--timeout <duration>', 'give up waiting after this long (e.g. 10m, 90s)', '10m')
      .option('--lease-namespace <ns>', "namespace of the operator's Lease", DEFAULT_LEASE_NAMESPACE);
  }
  return cmd;
}

export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new Error(`--timeout ${s}: expected a duration like 90s or 10m`);
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}

export function clientFor(flags: CommonFlags): Client {
  return Client.fromKubeConfig(loadKubeConfig(flags), {
    fieldManager: CLI_FIELD_MANAGER,
    userAgent: 'sdm-cli',
  });
}

export function engineFor(client: Client, flags: CommonFlags): Engine {
  return new Engine({ client, chartsDir: flags.chartsDir ?? chartsDirFromEnv(process.env) });
}

export async function refuseInOperatorMode(client: Client, flags: CommonFlags): Promise<void> {
  await refuseIfOperatorRuns(client, flags.leaseNamespace ?? DEFAULT_LEASE_NAMESPACE, DEFAULT_LEASE_NAME);
}

/** `install -a`: every component a platform needs, with a mesh and a ZooKeeper cluster made for you. */
export function defaultManifest(): ApplicationManifest {
  return {
    apiVersion: ApplicationManifestKind.apiVersion,
    kind: ApplicationManifestKind.kind,
    metadata: { name: DEFAULT_MANIFEST_NAME, namespace: DEFAULT_MANIFEST_NAMESPACE },
    spec: {
      csrOperator: { enabled: true },
      istioOperator: { enabled: true, createDefaultMesh: true },
      zookeeperOperator: { enabled: true, createDefaultCluster: true },
      kafkaOperator: { enabled: true },
      monitoring: { prometheusOperator: { enabled: true }, grafanaDashboards: { enabled: true } },
      supertubes: { enabled: true },
      kafkaMinion: { enabled: true },
    },
  } as ApplicationManifest;
}

/** Reads one ApplicationManifest from a file ("-" for stdin); the errors name file and field. */
export function readManifestFile(file: string): ApplicationManifest {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  const docs = parseAllDocuments(text);
  const objects: unknown[] = [];
  for (const d of docs) {
    if ('errors' in d && d.errors.length > 0) {
      const e = d.errors[0]!;
      throw new Error(
        `${file}: not valid YAML at line ${e.linePos?.[0].line ?? '?'}: ${e.code.toLowerCase()}`,
      );
    }
    const v = d.toJS();
    if (v) objects.push(v);
  }
  const manifests = objects.filter((o) => (o as KubeObject).kind === ApplicationManifestKind.kind);
  if (manifests.length !== 1) {
    throw new Error(`${file}: expected one ApplicationManifest, found ${manifests.length}`);
  }
  const result = validate(ApplicationManifestKind, manifests[0]);
  if (!result.ok)
    throw new Error(`${file} is not a valid ApplicationManifest:\n${formatErrors(result.errors, '  ')}`);
  const m = result.value as ApplicationManifest;
  m.metadata = { ...m.metadata, namespace: m.metadata?.namespace ?? DEFAULT_MANIFEST_NAMESPACE };
  return m;
}

/** Our ApplicationManifest CRD, applied if missing or different, and Established. */
export async function ensureCrd(client: Client): Promise<void> {
  const crd = crdFor(ApplicationManifestKind) as unknown as KubeObject;
  const CRDs = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
  const current = await client.getIfExists(CRDs, { name: crd.metadata?.name ?? '' });
  if (!needsApply(crd, current, { fieldManager: CLI_FIELD_MANAGER })) return;
  await client.apply(crd);
  for (let i = 0; i < 100; i++) {
    const now = (await client.get(CRDs, { name: crd.metadata?.name ?? '' })) as {
      status?: { conditions?: { type: string; status: string }[] };
    };
    if (now.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
      client.mapper.invalidate(ApplicationManifestKind.apiVersion);
      await servingManifests(client);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the ApplicationManifest CRD did not become Established');
}

/** A CRD just Established answers 429 "storage is (re)initializing" for a moment: wait that out. */
async function servingManifests(client: Client): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await client.list(ApplicationManifestKind, { limit: 1 });
      return;
    } catch (err) {
      if (!(err instanceof ApiError && err.statusCode === 429) || i >= 100) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stores the manifest as the custom resource (server-side apply: the file is the truth). */
export async function storeManifest(client: Client, m: ApplicationManifest): Promise<ApplicationManifest> {
  const ns = m.metadata?.namespace ?? DEFAULT_MANIFEST_NAMESPACE;
  if (!(await client.getIfExists(Namespaces, { name: ns }))) {
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  const body = {
    apiVersion: m.apiVersion,
    kind: m.kind,
    metadata: { name: m.metadata?.name, namespace: ns },
    spec: m.spec,
  };
  // Storing the same file again writes nothing (a quiet steady state, also from new processes).
  const current = await client.getIfExists(ApplicationManifestKind, {
    namespace: ns,
    name: body.metadata.name ?? '',
  });
  if (current && !needsApply(body as KubeObject, current, { fieldManager: CLI_FIELD_MANAGER }))
    return current as ApplicationManifest;
  return (await client.apply(body as KubeObject)) as ApplicationManifest;
}

/** The stored manifest (there is at most one per cluster). */
export async function findStoredManifest(client: Client): Promise<ApplicationManifest | undefined> {
  let items: ApplicationManifest[];
  try {
    items = (await client.list(ApplicationManifestKind)).items as ApplicationManifest[];
  } catch (err) {
    // Our CRD is not installed: there is no manifest.
    if (err instanceof NoKindMatchError || isNotFound(err)) return undefined;
    throw err;
  }
  return items.sort((a, b) =>
    (a.metadata?.creationTimestamp ?? '') < (b.metadata?.creationTimestamp ?? '') ? -1 : 1,
  )[0];
}

/** Prints a line per component whenever its state or message changes. */
export function progressPrinter(write: (s: string) => void = (s) => process.stderr.write(s)) {
  const seen = new Map<string, string>();
  return (status: ApplicationManifestStatus) => {
    for (const [name, c] of Object.entries(status.components ?? {})) {
      const line = `${c.status ?? ''} ${c.message ?? ''}`;
      if (seen.get(name) === line) continue;
      seen.set(name, line);
      write(`  ${name.padEnd(26)} ${(c.status ?? '').padEnd(12)} ${c.message ?? ''}\n`);
    }
  };
}

/**
 * What the API server warned about our writes: a `warning: ` line each (as kubectl prints
 * `Warning:`), and a Warning Event on the manifest, as the operator records them; each once per run.
 */
export function warningReporter(
  manifest: KubeObject,
  events: Pick<EventRecorder, 'warning'> | undefined,
  write: (s: string) => void = (s) => process.stderr.write(s),
) {
  const seen = new Set<string>();
  return (warnings: readonly ApiWarning[]) => {
    for (const w of warnings) {
      const message = warningMessage(w);
      if (seen.has(message)) continue;
      seen.add(message);
      write(`warning: ${message}\n`);
      events?.warning(manifest, API_WARNING_REASON, message);
    }
  };
}

export function statusTable(status: ApplicationManifestStatus | undefined): string {
  const rows: string[][] = [['COMPONENT', 'STATUS', 'MESSAGE']];
  for (const [name, c] of Object.entries(status?.components ?? {})) {
    const extra = [
      c.meshStatus ? `mesh ${c.meshStatus}` : '',
      c.clusterStatus ? `cluster ${c.clusterStatus}` : '',
    ].filter(Boolean);
    rows.push([name, c.status ?? '', [c.message ?? '', ...extra].filter(Boolean).join('; ')]);
  }
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  const lines = rows.map((r) => `${r[0]!.padEnd(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}`.trimEnd());
  lines.push(
    '',
    `ApplicationManifest: ${status?.status ?? 'unknown'}${status?.message ? ` (${status.message})` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

export function printResult(
  manifest: ApplicationManifest | undefined,
  status: ApplicationManifestStatus | undefined,
  format = 'table',
): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify({ ...manifest, status }, null, 2)}\n`);
  else if (format === 'yaml') process.stdout.write(stringify({ ...manifest, status }));
  else if (format === 'table') process.stdout.write(statusTable(status));
  else throw new Error(`-o ${format}: expected table, yaml or json`);
}

/**
 * install / reconcile: store the manifest, then run the engine in-process
 * until it settles. Returns the exit code.
 */
export async function storeAndReconcile(
  flags: CommonFlags,
  manifest: ApplicationManifest | undefined,
  options: { purge?: boolean; done?: (s: ApplicationManifestStatus) => boolean } = {},
): Promise<number> {
  const client = clientFor(flags);
  // Few tries: an Event that cannot be written must not hold the CLI up at its end.
  const events = new EventRecorder(clientEventSink(client), {
    component: 'sdm-cli',
    maxTries: 2,
    retrySleepMs: 500,
  });
  try {
    await refuseInOperatorMode(client, flags);
    await ensureCrd(client);
    let stored: ApplicationManifest | undefined;
    if (manifest) {
      const other = await findStoredManifest(client);
      const same =
        other?.metadata?.name === manifest.metadata?.name &&
        other?.metadata?.namespace === manifest.metadata?.namespace;
      if (other && !same) {
        throw new Error(
          `an ApplicationManifest already manages this cluster (${other.metadata?.namespace}/${other.metadata?.name}); ` +
            'only one is allowed: change that one, or name it in your file',
        );
      }
      stored = await storeManifest(client, manifest);
    } else {
      stored = await findStoredManifest(client);
      if (!stored) throw new Error('no ApplicationManifest in the cluster: use install -a or -f FILE');
    }
    const ref = { namespace: stored.metadata?.namespace, name: stored.metadata?.name ?? '' };
    process.stderr.write(`reconciling ApplicationManifest ${ref.namespace}/${ref.name}\n`);
    const engine = engineFor(client, flags);
    const { status, timedOut } = await reconcileUntilSettled(engine, ref, {
      timeoutMs: parseDuration(flags.timeout ?? '10m'),
      progress: progressPrinter(),
      warnings: warningReporter(stored, events),
      purge: options.purge,
      done: options.done,
    });
    const latest = (await client.get(ApplicationManifestKind, ref)) as ApplicationManifest;
    printResult(latest, status, flags.output);
    if (timedOut) process.stderr.write(`sdm: gave up waiting after ${flags.timeout}\n`);
    return status.status === 'Failed' || timedOut ? 1 : 0;
  } finally {
    await events.flush();
    await client.transport.close();
  }
}
