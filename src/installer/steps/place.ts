// Step "place": every namespaced object gets the component's namespace when
// the chart left it without one; cluster-scoped objects lose any namespace.
// Done once, before anything is applied: the scope of a kind defined by a CRD
// of this very chart is read from that CRD (its kind is not served yet), any
// other from discovery. A kind nobody defines fails the component, naming it.
import { type Client, errorMessage, type KubeObject, NoKindMatchError } from '../../kube/index.ts';
import type { ComponentResult } from '../types.ts';
import { describe } from './pass-io.ts';

type CrdLike = KubeObject & { spec?: { group?: string; scope?: string; names?: { kind?: string } } };

/** "group/Kind" -> namespaced?, from the CRDs among objects. Pure. */
export function crdScopes(objects: readonly KubeObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const o of objects as CrdLike[]) {
    if (o.kind !== 'CustomResourceDefinition' || !o.spec?.names?.kind) continue;
    out.set(`${o.spec.group ?? ''}/${o.spec.names.kind}`, o.spec.scope !== 'Cluster');
  }
  return out;
}

export function groupKind(obj: KubeObject): string {
  const av = obj.apiVersion ?? '';
  return `${av.includes('/') ? av.slice(0, av.indexOf('/')) : ''}/${obj.kind ?? ''}`;
}

/** Sets or clears obj's namespace by its scope. Pure. */
export function place(obj: KubeObject, namespaced: boolean, namespace: string): void {
  if (namespaced) {
    obj.metadata ??= {};
    obj.metadata.namespace ??= namespace;
  } else if (obj.metadata) delete obj.metadata.namespace;
}

export async function placeStep(
  client: Client,
  objects: readonly KubeObject[],
  namespace: string,
): Promise<{ ok: true } | { ok: false; result: Omit<ComponentResult, 'name'> }> {
  const fromCrds = crdScopes(objects);
  for (const obj of objects) {
    let namespaced = fromCrds.get(groupKind(obj));
    if (namespaced === undefined) {
      try {
        namespaced = (await client.mapping({ apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' }))
          .namespaced;
      } catch (err) {
        if (!(err instanceof NoKindMatchError)) throw err;
        return { ok: false, result: { status: 'Failed', message: `${describe(obj)}: ${errorMessage(err)}` } };
      }
    }
    place(obj, namespaced, namespace);
  }
  return { ok: true };
}
