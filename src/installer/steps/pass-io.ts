// What every I/O step of a pass shares: the client, the field manager, the
// logger, and the count of writes the pass made (a pass with nothing to do
// must count 0).
import type { Client, KubeObject, Logger } from '../../kube/index.ts';
import type { Comparer } from '../compare.ts';
import type { ApiWarnings } from './api-warnings.ts';

export interface PassIO {
  client: Client;
  log: Logger;
  /** Decides whether an object differs from the live one (shared with `sdm diff`). */
  compare: Comparer;
  /** Objects created, changed or deleted so far in this pass. */
  writes: { count: number /** CRDs among them. */; crds: number };
  /** Where the API server's warnings about our writes are collected (none: not collected). */
  warnings?: ApiWarnings;
}

export function describe(obj: KubeObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind} ${ns}${obj.metadata?.name}`;
}
