// The image pull secrets controller's decisions as pure functions: which
// namespaces an ImagePullSecret targets, what the merged pull Secret holds,
// and which Secrets to create, update or delete. The controller only feeds
// them what it observed and carries out the plan.
import {
  DOCKER_CONFIG_KEY,
  DOCKER_CONFIG_JSON_SECRET_TYPE as DOCKER_CONFIG_TYPE,
  OWNER_LABEL,
} from '../../apis/images.banzaicloud.io/keys.ts';
import type { ImagePullSecret } from '../../apis/images.banzaicloud.io/v1alpha1/imagepullsecret.ts';
import type { KubeObject, Namespace, Secret } from '../../kube/index.ts';

export {
  DOCKER_CONFIG_JSON_SECRET_TYPE as DOCKER_CONFIG_TYPE,
  DOCKER_CONFIG_KEY,
  OWNER_LABEL,
} from '../../apis/images.banzaicloud.io/keys.ts';

export interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchAnnotations?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

/** One registry's credentials, as in a docker config's `auths`. */
export interface DockerAuth {
  auth?: string;
  username?: string;
  password?: string;
  [key: string]: unknown;
}
export type Auths = Record<string, DockerAuth>;

function matchRequirement(req: SelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, req.key);
  const value = values[req.key];
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(value!);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // Unknown operators match nothing: safer than writing credentials everywhere.
      return false;
  }
}

/**
 * A label (or annotation) selector against a map. An empty selector matches
 * everything, as in Kubernetes.
 */
export function matchSelector(
  selector: LabelSelectorLike,
  values: Record<string, string> | undefined,
  exact: Record<string, string> | undefined,
): boolean {
  const v = values ?? {};
  for (const [k, want] of Object.entries(exact ?? {})) if (v[k] !== want) return false;
  return (selector.matchExpressions ?? []).every((r) => matchRequirement(r, v));
}

function objectMatches(
  obj: KubeObject,
  sel: { labels?: LabelSelectorLike[]; annotations?: LabelSelectorLike[] } | undefined,
): boolean {
  if (!sel) return false;
  const labels = obj.metadata?.labels;
  const annotations = obj.metadata?.annotations;
  return (
    (sel.labels ?? []).some((s) => matchSelector(s, labels, s.matchLabels)) ||
    (sel.annotations ?? []).some((s) => matchSelector(s, annotations, s.matchAnnotations))
  );
}

export interface PodLike extends KubeObject {}

/**
 * Namespaces the ImagePullSecret targets: by name, label or annotation
 * selector, or holding a matching pod; all ORed. Terminating namespaces are
 * left out (nothing can be created there). Sorted.
 */
export function targetNamespaces(
  imps: Pick<ImagePullSecret, 'spec'>,
  namespaces: readonly Namespace[],
  pods: readonly PodLike[] = [],
): string[] {
  const target = imps.spec.target;
  const names = new Set(target.namespaces?.names ?? []);
  const withPods = new Set<string>();
  if (target.namespacesWithPods) {
    for (const pod of pods) {
      const ns = pod.metadata?.namespace;
      if (ns && !withPods.has(ns) && objectMatches(pod, target.namespacesWithPods)) withPods.add(ns);
    }
  }
  const out: string[] = [];
  for (const ns of namespaces) {
    const name = ns.metadata?.name;
    if (!name || ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) continue;
    if (names.has(name) || withPods.has(name) || objectMatches(ns, target.namespaces)) out.push(name);
  }
  return out.sort();
}

/** The .dockerconfigjson text for merged auths: registries sorted so equal inputs give equal bytes. */
export function dockerConfigJson(auths: Auths): string {
  const sorted: Auths = {};
  for (const key of Object.keys(auths).sort()) sorted[key] = auths[key]!;
  return JSON.stringify({ auths: sorted });
}

/** Merges per-source auths in source order; a later source does not override an earlier registry. */
export function mergeAuths(perSource: readonly Auths[]): Auths {
  const out: Auths = {};
  for (const auths of perSource) {
    for (const [registry, auth] of Object.entries(auths)) if (!(registry in out)) out[registry] = auth;
  }
  return out;
}

/** The pull Secret for one namespace. */
export function desiredSecret(
  imps: Pick<ImagePullSecret, 'spec' | 'metadata'>,
  namespace: string,
  configJson: string,
): Secret {
  const secret = imps.spec.target.secret;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secret.name,
      namespace,
      labels: { ...(secret.labels ?? {}), [OWNER_LABEL]: imps.metadata?.uid ?? '' },
      annotations: secret.annotations ? { ...secret.annotations } : undefined,
      ownerReferences: [
        {
          apiVersion: (imps as { apiVersion?: string }).apiVersion ?? 'images.banzaicloud.io/v1alpha1',
          kind: 'ImagePullSecret',
          name: imps.metadata?.name ?? '',
          uid: imps.metadata?.uid ?? '',
        },
      ],
    },
    type: DOCKER_CONFIG_TYPE,
    data: { [DOCKER_CONFIG_KEY]: Buffer.from(configJson).toString('base64') },
  };
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  const eb = b ?? {};
  return ea.length === Object.keys(eb).length && ea.every(([k, v]) => eb[k] === v);
}

/** Whether an existing Secret already has what desired asks for (our labels and annotations, data). */
export function secretUpToDate(existing: Secret, desired: Secret): boolean {
  const have = existing.metadata ?? {};
  const want = desired.metadata ?? {};
  const subset = (w: Record<string, string> | undefined, h: Record<string, string> | undefined) =>
    Object.entries(w ?? {}).every(([k, v]) => h?.[k] === v);
  return (
    existing.type === desired.type &&
    sameMap(existing.data, desired.data) &&
    subset(want.labels, have.labels) &&
    subset(want.annotations, have.annotations) &&
    (have.ownerReferences ?? []).some((r) => r.uid === want.ownerReferences?.[0]?.uid)
  );
}

export interface SecretPlan {
  create: Secret[];
  /** Desired Secrets carrying the resourceVersion of the one they replace. */
  update: Secret[];
  delete: { namespace: string; name: string; uid: string }[];
  /** Namespaces where a Secret of the target name exists that we did not write. */
  conflicts: string[];
}

/**
 * What to write. `existing` are the Secrets seen in the cluster that either
 * carry our owner label or have the target name in a target namespace.
 * `configJson` undefined means no credential is available: nothing is
 * written or deleted in target namespaces (the last good Secrets stay).
 */
export function planSecrets(
  imps: Pick<ImagePullSecret, 'spec' | 'metadata'>,
  targets: readonly string[],
  existing: readonly Secret[],
  configJson: string | undefined,
): SecretPlan {
  const uid = imps.metadata?.uid ?? '';
  const name = imps.spec.target.secret.name;
  const plan: SecretPlan = { create: [], update: [], delete: [], conflicts: [] };
  const targetSet = new Set(targets);
  const byKey = new Map(existing.map((s) => [`${s.metadata?.namespace}/${s.metadata?.name}`, s]));
  const ours = (s: Secret) => !!uid && s.metadata?.labels?.[OWNER_LABEL] === uid;

  for (const s of existing) {
    const ns = s.metadata?.namespace ?? '';
    // Ours, but in a namespace that no longer matches or under an old name.
    if (ours(s) && (!targetSet.has(ns) || s.metadata?.name !== name)) {
      plan.delete.push({ namespace: ns, name: s.metadata?.name ?? '', uid: s.metadata?.uid ?? '' });
    }
  }
  if (configJson === undefined) return plan;
  for (const ns of targets) {
    const want = desiredSecret(imps, ns, configJson);
    const have = byKey.get(`${ns}/${name}`);
    if (!have) plan.create.push(want);
    else if (!ours(have)) plan.conflicts.push(ns);
    else if (!secretUpToDate(have, want)) {
      const merged: Secret = {
        ...want,
        metadata: {
          ...want.metadata,
          resourceVersion: have.metadata?.resourceVersion,
          labels: { ...have.metadata?.labels, ...want.metadata?.labels },
          annotations: { ...have.metadata?.annotations, ...want.metadata?.annotations },
        },
      };
      plan.update.push(merged);
    }
  }
  return plan;
}

/** When a credential issued at issuedAt and expiring at expiresAt should be refreshed: half its validity. */
export function refreshAt(issuedAt: number, expiresAt: number): number {
  return issuedAt + (expiresAt - issuedAt) / 2;
}

export interface SourceResult {
  /** "namespace/name" of the source Secret. */
  key: string;
  auths?: Auths;
  /** When the credential expires (ms since epoch); undefined for static ones. */
  expiresAt?: number;
  error?: string;
}

export interface StatusSummary {
  status: 'Ready' | 'Failed';
  reason: string;
  sourceSecretStatus: Record<string, string>;
  validitySeconds?: number;
}

/** Ready only when every source worked and no target was blocked by a Secret we do not own. */
export function summarize(
  results: readonly SourceResult[],
  conflicts: readonly string[],
  secretName: string,
  now: number,
): StatusSummary {
  const sourceSecretStatus: Record<string, string> = {};
  const problems: string[] = [];
  for (const r of results) {
    sourceSecretStatus[r.key] = r.error ? r.error : 'Ok';
    if (r.error) problems.push(`source ${r.key}: ${r.error}`);
  }
  if (conflicts.length > 0) {
    problems.push(
      `Secret ${secretName} exists but was not created by this ImagePullSecret in namespace(s) ${conflicts.join(', ')}; left alone`,
    );
  }
  const expiries = results.map((r) => r.expiresAt).filter((e): e is number => e !== undefined);
  const validitySeconds = expiries.length
    ? Math.max(0, Math.floor((Math.min(...expiries) - now) / 1000))
    : undefined;
  return {
    status: problems.length ? 'Failed' : 'Ready',
    reason: problems.join('; '),
    sourceSecretStatus,
    validitySeconds,
  };
}
