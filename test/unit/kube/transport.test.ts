// The transport against small node:http servers made here: JSON, Status
// errors, whole-request timeouts and aborts that destroy the request, pooled
// keep-alive connections, a GET resent once when a pooled connection turned
// out dead (and a write never), messages that name the server and never the
// credentials, the write gate, metrics and trace lines, a plain-http proxy,
// and watches read from the response stream.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import type { AccessOptions, ClusterAccess } from '../../../src/kube/cluster-access.ts';
import { ApiError, isGone } from '../../../src/kube/errors.ts';
import { Transport, TransportError } from '../../../src/kube/transport.ts';
import { watchOnce } from '../../../src/kube/watch.ts';

const SECRET = 'tok3n-that-must-never-show';

function access(server: string, proxyUrl?: string): ClusterAccess {
  return {
    getCurrentCluster: () => ({ server, proxyUrl }),
    async applyToHTTPSOptions(opts: AccessOptions) {
      opts.headers = { Authorization: `Bearer ${SECRET}` };
    },
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server whose handler tests swap; counts connections and remembers the sockets. */
async function testServer(): Promise<{
  url: string;
  server: Server;
  connections: Socket[];
  seen: { method: string; url: string; auth: string }[];
  handle: (h: Handler) => void;
}> {
  let handler: Handler = (_req, res) => res.end('{}');
  const seen: { method: string; url: string; auth: string }[] = [];
  const connections: Socket[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '' });
    handler(req, res);
  });
  server.on('connection', (s) => connections.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    connections,
    seen,
    handle: (h) => {
      handler = h;
    },
  };
}

/** The rejection of p (fails the test if p resolves). */
async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Error, String(err));
    return err;
  }
  assert.fail('expected a rejection');
}

const json = (res: ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('transport over node:http', async () => {
  const s = await testServer();
  const transports: Transport[] = [];
  const make = (proxyUrl?: string, t = new Transport(access(s.url, proxyUrl))) => {
    transports.push(t);
    return t;
  };
  after(async () => {
    for (const t of transports) await t.close();
    s.server.closeAllConnections();
    s.server.close();
  });

  it('asks for gzip on plain requests and reads a gzipped body; a watch does not ask', async () => {
    const t = make();
    const asked: string[] = [];
    const big = {
      kind: 'ConfigMapList',
      items: Array.from({ length: 500 }, (_, i) => ({ metadata: { name: `cm-${i}` } })),
    };
    s.handle((req, res) => {
      asked.push(
        `${req.url?.includes('watch=1') ? 'watch' : 'list'}:${req.headers['accept-encoding'] ?? ''}`,
      );
      if (req.url?.includes('watch=1')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'w' } } })}\n`);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify(big)));
    });
    const list = await t.request<typeof big>({ method: 'GET', path: '/api/v1/configmaps' });
    assert.equal(list.items.length, 500);
    assert.equal(list.items[499]?.metadata.name, 'cm-499');
    const res = await t.stream({ method: 'GET', path: '/api/v1/configmaps', query: { watch: 1 } });
    res.destroy();
    assert.deepEqual(asked, ['list:gzip', 'watch:']);
  });

  it('sends JSON with the credentials, parses JSON, reuses one connection, counts and traces', async () => {
    const lines: { msg?: string; method?: string; path?: string; code?: string }[] = [];
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(JSON.parse(String(chunk)));
          cb();
        },
      }),
    );
    const t = make(undefined, new Transport(access(s.url), { logger }));
    let received = '';
    s.handle((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received = `${req.headers['content-type']} ${body}`;
        json(res, 201, { kind: 'ConfigMap', metadata: { name: 'x' } });
      });
    });
    const before = s.connections.length;
    const created = await t.request<{ metadata: { name: string } }>({
      method: 'POST',
      path: '/api/v1/namespaces/a/configmaps',
      query: { fieldManager: 'sdm', dryRun: undefined },
      body: { data: { k: 'v' } },
    });
    assert.equal(created.metadata.name, 'x');
    assert.equal(received, 'application/json {"data":{"k":"v"}}');
    const last = s.seen.at(-1);
    assert.equal(last?.url, '/api/v1/namespaces/a/configmaps?fieldManager=sdm');
    assert.equal(last?.auth, `Bearer ${SECRET}`);
    for (let i = 0; i < 5; i++) await t.request({ method: 'GET', path: '/version' });
    assert.equal(s.connections.length - before, 1, 'six sequential requests, one keep-alive connection');
    assert.deepEqual(await t.metrics.requestsByMethod(), { POST: 1, GET: 5 });
    const traced = lines.filter((l) => l.msg === 'request');
    assert.equal(traced.length, 6);
    assert.deepEqual(
      { method: traced[0]?.method, path: traced[0]?.path, code: traced[0]?.code },
      { method: 'POST', path: '/api/v1/namespaces/a/configmaps', code: '201' },
    );
  });

  it("turns a non-2xx status into ApiError with the server's Status", async () => {
    const t = make();
    s.handle((_req, res) =>
      json(res, 404, {
        kind: 'Status',
        status: 'Failure',
        reason: 'NotFound',
        message: 'cm "x" not found',
        code: 404,
      }),
    );
    const err = await rejection(t.request({ method: 'GET', path: '/api/v1/namespaces/a/configmaps/x' }));
    assert.ok(err instanceof ApiError);
    assert.equal(err.statusCode, 404);
    assert.equal(err.reason, 'NotFound');
    assert.match(err.message, /cm "x" not found/);
    s.handle((_req, res) => {
      res.writeHead(503);
      res.end('upstream sad');
    });
    const raw = await rejection(t.request({ method: 'GET', path: '/healthz' }));
    assert.ok(raw instanceof ApiError);
    assert.equal(raw.statusCode, 503);
    assert.match(raw.message, /upstream sad/);
    assert.deepEqual(await t.metrics.requestsByMethod(), { GET: 2 });
  });

  it('times out a whole request (a body that never ends) and destroys it', async () => {
    const t = make();
    s.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"items":[');
    });
    const closed = new Promise<void>((resolve) =>
      s.server.once('request', (req) => req.socket.once('close', resolve)),
    );
    const started = performance.now();
    const err = await rejection(t.request({ method: 'GET', path: '/slow', timeoutMs: 300 }));
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.name, 'TimeoutError');
    assert.equal(err.message, `GET ${s.url}/slow: no complete response within 300 ms`);
    assert.ok(performance.now() - started < 5000);
    await closed; // the server saw the connection go: the request was destroyed, not left to hang
  });

  it("aborts on the caller's signal, while waiting and when already aborted", async () => {
    const t = make();
    s.handle(() => {}); // never answers
    const ac = new AbortController();
    const pending = rejection(t.request({ method: 'GET', path: '/hang', signal: ac.signal }));
    await once(s.server, 'request');
    ac.abort();
    const err = await pending;
    assert.ok(err instanceof TransportError);
    assert.equal(err.name, 'AbortError');
    assert.equal(err.message, `GET ${s.url}/hang: aborted`);
    const already = await rejection(t.request({ method: 'GET', path: '/hang', signal: AbortSignal.abort() }));
    assert.equal(already.name, 'AbortError');
  });

  it('resends a GET once when a pooled connection was dead; never a write', async () => {
    const t = make();
    s.handle((_req, res) => json(res, 200, { ok: 1 }));
    await t.request({ method: 'GET', path: '/warm' }); // leaves one pooled connection
    let killed = 0;
    // The next request on that connection finds it reset before any response.
    s.handle((req, res) => {
      if (killed === 0) {
        killed++;
        req.socket.destroy();
        return;
      }
      json(res, 200, { ok: 2 });
    });
    assert.deepEqual(await t.request({ method: 'GET', path: '/again' }), { ok: 2 });
    assert.equal(killed, 1);
    killed = 0;
    const write = await rejection(t.request({ method: 'DELETE', path: '/thing' }));
    assert.ok(write instanceof TransportError, String(write));
    assert.equal(write.code, 'ECONNRESET');
    assert.match(write.message, new RegExp(`^DELETE ${s.url}/thing: `));
  });

  it('names the server and never the credentials when it cannot connect', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const t = make(undefined, new Transport(access(`http://127.0.0.1:${port}`)));
    const err = await rejection(t.request({ method: 'GET', path: '/version' }));
    assert.ok(err instanceof TransportError);
    assert.equal(err.code, 'ECONNREFUSED');
    assert.match(
      err.message,
      new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/version: connect ECONNREFUSED`),
    );
    assert.ok(!err.message.includes(SECRET));
    assert.deepEqual(await t.metrics.requestsByMethod(), { GET: 1 }, 'failed requests count too');
    const dns = new Transport(access('http://no-such-host.invalid:6443'));
    transports.push(dns);
    const dnsErr = await rejection(dns.request({ method: 'GET', path: '/version' }));
    assert.match(dnsErr.message, /^GET http:\/\/no-such-host\.invalid:6443\/version: getaddrinfo/);
  });

  it('takes a server without a scheme as https, and refuses other schemes and bad URLs', () => {
    assert.equal(new Transport(access('10.0.0.1:6443')).server, 'https://10.0.0.1:6443');
    assert.equal(new Transport(access('https://k8s.example/prefix/')).server, 'https://k8s.example/prefix');
    assert.throws(
      () => new Transport(access('ftp://10.0.0.1')),
      /^Error: the cluster's server scheme ftp: is not supported \(only https:\/\/ and http:\/\/\)$/,
    );
    assert.throws(
      () => new Transport(access('https://[bad')),
      /^Error: the cluster's server is not a valid URL$/,
    );
  });

  it('lets the write gate refuse writes before anything is sent', async () => {
    const t = make().withWriteGate((method, path) => {
      throw new Error(`refusing ${method} ${path}: not leader`);
    });
    transports.push(t);
    s.handle((_req, res) => json(res, 200, {}));
    const before = s.seen.length;
    const err = await rejection(t.request({ method: 'PATCH', path: '/x', body: {} }));
    assert.equal(err.message, 'refusing PATCH /x: not leader');
    assert.equal(s.seen.length, before);
    await t.request({ method: 'GET', path: '/x' });
    assert.equal(s.seen.length, before + 1, 'reads pass');
  });

  it('goes through an http proxy-url; refuses socks without repeating the URL', async () => {
    const proxied: string[] = [];
    const proxy = createServer((req, res) => {
      // An http server behind a proxy gets absolute-URI requests; forward them.
      proxied.push(`${req.method} ${req.url}`);
      const target = new URL(req.url ?? '');
      fetchThrough(target, req, res);
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      s.handle((_req, res) => json(res, 200, { via: 'proxy' }));
      const t = make(proxyUrl);
      assert.deepEqual(await t.request({ method: 'GET', path: '/version' }), { via: 'proxy' });
      assert.deepEqual(proxied, [`GET ${s.url}/version`]);
      // An https server is reached by CONNECT; a refused tunnel names the server, not the proxy's password.
      proxy.once('connect', (_req, client: Socket) =>
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'),
      );
      const tunnel = make(
        undefined,
        new Transport(access('https://127.0.0.1:1', proxyUrl.replace('//', '//user:pa55word@'))),
      );
      const refused = await rejection(tunnel.request({ method: 'GET', path: '/version' }));
      assert.equal(refused.code, 'ERR_PROXY_TUNNEL');
      assert.match(refused.message, /^GET https:\/\/127\.0\.0\.1:1\/version: .*407/);
      assert.ok(!refused.message.includes('pa55word'), refused.message);
      const socks = make('socks5://user:pa55word@127.0.0.1:1080');
      const err = await rejection(socks.request({ method: 'GET', path: '/version' }));
      assert.equal(
        err.message,
        `${s.url}: the cluster's proxy-url scheme socks5: is not supported (only http:// and https:// proxies)`,
      );
      assert.deepEqual(await socks.metrics.requestsByMethod(), {}, 'nothing sent, nothing counted');
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('streams watch events, ends cleanly, reports ERROR events as ApiError and stops on abort', async () => {
    const t = make();
    const event = (type: string, name: string, rv: string) =>
      `${JSON.stringify({ type, object: { kind: 'ConfigMap', metadata: { name, resourceVersion: rv } } })}\n`;
    s.handle((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const u = new URL(req.url ?? '', 'http://x');
      if (u.searchParams.get('resourceVersion') === 'gone') {
        res.end(
          `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } })}\n`,
        );
        return;
      }
      if (u.searchParams.get('resourceVersion') === 'hang') {
        res.write(event('ADDED', 'first', '1'));
        return; // keeps the stream open
      }
      // One event split across writes, then two in one write, then the end.
      const a = event('ADDED', 'a', '5');
      res.write(a.slice(0, 10));
      setTimeout(() => {
        res.write(a.slice(10) + event('MODIFIED', 'a', '6') + event('BOOKMARK', '', '7').trimEnd());
        res.end();
      }, 20);
    });
    const got: string[] = [];
    await watchOnce(t, { path: '/api/v1/configmaps', resourceVersion: '4' }, (e) =>
      got.push(`${e.type} ${e.object.metadata?.resourceVersion}`),
    );
    assert.deepEqual(got, ['ADDED 5', 'MODIFIED 6', 'BOOKMARK 7']);
    assert.match(s.seen.at(-1)?.url ?? '', /watch=true&allowWatchBookmarks=true&resourceVersion=4/);

    const gone = await rejection(
      watchOnce(t, { path: '/api/v1/configmaps', resourceVersion: 'gone' }, () => {}),
    );
    assert.ok(isGone(gone), String(gone));

    const ac = new AbortController();
    const seen: string[] = [];
    const closed = new Promise<void>((resolve) =>
      s.server.once('request', (req) => req.socket.once('close', resolve)),
    );
    const running = watchOnce(
      t,
      { path: '/api/v1/configmaps', resourceVersion: 'hang', signal: ac.signal },
      (e) => {
        seen.push(e.object.metadata?.name ?? '');
        ac.abort();
      },
    );
    await running; // resolves (no error) once aborted
    assert.deepEqual(seen, ['first']);
    await closed; // and the connection of the open stream is gone
  });
});

/** A tiny forward proxy for absolute-URI requests to an http server. */
function fetchThrough(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const out = httpRequest(target, { method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  out.on('error', () => res.destroy());
  req.pipe(out);
}
