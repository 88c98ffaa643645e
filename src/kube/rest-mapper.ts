// Discovery-backed RESTMapper: apiVersion + kind -> resource path and scope.
// One discovery request per group/version, cached; a kind we do not know
// triggers a fresh discovery of its group/version (CRDs installed after we
// started), and concurrent misses share one request.
import { isNotFound, NoKindMatchError } from './errors.ts';
import { parseKind } from './types.ts';

export interface ResourceMapping {
  group: string;
  version: string;
  apiVersion: string;
  kind: string;
  /** Plural resource name, e.g. configmaps. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
  subresources: string[];
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface APIResourceList {
  groupVersion?: string;
  resources?: APIResource[];
}

export type DiscoveryFetch = (path: string) => Promise<APIResourceList>;

export class RestMapper {
  private readonly fetchList: DiscoveryFetch;
  /** apiVersion -> kind -> mapping */
  private readonly cache = new Map<string, Map<string, ResourceMapping>>();
  private readonly inflight = new Map<string, Promise<Map<string, ResourceMapping>>>();

  constructor(fetchList: DiscoveryFetch) {
    this.fetchList = fetchList;
  }

  async mapping(k: { apiVersion: string; kind: string }): Promise<ResourceMapping> {
    const known = this.cache.get(k.apiVersion)?.get(k.kind);
    if (known) return known;
    const fresh = await this.discover(k.apiVersion);
    const found = fresh.get(k.kind);
    if (!found) throw new NoKindMatchError(k.apiVersion, k.kind);
    return found;
  }

  /** Forget what we know (e.g. after a CRD was deleted or changed scope). */
  invalidate(apiVersion?: string): void {
    if (apiVersion) this.cache.delete(apiVersion);
    else this.cache.clear();
  }

  private discover(apiVersion: string): Promise<Map<string, ResourceMapping>> {
    let p = this.inflight.get(apiVersion);
    if (!p) {
      p = this.load(apiVersion).finally(() => this.inflight.delete(apiVersion));
      this.inflight.set(apiVersion, p);
    }
    return p;
  }

  private async load(apiVersion: string): Promise<Map<string, ResourceMapping>> {
    const { group, version } = parseKind({ apiVersion, kind: '' });
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let list: APIResourceList;
    try {
      list = await this.fetchList(path);
    } catch (err) {
      // An unknown group/version is a miss, not a failure.
      if (isNotFound(err)) list = { resources: [] };
      else throw err;
    }
    const byKind = new Map<string, ResourceMapping>();
    const resources = list.resources ?? [];
    for (const r of resources) {
      if (r.name.includes('/')) continue;
      byKind.set(r.kind, {
        group,
        version,
        apiVersion,
        kind: r.kind,
        resource: r.name,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
        subresources: resources
          .filter((s) => s.name.startsWith(`${r.name}/`))
          .map((s) => s.name.slice(r.name.length + 1)),
      });
    }
    this.cache.set(apiVersion, byKind);
    return byKind;
  }
}

/** The URL path of a resource collection or object. */
export function resourcePath(
  m: ResourceMapping,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let p = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
  if (m.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${m.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}
