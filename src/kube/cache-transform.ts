// What an informer keeps of each object (client-go's SetTransform): the
// default drops the parts no controller of ours reads from the cache but that
// often make up half of a small object's size:
// - managedFields entries of Update operations (every kubectl edit, every
//   controller's PUT/PATCH); Apply entries stay, needsApply() reads them to
//   know which fields we own;
// - the kubectl.kubernetes.io/last-applied-configuration annotation, a whole
//   second copy of the object as JSON text.
// It edits the object in place: an informer calls it on an object freshly
// decoded from the API server that nothing else holds yet.
import type { KubeObject } from './types.ts';

export type CacheTransform<T extends KubeObject> = (obj: T) => T;

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function stripForCache<T extends KubeObject>(obj: T): T {
  const m = obj.metadata;
  if (!m) return obj;
  if (m.managedFields) {
    const apply = m.managedFields.filter((e) => e.operation === 'Apply');
    if (apply.length === 0) delete m.managedFields;
    else if (apply.length !== m.managedFields.length) m.managedFields = apply;
  }
  if (m.annotations && LAST_APPLIED in m.annotations) {
    delete m.annotations[LAST_APPLIED];
    if (Object.keys(m.annotations).length === 0) delete m.annotations;
  }
  return obj;
}

/** Keeps objects exactly as the API server sent them. */
export function keepWhole<T extends KubeObject>(obj: T): T {
  return obj;
}
