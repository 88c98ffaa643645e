// Who may write what. These rules are what keeps N clusters that all pull from each other from
// copying objects in circles or clobbering objects someone created by hand.

import { ownerOf, sourceKeyToken } from './markers.ts';
import type { Unstructured } from './types.ts';

export type SyncFromDecision =
  | { sync: true }
  | { sync: false; reason: 'owned-by-local' | 'owner-is-peer'; owner: string; message: string };

/**
 * Should an object seen on a peer be copied here?
 * - An object without owner marker (or marked as the peer's own) originates on the peer: yes.
 * - A copy owned by the local cluster: never; that is our own object coming back.
 * - A copy owned by another cluster that is alive among our peers: no, we take it from its owner
 *   directly. Relaying happens only while the owner is unreachable to us (or not our peer at all).
 */
export function shouldSyncFrom(
  obj: Unstructured,
  peerClusterId: string,
  localClusterId: string,
  /** Cluster IDs of the peers currently reachable (probed healthy). */
  alivePeerIds: ReadonlySet<string>,
): SyncFromDecision {
  const owner = ownerOf(obj);
  if (owner === undefined || owner === peerClusterId) return { sync: true };
  if (owner === localClusterId) {
    return {
      sync: false,
      reason: 'owned-by-local',
      owner,
      message: 'the object originates from the local cluster',
    };
  }
  if (alivePeerIds.has(owner)) {
    return {
      sync: false,
      reason: 'owner-is-peer',
      owner,
      message: `the object is a copy owned by cluster ${owner}, which is synced from directly`,
    };
  }
  return { sync: true };
}

export type WriteDecision =
  | { write: true; action: 'create' | 'update' }
  | {
      write: false;
      reason: 'created-locally' | 'owner-conflict' | 'source-conflict' | 'terminating';
      message: string;
    };

/**
 * May the desired copy be written over what exists locally under the same name?
 * Objects without owner marker were created here and are never overwritten; a copy owned by another
 * cluster, or made from another source object (two sources renamed onto one name), is a conflict.
 */
export function canWriteLocal(existing: Unstructured | undefined, incoming: Unstructured): WriteDecision {
  if (existing === undefined) return { write: true, action: 'create' };
  const have = ownerOf(existing);
  if (have === undefined) {
    return { write: false, reason: 'created-locally', message: 'the object was created locally' };
  }
  const want = ownerOf(incoming);
  if (have !== want) {
    return {
      write: false,
      reason: 'owner-conflict',
      message: `the local object is a copy owned by cluster ${have}, not ${want ?? '(none)'}`,
    };
  }
  if (sourceKeyToken(existing) !== sourceKeyToken(incoming)) {
    return {
      write: false,
      reason: 'source-conflict',
      message: 'the local object is a copy of a different source object of the same cluster',
    };
  }
  if (existing.metadata?.deletionTimestamp) {
    return { write: false, reason: 'terminating', message: 'the local object is being deleted' };
  }
  return { write: true, action: 'update' };
}
