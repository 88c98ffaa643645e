// How a controller's work-queue key is written as the string the queue
// de-duplicates on, and read back for the reconciler. Most controllers key by
// object (Request, "namespace/name"); one whose unit of work is something
// else (a rule x peer x object, say) declares its own key type and codec
// instead of packing fields into a namespace string.
import { parseRequestKey, type Request, requestKey } from './types.ts';

export interface KeyCodec<K> {
  /** A string equal for equal keys and different for different ones. */
  format(key: K): string;
  /** The inverse of format. */
  parse(text: string): K;
}

/** "namespace/name", or "name" for cluster-scoped objects. */
export const requestKeys: KeyCodec<Request> = { format: requestKey, parse: parseRequestKey };

/**
 * A codec for keys made of named string fields (optional ones may be
 * missing), written as a JSON array in the given field order, so no field
 * value can be mistaken for a separator.
 */
export function fieldKeys<K extends { [F in keyof K]: string | undefined }>(
  fields: readonly (keyof K & string)[],
): KeyCodec<K> {
  return {
    format: (key) => JSON.stringify(fields.map((f) => key[f] ?? null)),
    parse: (text) => {
      const values = JSON.parse(text) as (string | null)[];
      const out: Record<string, string> = {};
      fields.forEach((f, i) => {
        const v = values[i];
        if (v !== null && v !== undefined) out[f] = v;
      });
      return out as K;
    },
  };
}
