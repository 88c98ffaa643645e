// A peer's kubeconfig comes from a Secret that another cluster can plant (core sync copies them), so it
// is hostile input. Before any library sees it, its raw YAML is checked against what a peer kubeconfig
// needs: a server, a CA, and inline credentials. Everything that makes the controller read its own
// files (token-file, client-certificate, client-key, certificate-authority), run a program (exec), call
// a plugin (auth-provider), act as someone else (impersonation) or go through a proxy (proxy-url, unless
// allowed) is refused, naming the field.
import { isMap, parseDocument } from 'yaml';

export class KubeconfigRefused extends Error {
  /** The refused field, e.g. users[0].user.token-file. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'KubeconfigRefused';
    this.field = field;
  }
}

/** Largest kubeconfig accepted (a Secret holds at most 1 MiB; real ones are a few KiB). */
export const MAX_KUBECONFIG_BYTES = 256 * 1024;

const TOP = new Set([
  'apiVersion',
  'kind',
  'clusters',
  'users',
  'contexts',
  'current-context',
  'preferences',
]);
const CLUSTER = new Set([
  'server',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'disable-compression',
]);
const USER = new Set(['token', 'client-certificate-data', 'client-key-data', 'username', 'password']);
// client-node's exportConfig repeats the context's name inside it.
const CONTEXT = new Set(['cluster', 'user', 'namespace', 'name']);
/** What each refused field does, for the message. */
const WHY: Record<string, string> = {
  'token-file': 'reads a local file',
  tokenFile: 'reads a local file',
  'client-certificate': 'reads a local file',
  'client-key': 'reads a local file',
  'certificate-authority': 'reads a local file',
  exec: 'runs a program',
  'auth-provider': 'calls an auth plugin',
  'proxy-url': 'sends the traffic through a proxy',
  as: 'impersonates another user',
  'as-uid': 'impersonates another user',
  'as-groups': 'impersonates another user',
  'as-user-extra': 'impersonates another user',
};

function refuse(field: string): never {
  const leaf = field.slice(field.lastIndexOf('.') + 1);
  const why = WHY[leaf] ?? 'is not a field a peer kubeconfig may use';
  throw new KubeconfigRefused(
    field,
    `the kubeconfig field ${field} is refused: it ${why} (a peer kubeconfig may only give a server, a CA and inline credentials)`,
  );
}

function checkMap(
  value: unknown,
  path: string,
  allowed: ReadonlySet<string>,
  extra: readonly string[] = [],
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KubeconfigRefused(path, `the kubeconfig field ${path} is not a map`);
  }
  for (const k of Object.keys(value)) {
    if (!allowed.has(k) && !extra.includes(k)) refuse(`${path}.${k}`);
  }
}

function checkList(
  value: unknown,
  path: string,
  inner: string,
  allowed: ReadonlySet<string>,
  extra: readonly string[] = [],
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw new KubeconfigRefused(path, `the kubeconfig field ${path} is not a list`);
  value.forEach((item, i) => {
    const at = `${path}[${i}]`;
    checkMap(item, at, new Set(['name', inner]));
    checkMap((item as Record<string, unknown> | null)?.[inner], `${at}.${inner}`, allowed, extra);
  });
}

/**
 * Throws KubeconfigRefused unless `text` is a kubeconfig using only inline material. Parsing here
 * reads nothing but the text (no file, no environment); aliases are limited against alias bombs.
 */
export function checkPeerKubeconfig(text: string, options: { allowProxy?: boolean } = {}): void {
  if (Buffer.byteLength(text, 'utf8') > MAX_KUBECONFIG_BYTES) {
    throw new KubeconfigRefused('', `the kubeconfig is larger than ${MAX_KUBECONFIG_BYTES} bytes`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  // The parser's message can quote the document, credentials included: say only where it failed.
  if (doc.errors.length > 0) {
    const pos = doc.errors[0]?.linePos?.[0];
    throw new KubeconfigRefused(
      '',
      `the kubeconfig cannot be parsed (invalid YAML${pos ? ` at line ${pos.line}` : ''})`,
    );
  }
  if (!isMap(doc.contents))
    throw new KubeconfigRefused('', 'the kubeconfig cannot be parsed (not a YAML map)');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new KubeconfigRefused('', 'the kubeconfig cannot be parsed (too many YAML aliases)');
  }
  checkMap(value, 'kubeconfig', TOP);
  const root = value as Record<string, unknown>;
  checkList(root.clusters, 'clusters', 'cluster', CLUSTER, options.allowProxy ? ['proxy-url'] : []);
  checkList(root.users, 'users', 'user', USER);
  checkList(root.contexts, 'contexts', 'context', CONTEXT);
}
