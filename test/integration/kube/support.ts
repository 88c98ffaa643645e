// Helpers for the runtime's integration tests: polling, RBAC for the example
// controller's ServiceAccount, child manager processes, and a TCP proxy that
// can cut a client off the API server (a network partition on demand).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Client } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';

export { eventually };

export const repoRoot = join(import.meta.dirname, '..', '..', '..');

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** Exactly what the ConfigMap mirror needs in its namespace. */
export const mirrorRules: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];

/** A Role with rules, bound to ServiceAccount sa, in namespace (created/updated by apply). */
export async function grantRole(
  admin: Client,
  namespace: string,
  sa: string,
  rules: PolicyRule[],
): Promise<void> {
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await admin.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: sa, namespace },
    rules,
  } as never);
  await admin.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: sa, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace }],
  } as never);
}

/** The same credentials, pointed at another server URL (e.g. a TcpProxy). */
export function kubeConfigVia(kc: KubeConfig, server: string): KubeConfig {
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters.map((c) => ({ ...c, server })),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return out;
}

/** Forwards TCP to target; cut() drops every connection and refuses new ones until restore(). */
export class TcpProxy {
  private readonly target: { host: string; port: number };
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(target: string) {
    const u = new URL(target);
    this.target = { host: u.hostname, port: Number(u.port) };
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  restore(): Promise<void> {
    return this.start();
  }

  close(): Promise<void> {
    return this.cut();
  }
}

export interface LogLine {
  msg?: string;
  level?: string;
  [k: string]: unknown;
}

/** A child process whose stdout is JSON log lines (pino), kept for assertions. */
export class Child {
  readonly proc: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';

  constructor(script: string, env: Record<string, string>) {
    this.proc = spawn(
      join(repoRoot, 'node_modules', '.bin', 'node'),
      ['--disable-warning=ExperimentalWarning', script],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let partial = '';
    this.proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) {
        if (!p.trim()) continue;
        try {
          this.lines.push(JSON.parse(p) as LogLine);
        } catch {
          this.lines.push({ msg: p });
        }
      }
    });
    this.proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  find(pred: (l: LogLine) => boolean, from = 0): LogLine | undefined {
    return this.lines.slice(from).find(pred);
  }

  async waitFor(pred: (l: LogLine) => boolean, timeoutMs = 60_000, from = 0): Promise<LogLine> {
    return eventually(
      () => {
        const l = this.find(pred, from);
        if (!l) throw new Error(`no matching log line; stderr: ${this.stderr.slice(-2000)}`);
        return l;
      },
      { timeoutMs },
    );
  }

  /** Requests that changed something (trace-level request log of our client). */
  writes(from = 0): LogLine[] {
    return this.lines.slice(from).filter((l) => l.msg === 'request' && l.method !== 'GET');
  }

  kill(signal: NodeJS.Signals): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
  }

  describe(): string {
    return `stdout tail:\n${this.lines
      .slice(-30)
      .map((l) => JSON.stringify(l))
      .join('\n')}\nstderr tail:\n${this.stderr.slice(-2000)}`;
  }
}
