// A local N-broker KRaft Kafka for development and tests: real `kafka.Kafka`
// JVMs (Apache Kafka from Maven Central, fetched by `make tools`) on loopback
// ports, storage formatted with kafka.tools.StorageTool. Like a control plane,
// everything lives in one directory whose kafka.json records pids and command
// lines, so `down` from another process, a broker restart and the reaping of
// crashed runs all work. Started for a test, the brokers die with the test.
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bootstrapServers,
  extraBootstrapServers,
  javaArgs,
  kafkaLayout,
  newClusterId,
  portsNeeded,
  serverProperties,
} from './kafka-config.ts';
import { brokerStartMarker, lastRunErrors } from './kafka-log.ts';
import { type SaslUsers, scramFormatArgs, validateSaslUsers } from './kafka-sasl.ts';
import { writeKafkaTls } from './kafka-tls.ts';
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
import { devClustersHome, repoRoot } from './tools.ts';

export interface KafkaStartOptions {
  /** How many brokers (default 1). Nodes 0..min(N,3)-1 also form the controller quorum (1 voter below 3 brokers). */
  brokers?: number;
  /** Directory name under the dev-clusters home; a unique one is made up when absent. */
  name?: string;
  home?: string;
  /** The exact directory (a control plane keeps its Kafka in <plane>/kafka); wins over name/home. */
  dir?: string;
  /** 'owned' (default): brokers die with this process. 'detached': they outlive it (the CLI). */
  lifetime?: Lifetime;
  readyTimeoutMs?: number;
  /** server.properties entries for every broker, over our defaults. */
  config?: Record<string, string>;
  /**
   * Test users (name -> password) for a SASL_PLAINTEXT listener on every
   * broker (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), at saslBootstrapServers.
   */
  sasl?: { users: SaslUsers };
  /**
   * An SSL listener on every broker (server authentication only) at
   * tlsBootstrapServers, its certificate signed by a CA made for this Kafka
   * (caCertificate()), valid for 127.0.0.1 and localhost.
   */
  tls?: boolean;
  progress?: (message: string) => void;
}

export interface KafkaBrokerState {
  nodeId: number;
  roles: string;
  /** host:port of its PLAINTEXT listener. */
  address: string;
  binary: string;
  args: string[];
  logFile: string;
  pid: number;
}

export interface KafkaState {
  dir: string;
  clusterId: string;
  bootstrapServers: string;
  /** The SASL_PLAINTEXT listeners, when started with sasl users. */
  saslBootstrapServers: string | null;
  /** The SSL listeners and the CA file that signed their certificate, when started with tls. */
  tlsBootstrapServers: string | null;
  caFile: string | null;
  ownerPid: number | null;
  createdAt: string;
  brokers: KafkaBrokerState[];
}

export interface KafkaStopBrokerOptions {
  /** SIGKILL at once (a crash) instead of SIGTERM and Kafka's controlled shutdown. */
  kill?: boolean;
}

const stateFile = 'kafka.json';

/** Where `make tools` put Kafka's jars (libs/) and the class-data archive. */
export function kafkaToolsDir(): string {
  return process.env.SDM_KAFKA_HOME ?? join(repoRoot, '.tools', 'kafka');
}

export class LocalKafka {
  readonly state: KafkaState;
  private readonly running = new Map<number, RunningProcess>();
  private stopQueue: Promise<void> = Promise.resolve();

  constructor(state: KafkaState) {
    this.state = state;
  }

  get dir(): string {
    return this.state.dir;
  }
  get clusterId(): string {
    return this.state.clusterId;
  }
  /** "127.0.0.1:p0,127.0.0.1:p1,..." for every broker, stopped or not. */
  get bootstrapServers(): string {
    return this.state.bootstrapServers;
  }
  /** "127.0.0.1:s0,..." of the SASL_PLAINTEXT listeners, or null without sasl users. */
  get saslBootstrapServers(): string | null {
    return this.state.saslBootstrapServers ?? null;
  }
  /** "127.0.0.1:t0,..." of the SSL listeners, or null without tls. */
  get tlsBootstrapServers(): string | null {
    return this.state.tlsBootstrapServers ?? null;
  }
  /** PEM of the CA that signed the SSL listeners' certificate (throws without tls). */
  caCertificate(): string {
    if (!this.state.caFile) throw new Error('this Kafka was started without tls');
    return readFileSync(this.state.caFile, 'utf8');
  }
  get brokerCount(): number {
    return this.state.brokers.length;
  }

  /** host:port of broker i. */
  brokerAddress(i: number): string {
    return this.broker(i).address;
  }

  pid(i: number): number {
    return this.broker(i).pid;
  }

  /** Node ids of the brokers whose process is running. */
  runningBrokers(): number[] {
    return this.state.brokers.filter((b) => this.alive(b)).map((b) => b.nodeId);
  }

  /**
   * Stops broker i; its port and data stay, so startBroker(i) brings the same
   * broker back. Calls run one after another, so stopping every broker (in a
   * loop or with Promise.all) is safe: the whole Kafka down, data kept.
   */
  stopBroker(i: number, options: KafkaStopBrokerOptions = {}): Promise<void> {
    const stopped = this.stopQueue.then(() => this.stopOne(i, options));
    this.stopQueue = stopped.catch(() => undefined);
    return stopped;
  }

  private async stopOne(i: number, options: KafkaStopBrokerOptions): Promise<void> {
    const b = this.broker(i);
    if (this.alive(b)) {
      if (options.kill) await killPid(b.pid);
      // A controlled shutdown moves leadership away first, which needs an
      // active controller: without a quorum it would hang, so it gets 3 s.
      else await stopPid(b.pid, this.quorumHolds() ? 30_000 : 3_000);
    }
    this.running.delete(i);
  }

  /** True while a majority of the controller quorum runs. */
  private quorumHolds(): boolean {
    const voters = this.state.brokers.filter((b) => b.roles.includes('controller'));
    return voters.filter((b) => this.alive(b)).length * 2 > voters.length;
  }

  /** Starts a stopped broker again with its original flags, port and data; waits until it is back in the cluster. */
  async startBroker(i: number, timeoutMs = 90_000): Promise<void> {
    const b = this.broker(i);
    if (!this.alive(b)) {
      this.launch(i, this.state.ownerPid === null ? 'detached' : 'owned');
      this.save();
    }
    await this.waitFor(
      `broker ${i} to rejoin`,
      () => brokerSees(b.address, this.runningBrokers()),
      timeoutMs,
    );
  }

  /** Waits until every running broker answers and its metadata lists all running brokers. */
  async waitUntilReady(timeoutMs = 90_000): Promise<void> {
    await this.waitFor(
      `${this.runningBrokers().length} broker(s) ready`,
      async () => {
        const expected = this.runningBrokers();
        for (const id of expected) if (!(await brokerSees(this.brokerAddress(id), expected))) return false;
        return expected.length > 0;
      },
      timeoutMs,
    );
  }

  /** Stops every broker and removes the directory (its data goes with it, so no graceful shutdown). */
  async stop(): Promise<void> {
    await Promise.all(
      this.state.brokers.map((b) => (b.pid && isOurs(b.pid, this.dir) ? killPid(b.pid) : undefined)),
    );
    this.running.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- internals ----------------------------------------------------------

  launch(i: number, lifetime: Lifetime): RunningProcess {
    const b = this.broker(i);
    appendFileSync(b.logFile, `${brokerStartMarker(i)} at ${new Date().toISOString()}\n`);
    const proc = startProcess(
      { name: `kafka broker ${i}`, binary: b.binary, args: b.args, logFile: b.logFile },
      lifetime,
    );
    b.pid = proc.pid;
    this.running.set(i, proc);
    return proc;
  }

  save(): void {
    writeFileSync(join(this.dir, stateFile), JSON.stringify(this.state, null, 2));
  }

  private broker(i: number): KafkaBrokerState {
    const b = this.state.brokers[i];
    if (!b) throw new Error(`no broker ${i}: this Kafka has brokers 0..${this.state.brokers.length - 1}`);
    return b;
  }

  private alive(b: KafkaBrokerState): boolean {
    return b.pid > 0 && isAlive(b.pid) && isOurs(b.pid, this.dir);
  }

  /** Polls check() until it holds; fails fast, with the log tail, if a broker started here exits. */
  private async waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let died: { nodeId: number; how: string } | undefined;
    for (const [nodeId, proc] of this.running) {
      void proc.exited.then((how) => {
        if (this.running.get(nodeId) === proc) died ??= { nodeId, how };
      });
    }
    while (Date.now() < deadline) {
      if (died) {
        const log = this.broker(died.nodeId).logFile;
        throw new Error(
          `kafka broker ${died.nodeId} ${died.how} while waiting for ${what}:\n${whyItStopped(log)}`,
        );
      }
      if (await check().catch(() => false)) return;
      await sleep(250);
    }
    throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what} of Kafka in ${this.dir}`);
  }
}

/** What a broker that died said about it (see lastRunErrors), else the tail of its log. */
function whyItStopped(logFile: string): string {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return '(no log)';
  }
  const errors = lastRunErrors(text);
  return errors.length > 0 ? errors.join('\n') : logTail(logFile);
}

/**
 * True when the broker at address answers a metadata request listing at
 * least the expected node ids. KRaft lists only brokers that registered with
 * the quorum and are not fenced, so this means "serving".
 */
async function brokerSees(address: string, expected: number[]): Promise<boolean> {
  // Loaded on first use: `sdm` imports this module for every command, the operator too.
  const { Admin } = await import('@platformatic/kafka');
  const admin = new Admin({
    clientId: 'sdm-devcluster-readiness',
    bootstrapBrokers: [address],
    retries: 0,
    timeout: 3000,
  });
  try {
    const metadata = await admin.metadata({ topics: [] });
    return expected.every((id) => metadata.brokers.has(id));
  } finally {
    await admin.close().catch(() => undefined);
  }
}

// ---- starting a Kafka -----------------------------------------------------

export async function startKafka(options: KafkaStartOptions = {}): Promise<LocalKafka> {
  const brokers = options.brokers ?? 1;
  if (!Number.isInteger(brokers) || brokers < 1)
    throw new Error(`brokers must be a whole number >= 1, got ${brokers}`);
  const { java, libs, archive } = kafkaInstallation();
  const home = options.home ?? devClustersHome();
  reapStaleKafkas(home);
  const dir =
    options.dir ??
    join(home, options.name ?? `kafka-${process.pid}-${newClusterId().slice(0, 6).toLowerCase()}`);
  if (existsSync(join(dir, stateFile))) {
    throw new Error(`a Kafka already runs in ${dir}; stop it first`);
  }
  const lifetime = options.lifetime ?? 'owned';
  const progress = options.progress ?? (() => {});
  const timeoutMs = options.readyTimeoutMs ?? 90_000;

  const saslUsers = options.sasl?.users;
  if (saslUsers) validateSaslUsers(saslUsers);
  const extra = { sasl: !!saslUsers, tls: !!options.tls };
  const layout = kafkaLayout(dir, brokers, await freePorts(portsNeeded(brokers, extra)), extra);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const tls = options.tls ? await writeKafkaTls(dir) : null;
  for (const node of layout) {
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(
      node.configFile,
      serverProperties(node, layout, options.config, { saslUsers, tlsKeystore: tls?.keystoreFile }),
    );
  }
  const clusterId = newClusterId();
  const kafka = new LocalKafka({
    dir,
    clusterId,
    bootstrapServers: bootstrapServers(layout),
    saslBootstrapServers: extraBootstrapServers(layout, 'sasl'),
    tlsBootstrapServers: extraBootstrapServers(layout, 'tls'),
    caFile: tls?.caFile ?? null,
    ownerPid: lifetime === 'owned' ? process.pid : null,
    createdAt: new Date().toISOString(),
    brokers: layout.map((node) => ({
      nodeId: node.nodeId,
      roles: node.roles,
      address: `127.0.0.1:${node.ports.broker}`,
      binary: java,
      args: javaArgs('kafka.Kafka', libs, archive, [node.configFile]),
      logFile: node.logFile,
      pid: 0,
    })),
  });
  kafka.save();

  try {
    progress(`formatting storage of ${brokers} Kafka broker(s) (cluster id ${clusterId})`);
    await Promise.all(
      layout.map((node) =>
        runJava(
          java,
          javaArgs('kafka.tools.StorageTool', libs, archive, [
            'format',
            '-t',
            clusterId,
            '-c',
            node.configFile,
            ...(saslUsers ? scramFormatArgs(saslUsers) : []),
          ]),
          `formatting the storage of kafka broker ${node.nodeId} (kafka.tools.StorageTool)`,
          node.logFile,
        ),
      ),
    );
    progress(`starting ${brokers} Kafka broker(s) at ${kafka.bootstrapServers}`);
    for (const node of layout) kafka.launch(node.nodeId, lifetime);
    kafka.save();
    await kafka.waitUntilReady(timeoutMs);
  } catch (err) {
    await kafka.stop();
    throw err;
  }
  return kafka;
}

/** SIGKILL; resolves once the pid is gone. */
async function killPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await sleep(20);
}

/**
 * Runs a short Java tool (the storage formatter), its output appended to
 * logFile. A failure is reported by what the tool said: the exception
 * message, not the stack trace nor the log chatter.
 */
function runJava(java: string, args: string[], what: string, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(java, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const command = args.slice(args.indexOf('-cp') + 2).join(' ');
      appendFileSync(
        logFile,
        `--- ${command.replace(/password=[^\]]*/g, 'password=***')}\n${stdout}${stderr}`,
      );
      if (!err) return resolve();
      const said = `${stdout}${stderr}`
        .split('\n')
        .filter((l) => l.trim() && !/^\s+at |^\s*\.\.\. \d+ more| INFO | DEBUG /.test(l))
        .slice(-8)
        .join('\n');
      const how = err.killed ? 'timed out' : `exited with code ${err.code}`;
      reject(new Error(`${what} ${how}:\n${said || '(no output)'}`));
    });
  });
}

/**
 * The java binary, Kafka's jars and the class-data archive (null when
 * absent: only start-up is slower). Throws, saying what to do, when Kafka or
 * Java is missing, so a caller can check before starting anything else.
 */
export function kafkaInstallation(): { java: string; libs: string; archive: string | null } {
  const tools = kafkaToolsDir();
  const libs = join(tools, 'libs');
  if (!existsSync(libs)) throw new Error(`Kafka is not fetched (looked for ${libs}); run 'make tools' first`);
  const archive = join(tools, 'kafka.jsa');
  return { java: findJava(), libs, archive: existsSync(archive) ? archive : null };
}

/** $JAVA_HOME/bin/java, else java on PATH. */
export function findJava(): string {
  const candidates = [
    ...(process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'bin', 'java')] : []),
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, 'java')),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error('no java found (JAVA_HOME or PATH): local Kafka brokers need a Java 17+ runtime');
  return found;
}

// ---- Kafkas on disk -------------------------------------------------------

/** The Kafka recorded in dir (e.g. a control plane's <dir>/kafka), or null. */
export function openKafka(dir: string): LocalKafka | null {
  const file = join(dir, stateFile);
  if (!existsSync(file)) return null;
  try {
    return new LocalKafka(JSON.parse(readFileSync(file, 'utf8')) as KafkaState);
  } catch {
    return null;
  }
}

/** SIGKILLs the brokers recorded in dir, without waiting (for reaping). */
export function killKafkaIn(dir: string): void {
  const kafka = openKafka(dir);
  if (!kafka) return;
  for (const b of kafka.state.brokers) {
    if (b.pid && isAlive(b.pid) && isOurs(b.pid, kafka.dir)) {
      try {
        process.kill(b.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Removes stand-alone Kafkas under home whose owning process died without stopping them. */
export function reapStaleKafkas(home = devClustersHome()): string[] {
  if (!existsSync(home)) return [];
  const reaped: string[] = [];
  for (const entry of readdirSync(home)) {
    const kafka = openKafka(join(home, entry));
    if (!kafka || kafka.state.ownerPid === null || isAlive(kafka.state.ownerPid)) continue;
    killKafkaIn(kafka.dir);
    rmSync(kafka.dir, { recursive: true, force: true });
    reaped.push(entry);
  }
  return reaped;
}
