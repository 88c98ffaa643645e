// Our own kubeconfig loader: a kubeconfig file (or $KUBECONFIG's list,
// merged as kubectl merges it, or ~/.kube/config) or the pod's ServiceAccount
// (in-cluster), turned into the ClusterAccess the runtime takes
// (cluster-access.ts).
//
// Hand-written rather than @kubernetes/client-node's KubeConfig because that
// module imports the generated API models (gen/index.js, ~850 modules): about
// +80 MiB RSS and half a CPU-second for every process that only needs a
// server address and credentials (bench/memory/modules.ts). Users with an
// `exec` plugin or an `auth-provider` (OIDC, cloud logins) are the exception:
// they are handed to client-node, loaded with require() on first use, so only
// those users pay for it.
//
// What it reads, as client-go does: clusters (server, certificate-authority
// [-data], insecure-skip-tls-verify, tls-server-name, proxy-url), users
// (client-certificate[-data], client-key[-data], token, tokenFile, username/
// password, as/as-uid/as-groups/as-user-extra). Relative file paths are
// relative to the kubeconfig that names them. Files (tokens, certificates) are
// re-read when they change on disk: bound ServiceAccount tokens rotate hourly.
// Errors name the file and the field, never a credential's value.
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type * as ClientNode from '@kubernetes/client-node';
import { isMap, parseDocument } from 'yaml';
import type { AccessCluster, AccessOptions, ClusterAccess } from './cluster-access.ts';

/** A kubeconfig that cannot be used; the message names the file and field. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export interface KubeconfigCluster {
  server?: string;
  /** Absolute when read from a file. */
  certificateAuthority?: string;
  /** Base64, as in the file. */
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface KubeconfigUser {
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  as?: string;
  asUid?: string;
  asGroups?: string[];
  asUserExtra?: Record<string, string[]>;
  exec?: Record<string, unknown>;
  authProvider?: Record<string, unknown>;
}

export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** One named entry and where it was written, for messages: "<source>: users[2]". */
export interface Entry<T> {
  name: string;
  value: T;
  source: string;
  at: string;
}

export interface Kubeconfig {
  clusters: Map<string, Entry<KubeconfigCluster>>;
  users: Map<string, Entry<KubeconfigUser>>;
  contexts: Map<string, Entry<KubeconfigContext>>;
  currentContext?: string;
  /** The files (or descriptions) it was read from, in order. */
  sources: string[];
}

// ---- parsing (pure) ----

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Reads typed fields of one map, each error naming `<source>: <path>.<field>`. */
class Fields {
  private readonly obj: Obj;
  private readonly where: string;

  constructor(obj: Obj, where: string) {
    this.obj = obj;
    this.where = where;
  }

  private fail(field: string, what: string): never {
    throw new KubeconfigError(`${this.where}.${field}: ${what}`);
  }

  string(field: string): string | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') this.fail(field, 'not a string');
    return v;
  }

  path(field: string, baseDir: string | undefined): string | undefined {
    const v = this.string(field);
    return v !== undefined && baseDir !== undefined && !isAbsolute(v) ? resolve(baseDir, v) : v;
  }

  base64(field: string): string | undefined {
    const v = this.string(field);
    if (v !== undefined && !BASE64.test(v)) this.fail(field, 'not valid base64');
    return v;
  }

  bool(field: string): boolean | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(field, 'not true or false');
    return v;
  }

  strings(field: string): string[] | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(field, 'not a list of strings');
    return v as string[];
  }

  stringLists(field: string): Record<string, string[]> | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    const ok =
      isObj(v) && Object.values(v).every((l) => Array.isArray(l) && l.every((s) => typeof s === 'string'));
    if (!ok) this.fail(field, 'not a map of string lists');
    return v as Record<string, string[]>;
  }

  map(field: string): Obj | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) this.fail(field, 'not a map');
    return v;
  }
}

function parseCluster(f: Fields, baseDir: string | undefined): KubeconfigCluster {
  return {
    server: f.string('server'),
    certificateAuthority: f.path('certificate-authority', baseDir),
    certificateAuthorityData: f.base64('certificate-authority-data'),
    insecureSkipTlsVerify: f.bool('insecure-skip-tls-verify'),
    tlsServerName: f.string('tls-server-name'),
    proxyUrl: f.string('proxy-url'),
  };
}

function parseUser(f: Fields, baseDir: string | undefined): KubeconfigUser {
  return {
    clientCertificate: f.path('client-certificate', baseDir),
    clientCertificateData: f.base64('client-certificate-data'),
    clientKey: f.path('client-key', baseDir),
    clientKeyData: f.base64('client-key-data'),
    token: f.string('token'),
    // client-go's field is tokenFile; client-node also reads token-file.
    tokenFile: f.path('tokenFile', baseDir) ?? f.path('token-file', baseDir),
    username: f.string('username'),
    password: f.string('password'),
    as: f.string('as'),
    asUid: f.string('as-uid'),
    asGroups: f.strings('as-groups'),
    asUserExtra: f.stringLists('as-user-extra'),
    exec: f.map('exec'),
    authProvider: f.map('auth-provider'),
  };
}

function parseContext(f: Fields): KubeconfigContext {
  return { cluster: f.string('cluster'), user: f.string('user'), namespace: f.string('namespace') };
}

function parseList<T>(
  root: Obj,
  key: 'clusters' | 'users' | 'contexts',
  inner: 'cluster' | 'user' | 'context',
  source: string,
  read: (f: Fields) => T,
): Map<string, Entry<T>> {
  const out = new Map<string, Entry<T>>();
  const list = root[key];
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new KubeconfigError(`${source}: ${key}: not a list`);
  list.forEach((item, i) => {
    const at = `${key}[${i}]`;
    if (!isObj(item)) throw new KubeconfigError(`${source}: ${at}: not a map`);
    const name = item.name;
    if (typeof name !== 'string' || name === '') throw new KubeconfigError(`${source}: ${at}.name: missing`);
    // client-go refuses a file that names two entries alike.
    if (out.has(name)) throw new KubeconfigError(`${source}: ${at}: duplicate name ${JSON.stringify(name)}`);
    const body = item[inner] ?? {};
    if (!isObj(body)) throw new KubeconfigError(`${source}: ${at}.${inner}: not a map`);
    out.set(name, { name, value: read(new Fields(body, `${source}: ${at}.${inner}`)), source, at });
  });
  return out;
}

/**
 * Parses one kubeconfig document. `source` names it in errors (a file path); relative file
 * references are resolved against `baseDir` when given. Reads nothing but `text`.
 */
export function parseKubeconfig(text: string, source: string, baseDir?: string): Kubeconfig {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  // The parser's message can quote the document, credentials included: say only where it failed.
  if (doc.errors.length > 0) {
    const offset = doc.errors[0]?.pos[0];
    const line = offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
    throw new KubeconfigError(`${source}: not valid YAML${line ? ` at line ${line}` : ''}`);
  }
  let root: unknown;
  try {
    root = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new KubeconfigError(`${source}: not valid YAML (too many aliases)`);
  }
  if (root === null || root === undefined) root = {};
  if (!isObj(root) || (doc.contents !== null && !isMap(doc.contents)))
    throw new KubeconfigError(`${source}: not a kubeconfig (expected a YAML map)`);
  const current = root['current-context'];
  if (current !== undefined && current !== null && typeof current !== 'string')
    throw new KubeconfigError(`${source}: current-context: not a string`);
  return {
    clusters: parseList(root, 'clusters', 'cluster', source, (f) => parseCluster(f, baseDir)),
    users: parseList(root, 'users', 'user', source, (f) => parseUser(f, baseDir)),
    contexts: parseList(root, 'contexts', 'context', source, parseContext),
    currentContext: current || undefined,
    sources: [source],
  };
}

/**
 * kubectl's rules for $KUBECONFIG's list: the first file to set a cluster, user or context name
 * wins (entries are never merged field by field); current-context comes from the first file that sets it.
 */
export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), sources: [] };
  for (const c of configs) {
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      const into = out[key] as Map<string, Entry<unknown>>;
      for (const [name, e] of c[key] as Map<string, Entry<unknown>>) if (!into.has(name)) into.set(name, e);
    }
    out.currentContext ??= c.currentContext;
    out.sources.push(...c.sources);
  }
  return out;
}

/** The current context's entries, checked for use. */
export interface SelectedContext {
  contextName: string;
  namespace?: string;
  cluster: Entry<KubeconfigCluster>;
  /** Undefined: the context names no user (anonymous requests). */
  user?: Entry<KubeconfigUser>;
}

function sourcesOf(config: Kubeconfig): string {
  return config.sources.length > 0 ? config.sources.join(', ') : 'the kubeconfig';
}

function namesOf(map: Map<string, unknown>): string {
  const names = [...map.keys()];
  if (names.length === 0) return 'none';
  return names.length > 20 ? `${names.slice(0, 20).join(', ')}, ...` : names.join(', ');
}

/** The named context (else current-context) with its cluster and user. Pure. */
export function selectContext(config: Kubeconfig, contextName?: string): SelectedContext {
  const name = contextName || config.currentContext;
  const where = sourcesOf(config);
  if (!name) {
    throw new KubeconfigError(
      `${where}: no current-context is set; pass --context (contexts: ${namesOf(config.contexts)})`,
    );
  }
  const ctx = config.contexts.get(name);
  if (!ctx) {
    const how = contextName ? 'context' : 'current-context';
    throw new KubeconfigError(
      `${how} ${JSON.stringify(name)} not found in ${where} (contexts: ${namesOf(config.contexts)})`,
    );
  }
  const ctxAt = `${ctx.source}: ${ctx.at}.context`;
  if (!ctx.value.cluster) throw new KubeconfigError(`${ctxAt}.cluster: missing`);
  const cluster = config.clusters.get(ctx.value.cluster);
  if (!cluster) {
    throw new KubeconfigError(
      `${ctxAt}.cluster: cluster ${JSON.stringify(ctx.value.cluster)} not found in ${where}`,
    );
  }
  let user: Entry<KubeconfigUser> | undefined;
  if (ctx.value.user) {
    user = config.users.get(ctx.value.user);
    if (!user)
      throw new KubeconfigError(
        `${ctxAt}.user: user ${JSON.stringify(ctx.value.user)} not found in ${where}`,
      );
    checkUser(user);
  }
  return { contextName: name, namespace: ctx.value.namespace, cluster, user };
}

/** Combinations client-go refuses, and what our HTTP client cannot send. */
function checkUser(e: Entry<KubeconfigUser>): void {
  const u = e.value;
  const at = `${e.source}: ${e.at}.user`;
  const cert = u.clientCertificate || u.clientCertificateData;
  const key = u.clientKey || u.clientKeyData;
  if (cert && !key) throw new KubeconfigError(`${at}: client-certificate without client-key`);
  if (key && !cert) throw new KubeconfigError(`${at}: client-key without client-certificate`);
  if ((u.token || u.tokenFile) && (u.username || u.password))
    throw new KubeconfigError(`${at}: username/password or a token may be set, not both`);
  if (u.exec && u.authProvider)
    throw new KubeconfigError(`${at}: exec and auth-provider may not both be set`);
}

// ---- files (I/O) ----

/**
 * A file whose content is re-read when it changes on disk (inode, size or mtime: kubelet swaps
 * a projected token's symlink), checked at most every `recheckMs`. A file that becomes
 * unreadable keeps its last content, as client-go keeps the last token.
 */
export class WatchedFile {
  readonly path: string;
  private content: Buffer;
  private stamp: string;
  private checkedAt: number;
  private pending: Promise<Buffer> | undefined;
  private readonly recheckMs: number;

  /** Reads the file now: a missing file is an error naming `field` and the path. */
  constructor(path: string, field: string, recheckMs = 1000) {
    this.path = path;
    this.recheckMs = recheckMs;
    try {
      this.stamp = stampOf(statSync(path));
      this.content = readFileSync(path);
    } catch (err) {
      throw new KubeconfigError(
        `${field}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? err})`,
      );
    }
    this.checkedAt = Date.now();
  }

  /** The current content. */
  async read(): Promise<Buffer> {
    if (Date.now() - this.checkedAt < this.recheckMs) return this.content;
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<Buffer> {
    try {
      const s = stampOf(await stat(this.path));
      if (s !== this.stamp) {
        this.content = await readFile(this.path);
        this.stamp = s;
      }
    } catch {
      // Unreadable for a moment (being replaced): the last content still serves.
    }
    this.checkedAt = Date.now();
    return this.content;
  }
}

function stampOf(s: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${s.ino}/${s.size}/${s.mtimeMs}/${s.ctimeMs}`;
}

// ---- access ----

export interface AccessSettings {
  /** False for kubeconfigs from elsewhere (a peer's Secret): any file reference is refused. */
  allowFiles?: boolean;
  /** How often files are checked for changes (default 1000 ms). */
  recheckMs?: number;
}

/** A header name suffix as client-go escapes it (anything outside an HTTP token is %XX). */
function headerKeyEscape(key: string): string {
  return [...Buffer.from(key, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9!#$&'*+.^_`|~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Several groups or extra values become repeated header lines (the transport sends arrays so). */
function impersonationHeaders(u: KubeconfigUser | undefined): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = {};
  if (!u) return h;
  if (u.as) h['Impersonate-User'] = u.as;
  if (u.asUid) h['Impersonate-Uid'] = u.asUid;
  if (u.asGroups?.length) h['Impersonate-Group'] = [...u.asGroups];
  for (const [k, v] of Object.entries(u.asUserExtra ?? {}))
    if (v.length) h[`Impersonate-Extra-${headerKeyEscape(k)}`] = [...v];
  return h;
}

/** Inline base64 data, or a watched file; undefined when neither is set. */
type Material = { data: Buffer } | { file: WatchedFile } | undefined;

async function materialOf(m: Material): Promise<Buffer | undefined> {
  if (!m) return undefined;
  return 'data' in m ? m.data : m.file.read();
}

/**
 * The ClusterAccess of one selected context: TLS material and credentials, files re-read when they
 * change. Users with exec or auth-provider go to client-node (lazily loaded).
 */
export class KubeconfigAccess implements ClusterAccess {
  readonly contextName: string | undefined;
  readonly namespace: string | undefined;
  /** Where it came from (files, or "in-cluster"), for messages. */
  readonly source: string;
  private readonly cluster: AccessCluster;
  private readonly ca: Material;
  private readonly cert: Material;
  private readonly key: Material;
  private readonly token: string | undefined;
  private readonly tokenFile: WatchedFile | undefined;
  private readonly basic: string | undefined;
  private readonly impersonate: Record<string, string | string[]>;
  private readonly delegate: ClusterAccess | undefined;

  constructor(selected: SelectedContext, settings: AccessSettings = {}) {
    const { cluster: c, user: u } = selected;
    const cAt = `${c.source}: ${c.at}.cluster`;
    const uAt = u ? `${u.source}: ${u.at}.user` : '';
    const server = c.value.server;
    if (!server) throw new KubeconfigError(`${cAt}.server: missing`);
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new KubeconfigError(`${cAt}.server: not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new KubeconfigError(`${cAt}.server: not an http(s) URL`);
    if (c.value.proxyUrl !== undefined && !/^https?:\/\//.test(c.value.proxyUrl))
      throw new KubeconfigError(`${cAt}.proxy-url: only http(s) proxies are supported`);
    const files = settings.allowFiles ?? true;
    const recheck = settings.recheckMs;
    const material = (data: string | undefined, file: string | undefined, field: string): Material => {
      if (file !== undefined && !data) {
        if (!files) throw new KubeconfigError(`${field}: file references are not allowed here`);
        return { file: new WatchedFile(file, field, recheck) };
      }
      return data ? { data: Buffer.from(data, 'base64') } : undefined;
    };
    this.contextName = selected.contextName;
    this.namespace = selected.namespace;
    this.source = c.source;
    this.cluster = {
      server: server.replace(/\/+$/, ''),
      skipTLSVerify: c.value.insecureSkipTlsVerify === true,
      ...(c.value.tlsServerName ? { tlsServerName: c.value.tlsServerName } : {}),
      ...(c.value.proxyUrl ? { proxyUrl: c.value.proxyUrl } : {}),
    };
    // insecure-skip-tls-verify wins over a CA: nothing is verified, so no CA is needed.
    this.ca = this.cluster.skipTLSVerify
      ? undefined
      : material(
          c.value.certificateAuthorityData,
          c.value.certificateAuthority,
          `${cAt}.certificate-authority`,
        );
    const v = u?.value ?? {};
    this.impersonate = impersonationHeaders(u?.value);
    if (v.exec || v.authProvider) {
      if (!files) throw new KubeconfigError(`${uAt}: exec plugins and auth providers are not allowed here`);
      this.delegate = clientNodeAccess(selected);
      return;
    }
    this.cert = material(v.clientCertificateData, v.clientCertificate, `${uAt}.client-certificate`);
    this.key = material(v.clientKeyData, v.clientKey, `${uAt}.client-key`);
    this.token = v.token;
    if (v.tokenFile !== undefined) {
      if (!files) throw new KubeconfigError(`${uAt}.tokenFile: file references are not allowed here`);
      this.tokenFile = new WatchedFile(v.tokenFile, `${uAt}.tokenFile`, recheck);
    }
    if (v.username || v.password) this.basic = `${v.username ?? ''}:${v.password ?? ''}`;
  }

  getCurrentCluster(): AccessCluster {
    return this.cluster;
  }

  async applyToHTTPSOptions(opts: AccessOptions): Promise<void> {
    if (this.delegate) {
      await this.delegate.applyToHTTPSOptions(opts);
    } else {
      const [ca, cert, key] = await Promise.all([
        materialOf(this.ca),
        materialOf(this.cert),
        materialOf(this.key),
      ]);
      if (ca) opts.ca = ca;
      if (cert) opts.cert = cert;
      if (key) opts.key = key;
      if (this.cluster.skipTLSVerify) opts.rejectUnauthorized = false;
      if (this.cluster.tlsServerName) opts.servername = this.cluster.tlsServerName;
      // client-go: a readable token file wins over an inline token.
      const fromFile = this.tokenFile ? (await this.tokenFile.read()).toString('utf8').trim() : '';
      const token = fromFile || this.token;
      if (token) opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
      if (this.basic) opts.auth = this.basic;
    }
    if (Object.keys(this.impersonate).length > 0) opts.headers = { ...opts.headers, ...this.impersonate };
  }
}

const require = createRequire(import.meta.url);

/** exec / auth-provider users: client-node's KubeConfig does the work, loaded on first use. */
function clientNodeAccess(selected: SelectedContext): ClusterAccess {
  const { KubeConfig } = require('@kubernetes/client-node') as typeof ClientNode;
  const c = selected.cluster.value;
  const u = selected.user?.value ?? {};
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: selected.cluster.name,
        server: c.server ?? '',
        caData: c.certificateAuthorityData,
        caFile: c.certificateAuthority,
        skipTLSVerify: c.insecureSkipTlsVerify === true,
        tlsServerName: c.tlsServerName,
        proxyUrl: c.proxyUrl,
      },
    ],
    users: [
      {
        name: selected.user?.name ?? 'user',
        exec: u.exec,
        authProvider: u.authProvider,
        certData: u.clientCertificateData,
        certFile: u.clientCertificate,
        keyData: u.clientKeyData,
        keyFile: u.clientKey,
      },
    ],
    contexts: [
      { name: selected.contextName, cluster: selected.cluster.name, user: selected.user?.name ?? 'user' },
    ],
    currentContext: selected.contextName,
  });
  return kc;
}

// ---- loading ----

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LoadOptions {
  /** Default process.env ($KUBECONFIG, KUBERNETES_SERVICE_HOST/PORT). */
  env?: Record<string, string | undefined>;
  /** Default os.homedir(). */
  homeDir?: string;
  /** Where the pod's token, ca.crt and namespace are (default SERVICE_ACCOUNT_DIR). */
  serviceAccountDir?: string;
  recheckMs?: number;
}

function readKubeconfigFile(path: string): Kubeconfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KubeconfigError(
      `cannot read kubeconfig ${path} (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  return parseKubeconfig(text, path, dirname(resolve(path)));
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The access of the pod's ServiceAccount, as client-go's InClusterConfig. */
export function inClusterAccess(options: LoadOptions = {}): KubeconfigAccess {
  const env = options.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new KubeconfigError('not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set');
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const namespaceFile = join(dir, 'namespace');
  const source = 'in-cluster';
  const cluster: Entry<KubeconfigCluster> = {
    name: 'in-cluster',
    source,
    at: 'service account',
    value: {
      server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
      certificateAuthority: join(dir, 'ca.crt'),
    },
  };
  const user: Entry<KubeconfigUser> = {
    name: 'in-cluster',
    source,
    at: 'service account',
    value: { tokenFile: join(dir, 'token') },
  };
  const namespace = exists(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  return new KubeconfigAccess(
    { contextName: 'in-cluster', namespace: namespace || undefined, cluster, user },
    { recheckMs: options.recheckMs },
  );
}

/**
 * What kubectl would use: --kubeconfig's file, else $KUBECONFIG's files merged, else
 * ~/.kube/config, else the pod's ServiceAccount; `context` picks a context other than current-context.
 */
export function loadClusterAccess(
  flags: { kubeconfig?: string; context?: string } = {},
  options: LoadOptions = {},
): KubeconfigAccess {
  const env = options.env ?? process.env;
  let config: Kubeconfig | undefined;
  if (flags.kubeconfig) {
    config = readKubeconfigFile(flags.kubeconfig);
  } else if (env.KUBECONFIG) {
    const paths = [...new Set(env.KUBECONFIG.split(delimiter).filter(Boolean))];
    // As kubectl: files of the list that do not exist are skipped.
    const present = paths.filter(exists);
    if (present.length === 0)
      throw new KubeconfigError(`none of the files in $KUBECONFIG exists: ${paths.join(', ')}`);
    config = mergeKubeconfigs(present.map(readKubeconfigFile));
  } else {
    const home = join(options.homeDir ?? homedir(), '.kube', 'config');
    if (exists(home)) config = readKubeconfigFile(home);
  }
  if (config) {
    const access = new KubeconfigAccess(selectContext(config, flags.context), {
      recheckMs: options.recheckMs,
    });
    return access;
  }
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    if (flags.context)
      throw new KubeconfigError(
        `context ${JSON.stringify(flags.context)} not found: there is no kubeconfig file (running in-cluster)`,
      );
    return inClusterAccess(options);
  }
  throw new KubeconfigError(
    'no kubeconfig: pass --kubeconfig, set $KUBECONFIG, create ~/.kube/config, or run in a pod',
  );
}
