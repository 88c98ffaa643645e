// The namespaces a component is installed into exist before its objects are
// applied; labels it needs (the mesh revision) are added. Writes nothing when
// all is there.
import { Namespaces } from '../../kube/index.ts';
import { FIELD_MANAGER } from '../field-manager.ts';
import type { PassIO } from './pass-io.ts';

/** Whether a namespace with these labels needs a write. Pure. */
export function namespaceNeedsWrite(
  existing: { metadata?: { labels?: Record<string, string> } } | undefined,
  labels: Record<string, string> = {},
): boolean {
  const has = existing?.metadata?.labels ?? {};
  return !existing || !Object.entries(labels).every(([k, v]) => has[k] === v);
}

export async function ensureNamespace(
  io: PassIO,
  name: string,
  labels?: Record<string, string>,
): Promise<void> {
  const existing = await io.client.getIfExists(Namespaces, { name });
  if (!namespaceNeedsWrite(existing, labels)) return;
  io.writes.count++;
  await io.client.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } },
    { fieldManager: FIELD_MANAGER },
  );
}
