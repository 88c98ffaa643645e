// HTTP to the API server. We do our own requests (undici, the same library
// client-node uses) rather than go through client-node's generated clients
// because we need three things they do not give us:
// - every request counted in rest_client_* metrics, so a test can prove that a
//   no-op reconcile writes nothing;
// - one connection pool per credentials (client-node builds a new undici Agent,
//   so a new TLS handshake, for every request);
// - a write gate, so a process that lost leadership cannot write.
// Credentials still come from client-node's KubeConfig (certs, tokens, exec
// plugins, OIDC), via applyToHTTPSOptions.
import { createHash } from 'node:crypto';
import { Agent, type Dispatcher, fetch, ProxyAgent, type Response } from 'undici';
import type { AccessOptions, ClusterAccess } from './cluster-access.ts';
import { ApiError, type Status } from './errors.ts';
import type { Logger } from './logger.ts';
import { RuntimeMetrics } from './metrics.ts';

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
}

/** Called before every write; throws to refuse it. */
export type WriteGate = (method: string, path: string) => void;

export interface TransportOptions {
  metrics?: RuntimeMetrics;
  userAgent?: string;
  writeGate?: WriteGate;
  /** Logs every request (method, path, code, ms) at trace level, like client-go's -v=6. */
  logger?: Logger;
}

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export class Transport {
  readonly kubeConfig: ClusterAccess;
  readonly server: string;
  readonly host: string;
  readonly metrics: RuntimeMetrics;
  private readonly userAgent: string;
  readonly writeGate: WriteGate | undefined;
  private readonly log: Logger | undefined;
  private readonly dispatchers: Map<string, Dispatcher>;

  constructor(kubeConfig: ClusterAccess, options: TransportOptions = {}, shared?: Map<string, Dispatcher>) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    this.server = cluster.server.replace(/\/+$/, '');
    this.host = new URL(this.server).host;
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.userAgent = options.userAgent ?? 'sdm';
    this.writeGate = options.writeGate;
    this.log = options.logger;
    this.dispatchers = shared ?? new Map();
  }

  /** Same credentials, connections and metrics, different write gate. */
  withWriteGate(writeGate: WriteGate | undefined): Transport {
    return new Transport(
      this.kubeConfig,
      { metrics: this.metrics, userAgent: this.userAgent, writeGate, logger: this.log },
      this.dispatchers,
    );
  }

  /** A request whose response is JSON; throws ApiError on any non-2xx status. */
  async request<T>(req: HttpRequest): Promise<T> {
    const timeout = AbortSignal.timeout(req.timeoutMs ?? 60_000);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const res = await this.send(req, signal);
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw apiError(req, res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A streaming request (watch): resolves once headers arrive; the caller reads the body. */
  async stream(req: HttpRequest): Promise<Response> {
    const res = await this.send(req, req.signal);
    if (res.status !== 200) throw apiError(req, res.status, await res.text().catch(() => ''));
    return res;
  }

  private async send(req: HttpRequest, signal: AbortSignal | undefined): Promise<Response> {
    if (!readMethods.has(req.method)) this.writeGate?.(req.method, req.path);
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const { headers, dispatcher } = await this.connection();
    headers.Accept = 'application/json';
    headers['User-Agent'] = this.userAgent;
    if (req.body !== undefined) headers['Content-Type'] = req.contentType ?? 'application/json';
    const start = performance.now();
    let code = '<error>';
    try {
      const res = await fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        dispatcher,
        signal,
      });
      code = String(res.status);
      return res;
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

  /** Auth headers for this request, and the pooled dispatcher for these TLS settings. */
  private async connection(): Promise<{
    headers: Record<string, string>;
    dispatcher: Dispatcher | undefined;
  }> {
    const opts: AccessOptions = {};
    // Re-read per request: exec plugins and token files rotate credentials.
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k] = String(v);
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
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = this.makeDispatcher(tls);
      if (dispatcher) this.dispatchers.set(key, dispatcher);
    }
    return { headers, dispatcher };
  }

  private makeDispatcher(tls: Record<string, unknown>): Dispatcher | undefined {
    const defined = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined));
    const proxyUrl = this.kubeConfig.getCurrentCluster()?.proxyUrl;
    if (!proxyUrl) return new Agent({ connect: defined });
    if (!/^https?:/.test(proxyUrl)) throw new Error('only http(s) proxies are supported by the sdm client');
    return new ProxyAgent({ uri: proxyUrl, requestTls: defined });
  }

  /** Closes pooled connections (tests, short-lived CLIs). */
  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close().catch(() => {})));
  }
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
