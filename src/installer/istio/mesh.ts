// The platform's Istio mesh as the installer sees it: the IstioControlPlane(s)
// in istioOperator's namespace, Available when one of them reports so.
// Components that live in the mesh wait for it before their first install,
// and istioOperator reports it as meshStatus.
import type { DefaultedSpec } from '../../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import {
  type Client,
  errorMessage,
  isNotFound,
  type KubeObject,
  kind,
  NoKindMatchError,
} from '../../kube/index.ts';
import type { StatusExtras } from '../types.ts';
import { revisionLabel } from './revision.ts';

export const IstioControlPlanes = kind('servicemesh.cisco.com/v1alpha1', 'IstioControlPlane');

export interface MeshState {
  available: boolean;
  message: string;
  /** The Istio operator's own state of the control plane (Available, Reconciling...). */
  status?: string;
  /** The istio.io/rev value of the Available IstioControlPlane. */
  revision?: string | undefined;
}

/**
 * An ICP name too long for a label value leaves namespaces unlabelled rather
 * than failing the install; the mesh message says why.
 */
function revisionOf(icpName: string, icpNamespace: string): { revision?: string; problem?: string } {
  try {
    return { revision: revisionLabel(icpName, icpNamespace) };
  } catch (err) {
    return { problem: errorMessage(err) };
  }
}

/** The mesh state from the IstioControlPlanes of one namespace. Pure. */
export function meshStateOf(namespace: string, items: readonly KubeObject[]): MeshState {
  if (items.length === 0) return { available: false, message: `no IstioControlPlane in ${namespace} yet` };
  const states = items.map((i) => ({
    name: i.metadata?.name,
    status: (i as { status?: { status?: string; message?: string } }).status,
  }));
  const ok = states.find((s) => s.status?.status === 'Available');
  if (ok) {
    const rev = revisionOf(ok.name ?? '', namespace);
    const note = rev.problem ? ` (namespaces not labelled: ${rev.problem})` : '';
    return {
      available: true,
      message: `IstioControlPlane ${namespace}/${ok.name} is Available${note}`,
      status: 'Available',
      revision: rev.revision,
    };
  }
  const first = states[0]!;
  const st = first.status?.status ?? 'Created';
  return {
    available: false,
    status: st,
    message: `IstioControlPlane ${namespace}/${first.name} is ${st}${first.status?.message ? `: ${first.status.message}` : ''}`,
  };
}

/** Reads the mesh of a namespace; a missing IstioControlPlane CRD is a state, not an error. */
export async function readMesh(client: Client, namespace: string): Promise<MeshState> {
  try {
    return meshStateOf(namespace, (await client.list(IstioControlPlanes, { namespace })).items);
  } catch (err) {
    if (err instanceof NoKindMatchError || isNotFound(err))
      return { available: false, message: 'the IstioControlPlane CRD is not installed yet' };
    throw err;
  }
}

/** The platform's mesh, or undefined when istioOperator is disabled (nothing to wait for). */
export function platformMesh(client: Client, spec: DefaultedSpec): Promise<MeshState> | undefined {
  return spec.istioOperator.enabled ? readMesh(client, spec.istioOperator.namespace) : undefined;
}

/** What istioOperator reports besides its own state. */
export function meshStatusExtras(m: MeshState): StatusExtras {
  return m.status ? { meshStatus: m.status, meshStatusMessage: m.message } : { meshStatusMessage: m.message };
}
