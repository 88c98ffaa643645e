// "Changed?" — the one comparison the engine (whether to write) and `sdm diff`
// (what to report) share. First without a request: does the live object
// already hold every value we set (needsApply), once both sides are
// normalized to what the server keeps — zero values (false, 0, "") it drops
// from the stored object count as held. What that cannot settle (quantities
// the server rewrites, fields a CRD schema prunes, defaults) is settled by a
// server-side dry-run apply compared with the live object; its verdict is
// remembered for that live resourceVersion, so a steady state asks once per
// process and object.
import { createHash } from 'node:crypto';
import { type Client, canonicalJson, jsonEqual, type KubeObject, needsApply } from '../kube/index.ts';
import { FIELD_MANAGER } from './field-manager.ts';

type Json = unknown;

function isMap(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isZero = (v: Json) => v === false || v === 0 || v === '';

/**
 * current, with the zero values desired sets and the server dropped put
 * back (Go's omitempty), so they do not read as differences. Pure.
 */
export function withDroppedZeros(desired: Json, current: Json): Json {
  if (isMap(desired) && isMap(current)) {
    const out: Record<string, Json> = { ...current };
    for (const [k, v] of Object.entries(desired)) {
      if (!(k in current) || current[k] === undefined || current[k] === null) {
        if (isZero(v)) out[k] = v;
      } else out[k] = withDroppedZeros(v, current[k]);
    }
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(current) && desired.length === current.length)
    return current.map((c, i) => withDroppedZeros(desired[i], c));
  return current;
}

/** Whether applying desired could change current, decided without a request. Pure. */
export function mayDiffer(desired: KubeObject, current: KubeObject | undefined): boolean {
  if (!current) return true;
  return needsApply(desired, withDroppedZeros(desired, current) as KubeObject, {
    fieldManager: FIELD_MANAGER,
  });
}

/** The parts of an object a write would change, without bookkeeping the server updates on its own. Pure. */
export function comparable(obj: KubeObject): unknown {
  const { metadata, ...rest } = obj as KubeObject & Record<string, unknown>;
  const { managedFields: _m, resourceVersion: _r, generation: _g, ...meta } = metadata ?? {};
  const { status: _s, ...body } = rest;
  return { ...body, metadata: meta };
}

export class Comparer {
  private readonly client: Client;
  /** (object, live resourceVersion, desired hash) -> differs; bounded. */
  private readonly verdicts = new Map<string, boolean>();
  /** Server-side dry runs made (a steady state makes none after the first pass of a process). */
  dryRuns = 0;

  constructor(client: Client) {
    this.client = client;
  }

  /** Would applying desired change the live object current? */
  async differs(desired: KubeObject, current: KubeObject): Promise<boolean> {
    if (!mayDiffer(desired, current)) return false;
    const key = `${desired.apiVersion}|${desired.kind}|${current.metadata?.namespace ?? ''}|${current.metadata?.name}|${current.metadata?.resourceVersion}|${createHash('sha256').update(canonicalJson(desired)).digest('hex')}`;
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    this.dryRuns++;
    const dry = await this.client.apply(desired, { fieldManager: FIELD_MANAGER, dryRun: true, force: true });
    const verdict = !jsonEqual(comparable(dry), comparable(current));
    if (this.verdicts.size > 10_000) this.verdicts.clear();
    this.verdicts.set(key, verdict);
    return verdict;
  }
}
