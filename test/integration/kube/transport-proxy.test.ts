// A cluster's proxy-url, against a real API server: requests and watches go
// through a CONNECT proxy written here (node:http), which checks the
// credentials of the proxy-url and counts the tunnels it opens. TLS to the API
// server is still verified end to end through the tunnel, and failures name
// the server, never the proxy's password.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, type ConfigMap, ConfigMaps, Informer, silentLogger } from '../../../src/kube/index.ts';
import { eventually } from './support.ts';

const PASSWORD = 'pr0xy-pa55-never-shown';

/** An HTTP CONNECT proxy that wants Basic user:PASSWORD and records every tunnel's target. */
class ConnectProxy {
  readonly tunnels: string[] = [];
  readonly refused: string[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Duplex>();
  port = 0;

  constructor() {
    this.server = createServer((_req, res) => {
      res.writeHead(405);
      res.end('CONNECT only');
    });
    this.server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      const expected = `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`;
      if (req.headers['proxy-authorization'] !== expected) {
        this.refused.push(req.url ?? '');
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
        return;
      }
      this.tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream: Socket = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  }

  url(password = PASSWORD): string {
    return `http://user:${password}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The control plane's admin kubeconfig with a proxy-url (and optionally without its CA). */
function viaProxy(kc: KubeConfig, proxyUrl: string, dropCA = false): KubeConfig {
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters.map((c) => ({
      ...c,
      proxyUrl,
      ...(dropCA ? { caData: undefined, caFile: undefined } : {}),
    })),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return out;
}

describe('transport through a proxy-url', () => {
  let cp: ControlPlane;
  let proxy: ConnectProxy;
  let apiHost: string;
  const clients: Client[] = [];
  const client = (kc: KubeConfig) => {
    const c = Client.fromKubeConfig(kc);
    clients.push(c);
    return c;
  };

  before(async () => {
    cp = await startControlPlane({ nodes: 1 });
    proxy = new ConnectProxy();
    await proxy.start();
    apiHost = new URL(cp.server).host;
  });
  after(async () => {
    for (const c of clients) await c.transport.close();
    await proxy?.stop();
    await cp?.stop();
  });

  it('sends requests and watches through CONNECT tunnels to the API server, reusing them', async () => {
    const c = client(viaProxy(cp.kubeConfig(), proxy.url()));
    const ns = 'through-proxy';
    await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never);
    const informer = new Informer<ConfigMap>(c, { kind: ConfigMaps, namespace: ns, logger: silentLogger() });
    informer.start();
    try {
      assert.equal(await informer.waitForSync(), true);
      for (let i = 0; i < 5; i++)
        await c.apply<ConfigMap>({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `cm-${i}`, namespace: ns },
          data: { i: String(i) },
        });
      // (kube-root-ca.crt, which the controller-manager puts in every namespace, is not ours)
      const ours = () => informer.list().filter((cm) => cm.metadata?.name?.startsWith('cm-'));
      await eventually(() => assert.equal(ours().length, 5), { timeoutMs: 30_000 });
    } finally {
      await informer.stop();
    }
    assert.ok(proxy.tunnels.length > 0);
    assert.ok(
      proxy.tunnels.every((t) => t === apiHost),
      `every tunnel to the API server: ${proxy.tunnels.join(', ')}`,
    );
    // Discovery, apply x6, list, watch: keep-alive means a handful of tunnels, not one per request.
    const requests = Object.values(await c.metrics.requestsByMethod()).reduce((a, b) => a + b, 0);
    assert.ok(requests >= 8, `requests: ${requests}`);
    assert.ok(proxy.tunnels.length < requests, `${proxy.tunnels.length} tunnels for ${requests} requests`);
  });

  it('still verifies the API server certificate through the tunnel', async () => {
    const c = client(viaProxy(cp.kubeConfig(), proxy.url(), true));
    const before = proxy.tunnels.length;
    const err = await c.transport.request({ method: 'GET', path: '/version' }).then(
      () => assert.fail('a server certificate from an unknown CA was accepted'),
      (e: Error) => e,
    );
    assert.ok(proxy.tunnels.length > before, 'the tunnel was made; TLS failed inside it');
    assert.ok(err.message.startsWith(`GET https://${apiHost}/version: `), err.message);
    assert.match(err.message, /certificate/);
    assert.ok(!err.message.includes(PASSWORD));
  });

  it('fails clearly, without the password, when the proxy refuses or is gone', async () => {
    const wrong = client(viaProxy(cp.kubeConfig(), proxy.url('not-the-password')));
    const refused = await wrong.transport.request({ method: 'GET', path: '/version' }).then(
      () => assert.fail('the proxy let a wrong password through'),
      (e: Error) => e,
    );
    assert.ok(proxy.refused.length > 0);
    assert.ok(refused.message.startsWith(`GET https://${apiHost}/version: `), refused.message);
    assert.match(refused.message, /407/);
    assert.ok(!refused.message.includes('not-the-password'));

    // Requests really go through the proxy: with it gone, they fail (no direct fallback).
    const c = client(viaProxy(cp.kubeConfig(), proxy.url()));
    await c.transport.request({ method: 'GET', path: '/version' });
    await proxy.stop();
    await c.transport.close();
    const gone = await c.transport.request({ method: 'GET', path: '/version' }).then(
      () => assert.fail('a request succeeded without its proxy'),
      (e: Error) => e,
    );
    assert.ok(gone.message.startsWith(`GET https://${apiHost}/version: `), gone.message);
    assert.ok(!gone.message.includes(PASSWORD), gone.message);
  });
});
