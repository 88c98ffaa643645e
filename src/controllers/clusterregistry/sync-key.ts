// The sync engine's work-queue key: one source object of one (rule x peer) pair. A typed key with its
// own codec, so no field value (a rule name, say) can be mistaken for a separator.
import { fieldKeys, type KeyCodec } from '../../kube/index.ts';

export interface SyncKey {
  rule: string;
  peer: string;
  /** The source object's namespace; absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
}

export const syncKeys: KeyCodec<SyncKey> = fieldKeys<SyncKey>(['rule', 'peer', 'namespace', 'name']);

/** "namespace/name" or "name": how the pair's bookkeeping and messages name the source object. */
export function sourceKeyOf(key: { namespace?: string; name: string }): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}
