// Who owns the Istio CRDs in a cluster, and how to hand the upstream-owned
// ones over to the platform's (Cisco's) istio-operator (seed 003). Two
// istio-operators both reconciling the cluster-wide Istio CRDs fight over them
// on every upgrade, so exactly one of them must own each CRD.
// Pure: input is the CRDs as the API server returns them, output is data.

export const LABEL_OWNING_RESOURCE = 'install.operator.istio.io/owning-resource';
export const LABEL_OWNING_RESOURCE_NAMESPACE = 'install.operator.istio.io/owning-resource-namespace';
export const LABEL_OPERATOR_MANAGED = 'operator.istio.io/managed';
export const LABEL_OPERATOR_COMPONENT = 'operator.istio.io/component';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_RESOURCE_REVISION = 'resource.alpha.banzaicloud.io/revision';
export const MANAGED_BY_ISTIO_OPERATOR = 'istio-operator';

/** The labels upstream Istio (istioctl or its istio-operator) puts on the CRDs it installs. */
export const UPSTREAM_LABELS: readonly string[] = [
  LABEL_OWNING_RESOURCE,
  LABEL_OWNING_RESOURCE_NAMESPACE,
  LABEL_OPERATOR_MANAGED,
  LABEL_OPERATOR_COMPONENT,
];

export type CrdOwner = 'cisco-istio-operator' | 'upstream-istio-operator' | 'helm' | 'unmanaged';

export interface CrdOwnership {
  crd: string;
  owner: CrdOwner;
  details: string;
}

/** The parts of a CustomResourceDefinition we read; anything else is ignored. */
export interface CrdLike {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { group?: string };
}

export interface OwnershipOptions {
  /** The platform's Istio version: a CRD whose revision label is newer is not Cisco's operator's to manage. */
  istioVersion?: string;
}

/** Istio's own API groups (networking.istio.io, security.istio.io, ...) and Cisco's operator's. */
export function isIstioCrd(crd: CrdLike): boolean {
  const group = crd.spec?.group ?? '';
  return group === 'istio.io' || group.endsWith('.istio.io') || group === 'servicemesh.cisco.com';
}

/** Every Istio CRD among crds, sorted by name, with its owner. Other CRDs are left out. */
export function classifyCrds(crds: readonly CrdLike[], options: OwnershipOptions = {}): CrdOwnership[] {
  return crds
    .filter(isIstioCrd)
    .map((crd) => classifyCrd(crd, options))
    .sort((a, b) => (a.crd < b.crd ? -1 : a.crd > b.crd ? 1 : 0));
}

export function classifyCrd(crd: CrdLike, options: OwnershipOptions = {}): CrdOwnership {
  const name = crd.metadata?.name ?? '';
  const labels = crd.metadata?.labels ?? {};
  const annotations = crd.metadata?.annotations ?? {};
  const managedBy = labels[LABEL_MANAGED_BY];
  const revision = labels[LABEL_RESOURCE_REVISION];

  // Upstream labels win over managed-by: upstream's operator keeps reconciling
  // the CRD (and `istioctl uninstall --purge` deletes it) while they are there.
  const upstream = UPSTREAM_LABELS.filter((l) => labels[l] !== undefined);
  if (upstream.length > 0) {
    const parts: string[] = [];
    const owningNs = labels[LABEL_OWNING_RESOURCE_NAMESPACE];
    const owning = labels[LABEL_OWNING_RESOURCE];
    // Seed 003: owning-resource is only set when upstream's istio-operator installed it.
    if (owning !== undefined) parts.push(`IstioOperator ${owningNs ? `${owningNs}/` : ''}${owning}`);
    else parts.push(`istioctl install${owningNs ? ` (namespace ${owningNs})` : ''}`);
    const component = labels[LABEL_OPERATOR_COMPONENT];
    if (component) parts.push(`component ${component}`);
    if (managedBy === MANAGED_BY_ISTIO_OPERATOR) {
      parts.push(`also labelled ${LABEL_MANAGED_BY}=${managedBy}: both operators may modify it`);
    }
    return { crd: name, owner: 'upstream-istio-operator', details: parts.join('; ') };
  }

  if (managedBy === MANAGED_BY_ISTIO_OPERATOR) {
    let details = revision ? `revision ${revision}` : 'no revision label';
    if (revision && options.istioVersion && !revisionAccepted(revision, options.istioVersion)) {
      details += `, newer than Istio ${options.istioVersion}: that istio-operator will not manage it`;
    }
    return { crd: name, owner: 'cisco-istio-operator', details };
  }

  const release = annotations['meta.helm.sh/release-name'];
  if (managedBy?.toLowerCase() === 'helm' || release !== undefined) {
    const ns = annotations['meta.helm.sh/release-namespace'];
    const details = release ? `release ${ns ? `${ns}/` : ''}${release}` : `${LABEL_MANAGED_BY}=${managedBy}`;
    return { crd: name, owner: 'helm', details };
  }

  return {
    crd: name,
    owner: 'unmanaged',
    details: managedBy ? `${LABEL_MANAGED_BY}=${managedBy}` : 'no owner labels',
  };
}

/**
 * Whether Cisco's istio-operator at istioVersion accepts a CRD with this
 * revision label as its own: not newer than its version. A revision that is
 * not a version is accepted, as that operator does.
 */
export function revisionAccepted(revision: string, istioVersion: string): boolean {
  const r = parseVersion(revision);
  const v = parseVersion(istioVersion);
  if (!r || !v) return true;
  for (let i = 0; i < 3; i++) {
    if (r[i]! !== v[i]!) return r[i]! < v[i]!;
  }
  return true;
}

function parseVersion(s: string): [number, number, number] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(s.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** A JSON merge patch (RFC 7386) on a CRD's metadata; null removes a key. */
export interface MetadataMergePatch {
  metadata: { labels: Record<string, string | null> };
}

export interface TransferStep {
  crd: string;
  patch: MetadataMergePatch;
  /** Human-readable: "remove L", "set L=V". */
  changes: string[];
  /** Something the patch does not fix but the user should know. */
  warnings: string[];
}

export interface TransferOptions {
  /** The platform's Istio version (for the revision check). */
  istioVersion: string;
}

/**
 * The label changes that hand every upstream-owned Istio CRD to the
 * platform's istio-operator, per seed 003: remove the four upstream labels
 * (removing operator.istio.io/component also keeps `istioctl x uninstall
 * --purge` from deleting the CRDs) and set app.kubernetes.io/managed-by=
 * istio-operator. Only labels change; nothing is deleted. CRDs owned by Helm,
 * by nobody, or already by Cisco's operator are left alone.
 */
export function planTransfer(crds: readonly CrdLike[], options: TransferOptions): TransferStep[] {
  const steps: TransferStep[] = [];
  for (const crd of crds.filter(isIstioCrd)) {
    if (classifyCrd(crd, options).owner !== 'upstream-istio-operator') continue;
    const labels = crd.metadata?.labels ?? {};
    const patchLabels: Record<string, string | null> = {};
    const changes: string[] = [];
    for (const l of UPSTREAM_LABELS) {
      if (labels[l] === undefined) continue;
      patchLabels[l] = null;
      changes.push(`remove ${l}`);
    }
    if (labels[LABEL_MANAGED_BY] !== MANAGED_BY_ISTIO_OPERATOR) {
      patchLabels[LABEL_MANAGED_BY] = MANAGED_BY_ISTIO_OPERATOR;
      changes.push(`set ${LABEL_MANAGED_BY}=${MANAGED_BY_ISTIO_OPERATOR}`);
    }
    const warnings: string[] = [];
    const revision = labels[LABEL_RESOURCE_REVISION];
    if (revision && !revisionAccepted(revision, options.istioVersion)) {
      warnings.push(
        `${LABEL_RESOURCE_REVISION}=${revision} is newer than Istio ${options.istioVersion}: ` +
          'the platform istio-operator will still not manage it',
      );
    }
    steps.push({
      crd: crd.metadata?.name ?? '',
      patch: { metadata: { labels: patchLabels } },
      changes,
      warnings,
    });
  }
  return steps.sort((a, b) => (a.crd < b.crd ? -1 : a.crd > b.crd ? 1 : 0));
}
