// /healthz (the process works), /readyz (caches synced, ready for traffic) and
// /metrics (Prometheus) on one small HTTP server, as the kubelet and
// Prometheus expect from any controller.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Resolves to nothing when healthy; throws (or resolves to an error message) when not. */
// biome-ignore lint/suspicious/noConfusingVoidType: checks that pass may return nothing
export type Check = () => Promise<string | undefined | void> | string | undefined | void;

export class HealthServer {
  private readonly health = new Map<string, Check>();
  private readonly ready = new Map<string, Check>();
  private readonly registry: Registry;
  private server: Server | undefined;

  constructor(registry: Registry) {
    this.registry = registry;
    this.health.set('ping', () => undefined);
  }

  addHealthCheck(name: string, check: Check): void {
    this.health.set(name, check);
  }

  addReadyCheck(name: string, check: Check): void {
    this.ready.set(name, check);
  }

  /** Listens; port 0 picks a free port (see address()). */
  async listen(port: number, host = '0.0.0.0'): Promise<AddressInfo> {
    const server = createServer((req, res) => {
      void this.handle(req.url ?? '/').then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'Content-Type': type });
          res.end(body);
        },
        (err) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(String(err));
        },
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server.address() as AddressInfo;
  }

  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(url: string): Promise<{ status: number; type: string; body: string }> {
    const path = new URL(url, 'http://x').pathname;
    if (path === '/metrics') {
      return { status: 200, type: this.registry.contentType, body: await this.registry.metrics() };
    }
    const checks = path === '/healthz' ? this.health : path === '/readyz' ? this.ready : undefined;
    if (!checks) return { status: 404, type: 'text/plain', body: 'not found\n' };
    const lines: string[] = [];
    let ok = true;
    for (const [name, check] of checks) {
      try {
        const problem = await check();
        if (problem) throw new Error(problem);
        lines.push(`[+]${name} ok`);
      } catch (err) {
        ok = false;
        lines.push(`[-]${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    lines.push(ok ? `${path.slice(1)} check passed` : `${path.slice(1)} check failed`);
    return { status: ok ? 200 : 500, type: 'text/plain', body: `${lines.join('\n')}\n` };
  }
}
