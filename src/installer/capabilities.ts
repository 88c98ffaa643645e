// What a chart sees as .Capabilities: the cluster's Kubernetes version and
// API versions, found the way Helm finds them against a live cluster (the
// server's /version; every served group/version and group/version/Kind from
// discovery), so charts gate on the cluster they install into rather than on
// helm template's built-in defaults (Kubernetes v1.20). A component may
// override both (spec.<component>.kubeVersion / .apiVersions, Argo CD's names).
import type { Client } from '../kube/index.ts';

export interface Capabilities {
  /** e.g. v1.36.3 */
  kubeVersion: string;
  /** Sorted, unique: "apps/v1", "apps/v1/Deployment", "v1", "v1/Pod", ... */
  apiVersions: string[];
}

/** A component's overrides, as given in its spec block. */
export interface CapabilityOverrides {
  kubeVersion?: string | undefined;
  apiVersions?: readonly string[] | undefined;
}

interface VersionInfo {
  gitVersion?: string;
  major?: string;
  minor?: string;
}
interface APIGroupList {
  groups?: { name: string; versions?: { groupVersion: string }[] }[];
}
interface APIVersions {
  versions?: string[];
}
interface APIResourceList {
  resources?: { name: string; kind: string }[];
}

/** The server's version as Helm prints it (gitVersion, else v<major>.<minor>.0). */
export function kubeVersionOf(info: VersionInfo): string {
  if (info.gitVersion && /^v?\d+\.\d+/.test(info.gitVersion)) return info.gitVersion;
  const minor = (info.minor ?? '').replace(/\D+$/, '');
  if (info.major && minor) return `v${info.major}.${minor}.0`;
  throw new Error(`the API server reports no usable version (${JSON.stringify(info)})`);
}

/** Helm's version set: every group/version, and group/version/Kind of every resource in it. */
export function versionSet(resourceLists: { groupVersion: string; list: APIResourceList }[]): string[] {
  const out = new Set<string>();
  for (const { groupVersion, list } of resourceLists) {
    out.add(groupVersion);
    for (const r of list.resources ?? []) if (r.kind) out.add(`${groupVersion}/${r.kind}`);
  }
  return [...out].sort();
}

/** The cluster's capabilities with a component's overrides applied (an override replaces, as in Argo CD). */
export function capabilitiesFor(cluster: Capabilities, overrides: CapabilityOverrides = {}): Capabilities {
  return {
    kubeVersion: overrides.kubeVersion ?? cluster.kubeVersion,
    apiVersions: overrides.apiVersions ? [...new Set(overrides.apiVersions)].sort() : cluster.apiVersions,
  };
}

/** Asks the API server: /version, then discovery (/api, /apis and each group/version). */
export async function discoverCapabilities(client: Client): Promise<Capabilities> {
  const get = <T>(path: string) => client.transport.request<T>({ method: 'GET', path });
  const [info, core, groups] = await Promise.all([
    get<VersionInfo>('/version'),
    get<APIVersions>('/api'),
    get<APIGroupList>('/apis'),
  ]);
  const groupVersions = [
    ...(core.versions ?? []),
    ...(groups.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion)),
  ];
  const lists = await Promise.all(
    groupVersions.map(async (groupVersion) => {
      const path = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
      try {
        return { groupVersion, list: await get<APIResourceList>(path) };
      } catch {
        // Helm tolerates a group whose discovery fails (an aggregated API that is down).
        return { groupVersion, list: {} };
      }
    }),
  );
  return { kubeVersion: kubeVersionOf(info), apiVersions: versionSet(lists) };
}

/**
 * The cluster's capabilities, asked at most once per `ttlMs` (discovery is
 * one request per group/version); refresh() after installing CRDs so the
 * next render sees them.
 */
export class CapabilitiesCache {
  private readonly client: Client;
  private readonly ttlMs: number;
  private current: { at: number; value: Promise<Capabilities> } | undefined;

  constructor(client: Client, ttlMs = 10_000) {
    this.client = client;
    this.ttlMs = ttlMs;
  }

  get(): Promise<Capabilities> {
    if (!this.current || Date.now() - this.current.at > this.ttlMs) {
      const value = discoverCapabilities(this.client);
      this.current = { at: Date.now(), value };
      // A failed discovery is not remembered.
      value.catch(() => {
        if (this.current?.value === value) this.current = undefined;
      });
    }
    return this.current.value;
  }

  refresh(): void {
    this.current = undefined;
  }
}
