// HTTP to the API server, on node:http/node:https. We do our own requests
// rather than go through client-node's generated clients because we need
// three things they do not give us:
// - every request counted in rest_client_* metrics, so a test can prove that a
//   no-op reconcile writes nothing;
// - one keep-alive connection pool per credentials (client-node builds a new
//   agent, so a new TLS handshake, for every request);
// - a write gate, so a process that lost leadership cannot write.
// node:https rather than undici (what client-node and fetch use): loading
// undici costs a process about 29 MiB RSS, plus its llhttp WebAssembly once a
// request is made, where node:https uses the native llhttp already in the
// binary (bench/memory/modules.ts). Credentials come per request from a
// ClusterAccess (our kubeconfig loader, or client-node's KubeConfig for exec
// plugins and OIDC), via applyToHTTPSOptions.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { gunzip } from 'node:zlib';
import type { AccessOptions, ClusterAccess } from './cluster-access.ts';
import { ApiError, type Status } from './errors.ts';
import type { Logger } from './logger.ts';
import { RuntimeMetrics } from './metrics.ts';
import { userWarnings } from './warnings.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. /api/v1/namespaces/default/configmaps. */
  path: string;
  query?: Query;
  /** Serialized as JSON (also for apply-patch+yaml: JSON is YAML). */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Whole-request timeout for non-streaming requests (default 60 s). */
  timeoutMs?: number;
  /** Each 299 `Warning` header text of the response (unknown fields dropped, deprecated APIs). */
  onWarning?: (text: string) => void;
}

/** Called before every write; throws to refuse it. */
export type WriteGate = (method: string, path: string) => void;

export interface TransportOptions {
  metrics?: RuntimeMetrics;
  userAgent?: string;
  writeGate?: WriteGate;
  /** Logs every request (method, path, code, ms) at trace level, like client-go's -v=6. */
  logger?: Logger;
  /** Every 299 `Warning` header text of any response, besides the request's own onWarning. */
  onWarning?: (text: string, req: { method: string; path: string }) => void;
}

/**
 * A request that got no complete HTTP response: refused, DNS, TLS, reset, or
 * aborted (name AbortError) / out of time (name TimeoutError), like fetch's.
 * The message names the method, server and path, never credentials; `code`
 * is Node's (ECONNREFUSED, ...) when there is one.
 */
export class TransportError extends Error {
  readonly code: string | undefined;
  constructor(message: string, name: string, code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = name;
    this.code = code;
  }
}

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
// Idle pooled connections are closed after this (the API server's own idle
// timeout is 90 s; fake servers in tests send a shorter Keep-Alive hint, which wins).
const IDLE_SOCKET_MS = 30_000;
// A pooled socket the server closed just as we reused it fails with one of these before
// any response; a GET is then safe to send again on a fresh connection (Go does the same).
const staleSocketCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

type Agent = http.Agent;
/** request()'s own whole-request timeout, told apart from a caller's signal by its reason. */
interface Deadline {
  ms: number;
  /** The abort reason that means "our deadline", by identity. */
  reason: object;
}

export class Transport {
  readonly kubeConfig: ClusterAccess;
  readonly server: string;
  readonly host: string;
  readonly metrics: RuntimeMetrics;
  private readonly userAgent: string;
  readonly writeGate: WriteGate | undefined;
  private readonly log: Logger | undefined;
  private readonly onWarning: TransportOptions['onWarning'];
  /** Pooled agents by TLS fingerprint, shared with withWriteGate() copies. */
  private readonly agents: Map<string, Agent>;
  /** For messages: scheme://host[:port] without any userinfo. */
  private readonly origin: string;
  private readonly secure: boolean;

  constructor(kubeConfig: ClusterAccess, options: TransportOptions = {}, shared?: Map<string, Agent>) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    // A server without a scheme ("10.0.0.1:6443") is https, as client-go takes it.
    const server = /^[a-z][a-z0-9+.-]*:\/\//i.test(cluster.server)
      ? cluster.server
      : `https://${cluster.server}`;
    this.server = server.replace(/\/+$/, '');
    let url: URL;
    try {
      url = new URL(this.server);
    } catch {
      throw new Error("the cluster's server is not a valid URL");
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error(
        `the cluster's server scheme ${url.protocol} is not supported (only https:// and http://)`,
      );
    this.host = url.host;
    this.origin = `${url.protocol}//${url.host}`;
    this.secure = url.protocol === 'https:';
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.userAgent = options.userAgent ?? 'sdm';
    this.writeGate = options.writeGate;
    this.log = options.logger;
    this.onWarning = options.onWarning;
    this.agents = shared ?? new Map();
  }

  /** Same credentials, connections and metrics, different write gate. */
  withWriteGate(writeGate: WriteGate | undefined): Transport {
    return new Transport(
      this.kubeConfig,
      {
        metrics: this.metrics,
        userAgent: this.userAgent,
        writeGate,
        logger: this.log,
        onWarning: this.onWarning,
      },
      this.agents,
    );
  }

  /** A request whose response is JSON; throws ApiError on any non-2xx status. */
  async request<T>(req: HttpRequest): Promise<T> {
    const deadline: Deadline = { ms: req.timeoutMs ?? 60_000, reason: {} };
    // One abort for the whole request (headers and body): the caller's signal or our deadline.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(deadline.reason), deadline.ms);
    const onAbort = () => abort.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.signal?.aborted) onAbort();
    try {
      const res = await this.send(req, abort.signal, deadline, true);
      const text = await readBody(res).catch((err: unknown) => {
        throw this.failure(req, err, abort.signal, deadline);
      });
      const code = res.statusCode ?? 0;
      if (code < 200 || code > 299) throw apiError(req, code, text);
      return (text ? JSON.parse(text) : undefined) as T;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A streaming request (watch): resolves once headers arrive with the response
   * body as a Readable; the caller reads it (or destroys it). Aborting req.signal
   * destroys the request, and the body then fails with an AbortError.
   */
  async stream(req: HttpRequest): Promise<http.IncomingMessage> {
    const res = await this.send(req, req.signal, undefined, false);
    if (res.statusCode !== 200) throw apiError(req, res.statusCode ?? 0, await readBody(res).catch(() => ''));
    return res;
  }

  /** Sends req; resolves with the response once its headers arrived. */
  private async send(
    req: HttpRequest,
    signal: AbortSignal | undefined,
    deadline: Deadline | undefined,
    gzip: boolean,
  ): Promise<http.IncomingMessage> {
    if (!readMethods.has(req.method)) this.writeGate?.(req.method, req.path);
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    // Credentials or proxy refused: nothing is sent, so nothing is counted.
    const { headers, agent } = await this.connection();
    headers.Accept = 'application/json';
    headers['User-Agent'] = this.userAgent;
    // As client-go: the API server gzips large non-watch responses (lists over
    // 128 KiB) when asked, a several-fold saving for a peer across a WAN.
    // Watches are never compressed by the server, so streams do not ask.
    if (gzip) headers['Accept-Encoding'] = 'gzip';
    if (body) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(body.length);
    }
    const start = performance.now();
    let code = '<error>';
    try {
      let res: http.IncomingMessage;
      try {
        res = await this.exchange(url, req.method, headers, body, agent, signal);
      } catch (err) {
        const stale = err as { reusedSocket?: boolean; code?: string };
        if (req.method !== 'GET' || !stale.reusedSocket || !staleSocketCodes.has(stale.code ?? '')) throw err;
        res = await this.exchange(url, req.method, headers, body, agent, signal);
      }
      code = String(res.statusCode);
      // The server's warnings come with any status (a refused write may carry them too).
      for (const text of userWarnings(res.headersDistinct.warning)) {
        req.onWarning?.(text);
        this.onWarning?.(text, req);
      }
      return res;
    } catch (err) {
      throw this.failure(req, err, signal, deadline);
    } finally {
      const seconds = (performance.now() - start) / 1000;
      this.metrics.restRequests.inc({ code, method: req.method, host: this.host });
      this.metrics.restRequestDuration.observe({ verb: req.method, host: this.host }, seconds);
      this.log?.trace(
        { method: req.method, path: req.path, code, ms: Math.round(seconds * 1000) },
        'request',
      );
    }
  }

  /** One HTTP exchange up to the response headers; signal destroys it (and later its body). */
  private exchange(
    url: URL,
    method: string,
    headers: Record<string, string | string[]>,
    body: Buffer | undefined,
    agent: Agent,
    signal: AbortSignal | undefined,
  ): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const request = (this.secure ? https : http).request(url, { method, headers, agent });
      let response: http.IncomingMessage | undefined;
      const onAbort = () => {
        const reason: unknown = signal?.reason;
        const err = reason instanceof Error ? reason : new Error('aborted');
        request.destroy(err);
        response?.destroy(err);
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      // Until the response arrives the request is the exchange; then its body is.
      request.once('close', () => {
        if (!response) done();
      });
      request.on('error', (err: Error & { reusedSocket?: boolean }) => {
        done();
        err.reusedSocket = request.reusedSocket;
        reject(err);
      });
      request.once('response', (res) => {
        response = res;
        // The reader sees body errors; this only keeps one arriving before it listens from crashing us.
        res.on('error', () => {});
        res.once('close', done);
        resolve(res);
      });
      request.end(body);
    });
  }

  /** The error a caller sees for a request that got no (complete) response. */
  private failure(
    req: HttpRequest,
    err: unknown,
    signal: AbortSignal | undefined,
    deadline?: Deadline,
  ): unknown {
    if (err instanceof ApiError || err instanceof TransportError) return err;
    const where = `${req.method} ${this.origin}${req.path}`;
    if (signal?.aborted) {
      const reason: unknown = signal.reason;
      if (deadline && reason === deadline.reason)
        return new TransportError(
          `${where}: no complete response within ${deadline.ms} ms`,
          'TimeoutError',
          undefined,
          reason,
        );
      const timedOut = (reason as { name?: string } | undefined)?.name === 'TimeoutError';
      return new TransportError(
        `${where}: ${timedOut ? 'timed out' : 'aborted'}`,
        timedOut ? 'TimeoutError' : 'AbortError',
        undefined,
        reason,
      );
    }
    // Errors of our own making (write gate, proxy refused) already say what happened.
    const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
    if (typeof code !== 'string') return err;
    // Node names the proxy in tunnel errors; keep any user:password of a URL out of the message.
    const message = (err as Error).message.replace(/\/\/[^/\s@]+@/g, '//');
    return new TransportError(`${where}: ${message}`, 'TransportError', code, err);
  }

  /** Auth headers for this request, and the pooled agent for these TLS settings. */
  private async connection(): Promise<{ headers: Record<string, string | string[]>; agent: Agent }> {
    const opts: AccessOptions = {};
    // Re-read per request: exec plugins and token files rotate credentials.
    await this.kubeConfig.applyToHTTPSOptions(opts);
    // An array is sent as repeated header lines (Impersonate-Group: a, Impersonate-Group: b),
    // which the API server reads as several values; joined "a,b" would be one group named "a,b".
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {}))
      headers[k] = Array.isArray(v) ? v.map(String) : String(v);
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    };
    const fingerprint = createHash('sha256');
    for (const v of Object.values(tls)) fingerprint.update(`${v === undefined ? '-' : String(v)}\0`);
    const key = fingerprint.digest('hex');
    let agent = this.agents.get(key);
    if (!agent) {
      agent = this.makeAgent(tls);
      this.agents.set(key, agent);
    }
    return { headers, agent };
  }

  private makeAgent(tls: Record<string, unknown>): Agent {
    const defined = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined));
    const options: https.AgentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS };
    const proxyUrl = this.kubeConfig.getCurrentCluster()?.proxyUrl;
    if (proxyUrl) options.proxyEnv = proxyEnv(proxyUrl, this.origin);
    return this.secure ? new https.Agent({ ...options, ...defined }) : new http.Agent(options);
  }

  /** Closes pooled connections (tests, short-lived CLIs); requests in flight fail. */
  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    for (const agent of all) agent.destroy();
  }
}

/**
 * The proxy environment for one cluster's proxy-url: every request to this
 * server goes through it (no NO_PROXY), tunnelled with CONNECT for https
 * servers and as absolute-URI requests for http ones. Only http(s) proxies:
 * Node has no SOCKS client, and we refuse rather than connect directly.
 */
function proxyEnv(proxyUrl: string, origin: string): NodeJS.ProcessEnv {
  let scheme: string;
  try {
    scheme = new URL(proxyUrl).protocol;
  } catch {
    // The URL itself may hold a password: never repeat it.
    throw new Error(`${origin}: the cluster's proxy-url is not a valid URL`);
  }
  if (scheme !== 'http:' && scheme !== 'https:')
    throw new Error(
      `${origin}: the cluster's proxy-url scheme ${scheme} is not supported (only http:// and https:// proxies)`,
    );
  return { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl };
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => {
      const raw = Buffer.concat(chunks);
      if (res.headers['content-encoding'] !== 'gzip') return resolve(raw.toString('utf8'));
      gunzip(raw, (err, plain) => (err ? reject(err) : resolve(plain.toString('utf8'))));
    });
    res.once('error', reject);
    // Destroyed without an error (cannot happen for a live response, but never hang).
    res.once('close', () => {
      if (!res.complete) reject(res.errored ?? new Error('response closed before its end'));
    });
  });
}

function apiError(req: HttpRequest, statusCode: number, text: string): ApiError {
  let status: Status | undefined;
  try {
    const parsed = JSON.parse(text) as Status;
    if (parsed && typeof parsed === 'object' && parsed.kind === 'Status') status = parsed;
  } catch {
    // not JSON: keep the raw text as the message
  }
  return new ApiError(req.method, req.path, statusCode, status, text.slice(0, 500));
}
