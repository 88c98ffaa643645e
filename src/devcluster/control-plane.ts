// One local Kubernetes control plane: etcd, kube-apiserver (RBAC on),
// kube-controller-manager, kube-scheduler and kwok with fake nodes, all real
// upstream binaries built by `make tools`. Everything it writes lives in one
// directory; its state.json records pids and arguments so `down` from another
// process, a component restart, and the reaping of crashed runs all work.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { fakeNode } from './fake-nodes.ts';
import { kafkaInstallation, killKafkaIn, type LocalKafka, openKafka, startKafka } from './kafka.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { createCertificateAuthority, createSigningKeyPair, issueCertificate } from './pki.ts';
import { freePorts } from './ports.ts';
import {
  isAlive,
  isOurs,
  type Lifetime,
  logTail,
  type RunningProcess,
  startProcess,
  stopPid,
} from './processes.ts';
import { devClustersHome, toolPath } from './tools.ts';

export const componentNames = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
] as const;
export type ComponentName = (typeof componentNames)[number];

export interface StartOptions {
  /** Directory name under the dev-clusters home; a unique one is made up when absent. */
  name?: string;
  /** How many fake Ready nodes kwok keeps (default 1). */
  nodes?: number;
  /** 'owned' (default): processes die with this process. 'detached': they outlive it (the CLI). */
  lifetime?: Lifetime;
  home?: string;
  readyTimeoutMs?: number;
  /** Extra flags per component, e.g. for feature gates, or to make one fail in a test. */
  extraArgs?: Partial<Record<ComponentName, string[]>>;
  /** Also start a Kafka with this many brokers, kept in <dir>/kafka and stopped with the plane. */
  kafka?: number;
  progress?: (message: string) => void;
}

interface ComponentState {
  binary: string;
  args: string[];
  logFile: string;
  pid: number;
}

export interface ControlPlaneState {
  name: string;
  dir: string;
  server: string;
  kubeconfigPath: string;
  etcdUrl: string;
  nodes: number;
  ownerPid: number | null;
  createdAt: string;
  components: Record<ComponentName, ComponentState>;
}

const stateFile = 'state.json';

export class ControlPlane {
  readonly state: ControlPlaneState;
  private readonly running = new Map<ComponentName, RunningProcess>();
  private startedKafka: LocalKafka | null = null;

  constructor(state: ControlPlaneState) {
    this.state = state;
  }

  get name(): string {
    return this.state.name;
  }
  get dir(): string {
    return this.state.dir;
  }
  get server(): string {
    return this.state.server;
  }
  get kubeconfigPath(): string {
    return this.state.kubeconfigPath;
  }

  /** Admin credentials (group system:masters). */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(this.kubeconfigPath);
    return kc;
  }

  /**
   * Credentials of a ServiceAccount (created, with its namespace, if missing),
   * so a test runs code with exactly the permissions its RBAC grants.
   */
  async serviceAccountKubeConfig(
    namespace: string,
    name: string,
    expirationSeconds = 24 * 3600,
  ): Promise<KubeConfig> {
    const core = this.kubeConfig().makeApiClient(CoreV1Api);
    await ignoreConflict(core.createNamespace({ body: { metadata: { name: namespace } } }));
    await ignoreConflict(core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } }));
    const token = await core.createNamespacedServiceAccountToken({
      namespace,
      name,
      body: { spec: { audiences: [], expirationSeconds } },
    });
    const ca = readFileSync(join(this.dir, 'pki', 'ca.crt'), 'utf8');
    const kc = new KubeConfig();
    kc.loadFromString(
      renderKubeconfig(this.name, this.server, ca, `system:serviceaccount:${namespace}:${name}`, {
        token: token.status?.token ?? '',
      }),
    );
    return kc;
  }

  /** The kube-system namespace's UID: how the cluster registry tells clusters apart. */
  async clusterId(): Promise<string> {
    const ns = await this.kubeConfig().makeApiClient(CoreV1Api).readNamespace({ name: 'kube-system' });
    return ns.metadata?.uid ?? '';
  }

  /** The Kafka started with this plane (`kafka: N`), or null. */
  kafka(): LocalKafka | null {
    this.startedKafka ??= openKafka(kafkaDir(this.dir));
    return this.startedKafka;
  }

  /** Records the Kafka started with this plane (startControlPlane does it). */
  attachKafka(kafka: LocalKafka): void {
    this.startedKafka = kafka;
  }

  pid(component: ComponentName): number {
    return this.state.components[component].pid;
  }

  /** Stops one component (e.g. to test how a client survives an API server outage). */
  async stopComponent(component: ComponentName): Promise<void> {
    await stopPid(this.pid(component));
    this.running.delete(component);
  }

  /** Starts a stopped component again with its original flags and port; waits until it serves. */
  async startComponent(component: ComponentName, timeoutMs = 60_000): Promise<void> {
    const lifetime: Lifetime = this.state.ownerPid === null ? 'detached' : 'owned';
    this.launch(component, lifetime);
    this.save();
    if (component === 'etcd') await this.waitFor('etcd', () => this.etcdHealthy(), timeoutMs);
    if (component === 'kube-apiserver')
      await this.waitFor('kube-apiserver /readyz', () => this.apiserverReady(), timeoutMs);
  }

  /**
   * Compacts etcd's history up to its current revision, so any watch resuming
   * from an older resourceVersion gets 410 Gone.
   */
  async compactEtcd(): Promise<number> {
    const status = (await etcdPost(this.state.etcdUrl, '/v3/kv/range', {
      key: Buffer.from('/').toString('base64'),
    })) as {
      header?: { revision?: string };
    };
    const revision = Number(status.header?.revision ?? 0);
    await etcdPost(this.state.etcdUrl, '/v3/kv/compaction', { revision, physical: true });
    return revision;
  }

  /** Stops every process (its Kafka first, then reverse start order) and removes the directory. */
  async stop(): Promise<void> {
    await this.kafka()?.stop();
    for (const component of [...componentNames].reverse()) {
      const pid = this.state.components[component]?.pid;
      if (pid && isOurs(pid, this.dir)) await stopPid(pid);
    }
    this.running.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- start-up ---------------------------------------------------------

  launch(component: ComponentName, lifetime: Lifetime): RunningProcess {
    const c = this.state.components[component];
    const proc = startProcess(
      { name: component, binary: c.binary, args: c.args, logFile: c.logFile },
      lifetime,
    );
    c.pid = proc.pid;
    this.running.set(component, proc);
    return proc;
  }

  save(): void {
    writeFileSync(join(this.dir, stateFile), JSON.stringify(this.state, null, 2));
  }

  /** Polls check() until it holds; fails fast, with the log tail, if any component we started exits. */
  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let died: { component: ComponentName; how: string } | undefined;
    for (const [component, proc] of this.running) {
      void proc.exited.then((how) => {
        died ??= { component, how };
      });
    }
    while (Date.now() < deadline) {
      if (died) {
        const log = this.state.components[died.component].logFile;
        throw new Error(
          `${died.component} ${died.how} while waiting for ${what}; last lines of ${log}:\n${logTail(log)}`,
        );
      }
      if (await check().catch(() => false)) return;
      await sleep(200);
    }
    throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what} of control plane ${this.name}`);
  }

  etcdHealthy(): Promise<boolean> {
    return fetch(`${this.state.etcdUrl}/health`)
      .then((r) => r.ok)
      .catch(() => false);
  }

  apiserverReady(): Promise<boolean> {
    const pki = join(this.dir, 'pki');
    return new Promise((resolve) => {
      const req = httpsRequest(
        `${this.server}/readyz`,
        {
          ca: readFileSync(join(pki, 'ca.crt')),
          cert: readFileSync(join(pki, 'admin.crt')),
          key: readFileSync(join(pki, 'admin.key')),
          timeout: 2000,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
  }
}

async function ignoreConflict(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
}

async function etcdPost(base: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

// ---- creating a control plane ------------------------------------------

export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const home = options.home ?? devClustersHome();
  reapStaleControlPlanes(home);
  const name = options.name ?? `sdm-${process.pid}-${randomBytes(3).toString('hex')}`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new Error(
      `invalid control plane name ${JSON.stringify(name)}: use lower-case letters, digits and '-'`,
    );
  }
  const dir = join(home, name);
  if (existsSync(join(dir, stateFile))) {
    throw new Error(
      `control plane ${name} already exists (${dir}); 'sdm dev-cluster down --name ${name}' first`,
    );
  }
  // A missing Kafka fails now, not after the control plane came up.
  if (options.kafka) kafkaInstallation();
  const lifetime = options.lifetime ?? 'owned';
  const progress = options.progress ?? (() => {});
  const timeoutMs = options.readyTimeoutMs ?? 90_000;
  const nodes = options.nodes ?? 1;
  mkdirSync(join(dir, 'pki'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });

  progress(`writing certificates to ${dir}/pki`);
  const files = await writePki(dir);
  const [etcdPort, etcdPeerPort, apiPort] = await freePorts(3);
  const server = `https://127.0.0.1:${apiPort}`;
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const kubeconfigs = writeKubeconfigs(dir, name, server, files);
  writeFileSync(
    join(dir, 'kwok.yaml'),
    'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n',
  );

  const args = componentArgs({
    dir,
    etcdPort: etcdPort!,
    etcdPeerPort: etcdPeerPort!,
    apiPort: apiPort!,
    files,
    kubeconfigs,
  });
  const components = {} as Record<ComponentName, ComponentState>;
  for (const c of componentNames) {
    components[c] = {
      binary: toolPath(c),
      args: [...args[c], ...(options.extraArgs?.[c] ?? [])],
      logFile: join(dir, 'logs', `${c}.log`),
      pid: 0,
    };
  }
  const cp = new ControlPlane({
    name,
    dir,
    server,
    kubeconfigPath: kubeconfigs.admin,
    etcdUrl,
    nodes,
    ownerPid: lifetime === 'owned' ? process.pid : null,
    createdAt: new Date().toISOString(),
    components,
  });

  // Kafka needs nothing from Kubernetes: it starts alongside, and is awaited at the end.
  const kafka = options.kafka
    ? startKafka({
        brokers: options.kafka,
        home,
        dir: kafkaDir(dir),
        lifetime,
        readyTimeoutMs: timeoutMs,
        progress,
      })
    : null;
  kafka?.catch(() => undefined); // observed below; this only keeps an early failure from going unhandled
  try {
    progress('starting etcd');
    cp.launch('etcd', lifetime);
    cp.save();
    await cp.waitFor('etcd', () => cp.etcdHealthy(), timeoutMs);
    progress('starting kube-apiserver');
    cp.launch('kube-apiserver', lifetime);
    cp.save();
    await cp.waitFor('kube-apiserver /readyz', () => cp.apiserverReady(), timeoutMs);
    progress('starting kube-controller-manager, kube-scheduler and kwok');
    for (const c of ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const) cp.launch(c, lifetime);
    cp.save();
    const core = cp.kubeConfig().makeApiClient(CoreV1Api);
    for (let i = 0; i < nodes; i++) await core.createNode({ body: fakeNode(`kwok-node-${i}`) });
    progress(`waiting for ${nodes} node(s) Ready and the default ServiceAccount`);
    await cp.waitFor('nodes Ready and default ServiceAccount', () => clusterUsable(core, nodes), timeoutMs);
    if (kafka) {
      progress(`waiting for ${options.kafka} Kafka broker(s)`);
      cp.attachKafka(await kafka);
    }
  } catch (err) {
    // A Kafka still starting must finish (or fail and clean up) before the directory goes.
    await kafka?.catch(() => undefined);
    await cp.stop();
    throw err;
  }
  return cp;
}

/** Where a control plane keeps the Kafka started with it. */
function kafkaDir(planeDir: string): string {
  return join(planeDir, 'kafka');
}

async function clusterUsable(core: CoreV1Api, nodes: number): Promise<boolean> {
  const list = await core.listNode();
  const ready = list.items.filter((n) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
  if (ready < nodes) return false;
  // Pods can be created only once the ServiceAccount controller made 'default'.
  await core.readNamespacedServiceAccount({ namespace: 'default', name: 'default' });
  return true;
}

interface PkiFiles {
  ca: string;
  caKey: string;
  serving: { cert: string; key: string };
  saPub: string;
  saKey: string;
  clients: Record<'admin' | 'controller-manager' | 'scheduler' | 'kwok', { cert: string; key: string }>;
}

async function writePki(dir: string): Promise<PkiFiles> {
  const pki = join(dir, 'pki');
  const ca = await createCertificateAuthority('sdm-dev-cluster-ca');
  const write = (file: string, content: string) => {
    writeFileSync(join(pki, file), content, { mode: 0o600 });
    return join(pki, file);
  };
  const pair = (base: string, p: { cert: string; key: string }) => ({
    cert: write(`${base}.crt`, p.cert),
    key: write(`${base}.key`, p.key),
  });
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    usage: 'server',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: ['127.0.0.1', '10.96.0.1'],
  });
  const sa = await createSigningKeyPair();
  const client = (cn: string, orgs: string[] = []) =>
    issueCertificate(ca, { commonName: cn, organizations: orgs, usage: 'client' });
  return {
    ca: write('ca.crt', ca.cert),
    caKey: write('ca.key', ca.key),
    serving: pair('apiserver', serving),
    saPub: write('sa.pub', sa.publicKey),
    saKey: write('sa.key', sa.privateKey),
    clients: {
      admin: pair('admin', await client('sdm-admin', ['system:masters'])),
      'controller-manager': pair('controller-manager', await client('system:kube-controller-manager')),
      scheduler: pair('scheduler', await client('system:kube-scheduler')),
      kwok: pair('kwok', await client('kwok', ['system:masters'])),
    },
  };
}

function writeKubeconfigs(dir: string, name: string, server: string, files: PkiFiles) {
  const ca = readFileSync(files.ca, 'utf8');
  const write = (who: keyof PkiFiles['clients'], user: string) => {
    const path = join(dir, who === 'admin' ? 'kubeconfig' : `${who}.kubeconfig`);
    const { cert, key } = files.clients[who];
    writeFileSync(
      path,
      renderKubeconfig(name, server, ca, user, {
        clientCertificate: readFileSync(cert, 'utf8'),
        clientKey: readFileSync(key, 'utf8'),
      }),
      { mode: 0o600 },
    );
    return path;
  };
  return {
    admin: write('admin', 'admin'),
    controllerManager: write('controller-manager', 'kube-controller-manager'),
    scheduler: write('scheduler', 'kube-scheduler'),
    kwok: write('kwok', 'kwok'),
  };
}

interface ArgsInput {
  dir: string;
  etcdPort: number;
  etcdPeerPort: number;
  apiPort: number;
  files: PkiFiles;
  kubeconfigs: ReturnType<typeof writeKubeconfigs>;
}

function componentArgs(i: ArgsInput): Record<ComponentName, string[]> {
  const etcdUrl = `http://127.0.0.1:${i.etcdPort}`;
  const peerUrl = `http://127.0.0.1:${i.etcdPeerPort}`;
  const serviceRange = '10.96.0.0/16';
  return {
    etcd: [
      '--name=default',
      `--data-dir=${join(i.dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      // Test data: durability across a machine crash is not worth the fsync cost.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    'kube-apiserver': [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${i.apiPort}`,
      // A loopback advertise address can not be written to the kubernetes Endpoints.
      '--endpoint-reconciler-type=none',
      '--authorization-mode=Node,RBAC',
      `--client-ca-file=${i.files.ca}`,
      `--tls-cert-file=${i.files.serving.cert}`,
      `--tls-private-key-file=${i.files.serving.key}`,
      `--service-account-key-file=${i.files.saPub}`,
      `--service-account-signing-key-file=${i.files.saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-cluster-ip-range=${serviceRange}`,
      '--allow-privileged=true',
      '--profiling=false',
      `--cert-dir=${join(i.dir, 'pki')}`,
    ],
    'kube-controller-manager': [
      `--kubeconfig=${i.kubeconfigs.controllerManager}`,
      '--controllers=*',
      '--use-service-account-credentials=true',
      `--root-ca-file=${i.files.ca}`,
      `--service-account-private-key-file=${i.files.saKey}`,
      `--cluster-signing-cert-file=${i.files.ca}`,
      `--cluster-signing-key-file=${i.files.caKey}`,
      `--service-cluster-ip-range=${serviceRange}`,
      '--secure-port=0',
      '--leader-elect=false',
      '--profiling=false',
    ],
    'kube-scheduler': [
      `--kubeconfig=${i.kubeconfigs.scheduler}`,
      '--secure-port=0',
      '--leader-elect=false',
      '--profiling=false',
    ],
    kwok: [
      `--kubeconfig=${i.kubeconfigs.kwok}`,
      `--config=${join(i.dir, 'kwok.yaml')}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.1/16',
      '--node-ip=10.0.0.10',
    ],
  };
}

// ---- control planes on disk ---------------------------------------------

export interface ListedControlPlane {
  state: ControlPlaneState;
  running: ComponentName[];
  stopped: ComponentName[];
  /** The Kafka started with the plane: its bootstrap servers and how many of its brokers run. */
  kafka: { bootstrapServers: string; brokers: number; running: number } | null;
}

export function listControlPlanes(home = devClustersHome()): ListedControlPlane[] {
  if (!existsSync(home)) return [];
  const out: ListedControlPlane[] = [];
  for (const entry of readdirSync(home)) {
    const file = join(home, entry, stateFile);
    if (!existsSync(file)) continue;
    let state: ControlPlaneState;
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as ControlPlaneState;
    } catch {
      continue;
    }
    const running = componentNames.filter((c) => {
      const pid = state.components[c]?.pid;
      return !!pid && isAlive(pid) && isOurs(pid, state.dir);
    });
    const kafka = openKafka(kafkaDir(state.dir));
    out.push({
      state,
      running,
      stopped: componentNames.filter((c) => !running.includes(c)),
      kafka: kafka && {
        bootstrapServers: kafka.bootstrapServers,
        brokers: kafka.brokerCount,
        running: kafka.runningBrokers().length,
      },
    });
  }
  return out.sort((a, b) => a.state.createdAt.localeCompare(b.state.createdAt));
}

export function openControlPlane(name: string, home = devClustersHome()): ControlPlane {
  const file = join(home, name, stateFile);
  if (!existsSync(file)) throw new Error(`no control plane named ${name} in ${home}`);
  return new ControlPlane(JSON.parse(readFileSync(file, 'utf8')) as ControlPlaneState);
}

/** Removes control planes whose owning process died without stopping them. */
export function reapStaleControlPlanes(home = devClustersHome()): string[] {
  const reaped: string[] = [];
  for (const { state } of listControlPlanes(home)) {
    if (state.ownerPid === null || isAlive(state.ownerPid)) continue;
    killKafkaIn(kafkaDir(state.dir));
    for (const c of componentNames) {
      const pid = state.components[c]?.pid;
      if (pid && isAlive(pid) && isOurs(pid, state.dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(state.dir, { recursive: true, force: true });
    reaped.push(state.name);
  }
  return reaped;
}
