// Operator mode and CLI mode are mutually exclusive: while an operator holds
// its Lease, the mutating CLI commands refuse.
import { type Client, Leases } from '../kube/index.ts';

export const DEFAULT_LEASE_NAMESPACE = 'supertubes-control-plane';
export const DEFAULT_LEASE_NAME = 'sdm-operator';

/** The holder of a live lease (renewed within its duration), if any. */
export function liveHolder(
  lease:
    | {
        spec?: {
          holderIdentity?: string | null;
          renewTime?: string | null;
          leaseDurationSeconds?: number | null;
        };
      }
    | undefined,
  now = Date.now(),
): string | undefined {
  const holder = lease?.spec?.holderIdentity;
  if (!holder) return undefined;
  const renewed = Date.parse(lease?.spec?.renewTime ?? '');
  const duration = (lease?.spec?.leaseDurationSeconds ?? 15) * 1000;
  if (Number.isNaN(renewed) || renewed + duration < now) return undefined;
  return holder;
}

export async function refuseIfOperatorRuns(
  client: Client,
  namespace = DEFAULT_LEASE_NAMESPACE,
  name = DEFAULT_LEASE_NAME,
): Promise<void> {
  const lease = await client.getIfExists(Leases, { namespace, name });
  const holder = liveHolder(lease);
  if (holder) {
    throw new Error(
      `an sdm operator (${holder}) holds the lease ${namespace}/${name}: the cluster is in operator mode. ` +
        'Change the ApplicationManifest with kubectl instead, or stop the operator first.',
    );
  }
}
