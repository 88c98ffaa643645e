// Before a pair watches anything: is the kind served on the peer and locally, may the peer's reader
// read it, may we write it here? A problem is named on the rule rather than retried blindly.
import {
  CONTROLLER_AGGREGATED_LABEL,
  READER_AGGREGATED_LABEL,
} from '../../apis/clusterregistry.k8s.cisco.com/keys.ts';
import { type Client, errorMessage, NoKindMatchError } from '../../kube/index.ts';
import { formatGvk } from './mutate.ts';
import { type Pair, sourceKind, targetKinds } from './pair.ts';

/** Every SelfSubjectAccessReview and discovery request on a peer gives up after this long. */
export const PEER_REQUEST_TIMEOUT_MS = 5000;

/** '' when the pair may start; otherwise what is wrong. Sets pair.namespaced from the peer's discovery. */
export async function checkPair(pair: Pair, local: Client): Promise<string> {
  const rule = pair.rule;
  const gvk = formatGvk(rule.spec.groupVersionKind);
  let peerMapping: Awaited<ReturnType<Client['mapping']>>;
  try {
    peerMapping = await pair.peer.client.mapping(sourceKind(rule));
  } catch (err) {
    if (err instanceof NoKindMatchError)
      return `unknown kind: ${gvk} is not served by peer cluster ${pair.peer.name}`;
    return `cannot discover ${gvk} on peer cluster ${pair.peer.name}: ${errorMessage(err)}`;
  }
  pair.namespaced = peerMapping.namespaced;
  const res = `${peerMapping.resource}${peerMapping.group ? `.${peerMapping.group}` : ''}`;
  const ns = rule.builtin?.namespace;
  const peerDenied = await denied(pair.peer.client, peerMapping.group, peerMapping.resource, ns, [
    'get',
    'list',
    'watch',
  ]);
  if (peerDenied.length) {
    return `missing permission on peer cluster ${pair.peer.name}: cannot ${peerDenied.join(', ')} ${res} (grant it to the reader through a ClusterRole labelled ${READER_AGGREGATED_LABEL}: "true")`;
  }
  const syncStatus = (rule.spec.rules ?? []).some((r) => r.mutations?.syncStatus);
  for (const k of targetKinds(rule)) {
    let m: Awaited<ReturnType<Client['mapping']>>;
    try {
      m = await local.mapping(k);
    } catch (err) {
      if (err instanceof NoKindMatchError)
        return `unknown kind: ${k.apiVersion}, Kind=${k.kind} is not served by the local cluster`;
      return `cannot discover ${k.apiVersion}, Kind=${k.kind} locally: ${errorMessage(err)}`;
    }
    const lres = `${m.resource}${m.group ? `.${m.group}` : ''}`;
    const missing = await denied(local, m.group, m.resource, ns, [
      'get',
      'list',
      'watch',
      'create',
      'update',
      'delete',
    ]);
    if (syncStatus) {
      const st = await denied(local, m.group, m.resource, ns, ['patch'], 'status');
      if (st.length) missing.push('patch status of');
    }
    if (missing.length) {
      return `missing permission on the local cluster: cannot ${missing.join(', ')} ${lres} (grant it to the controller through a ClusterRole labelled ${CONTROLLER_AGGREGATED_LABEL}: "true")`;
    }
  }
  return '';
}

/** Verbs the current credentials may NOT use on group/resource (SelfSubjectAccessReview). */
export async function denied(
  client: Client,
  group: string,
  resource: string,
  namespace: string | undefined,
  verbs: string[],
  subresource?: string,
): Promise<string[]> {
  const out: string[] = [];
  await Promise.all(
    verbs.map(async (verb) => {
      const review = await client.request<{ status?: { allowed?: boolean } }>({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        timeoutMs: PEER_REQUEST_TIMEOUT_MS,
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              group,
              resource,
              verb,
              ...(subresource ? { subresource } : {}),
              ...(namespace ? { namespace } : {}),
            },
          },
        },
      });
      if (!review?.status?.allowed) out.push(verb);
    }),
  );
  return verbs.filter((v) => out.includes(v));
}
