// Step "render": everything a component would apply — its chart rendered
// with the values of the values step (cached by the renderer), plus the
// objects sdm generates for it — each object normalized to what the API
// server stores and labelled as the component's.
import { createHash } from 'node:crypto';
import { canonicalJson, type KubeObject, type Secret } from '../../kube/index.ts';
import { type Path, withoutGenerated } from '../generated.ts';
import { type Hook, splitHooks } from '../hooks/hook.ts';
import { LABEL_COMPONENT, LABEL_MANIFEST, labelValue } from '../inventory.ts';
import type { Renderer } from '../render.ts';
import type { ComponentContext, ComponentDef, Values } from '../types.ts';

export interface Rendered {
  /** The release's own objects. */
  objects: KubeObject[];
  /** The chart's Helm hooks (test hooks included: they are never run). */
  hooks: Hook[];
  /**
   * What the hooks run for: the chart's rendered output (random parts left
   * out). The same revision runs no hook twice; a render that comes out the
   * same (new API versions the chart does not use) is no new revision.
   */
  revision: string;
  /** The release's objects the chart generates at random, with the paths that change (generated.ts). */
  generated: Map<KubeObject, Path[]>;
}

export async function renderStep(
  renderer: Renderer,
  def: ComponentDef,
  ctx: ComponentContext,
  values: Values,
): Promise<Rendered> {
  const block = def.block(ctx.spec);
  const namespace = block.namespace;
  // The block's kubeVersion / apiVersions override what the cluster reports.
  const options = { overrides: block, specPath: block.path };
  const chart = def.chart
    ? await renderer.render(def.chart, def.release, namespace, values, options)
    : undefined;
  const generated = new Map<KubeObject, Path[]>();
  chart?.objects.forEach((o, i) => {
    const paths = chart.generated[i] ?? [];
    if (paths.length > 0) generated.set(o, paths);
  });
  const split = splitHooks(chart?.objects ?? []);
  for (const h of split.hooks) generated.delete(h.object);
  const objects = [...split.objects, ...(def.extraObjects?.(ctx) ?? [])];
  const labels = { [LABEL_MANIFEST]: labelValue(ctx.manifest.name), [LABEL_COMPONENT]: labelValue(def.name) };
  for (const obj of [...objects, ...split.hooks.map((h) => h.object)]) prepareObject(obj, labels);
  return {
    objects,
    hooks: split.hooks,
    revision: chart ? revisionOf(chart.objects, chart.generated) : '',
    generated,
  };
}

/** A short hash of a chart's rendered output, generated leaves blanked. Pure. */
export function revisionOf(objects: readonly KubeObject[], generated: readonly Path[][]): string {
  return createHash('sha256')
    .update(canonicalJson(withoutGenerated(objects, generated)))
    .digest('hex')
    .slice(0, 32);
}

/** Normalizes obj in place to what the server keeps, and adds the labels. Pure. */
export function prepareObject(obj: KubeObject, labels: Record<string, string>): void {
  dropNulls(obj);
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1') foldStringData(obj as Secret);
  defaultListKeys(obj);
  obj.metadata ??= {};
  obj.metadata.labels = { ...obj.metadata.labels, ...labels };
}

/**
 * A null in a rendered object sets nothing (Helm templates leave
 * `creationTimestamp: null` and empty values): the server stores no value for
 * it, so it is left out, else it would read as a difference on every pass.
 */
export function dropNulls(v: unknown): void {
  if (Array.isArray(v)) for (const x of v) dropNulls(x);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (x === null) delete o[k];
      else dropNulls(x);
    }
  }
}

/**
 * The API server stores stringData as data: applying stringData would look
 * like a change on every pass, so it is folded into data first.
 */
export function foldStringData(secret: Secret): void {
  if (!secret.stringData) return;
  secret.data = { ...secret.data };
  for (const [k, v] of Object.entries(secret.stringData))
    secret.data[k] = Buffer.from(String(v)).toString('base64');
  delete secret.stringData;
}

/**
 * Lists keyed by (port, protocol) get protocol TCP from the API server when
 * left out; set it here so what we apply matches what is stored, else every
 * pass would see a difference (needsApply matches list items by key).
 */
export function defaultListKeys(obj: KubeObject): void {
  const o = obj as { kind?: string; spec?: Record<string, unknown> };
  const ports = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const p of list) if (p && typeof p === 'object') (p as { protocol?: string }).protocol ??= 'TCP';
  };
  if (o.kind === 'Service') ports(o.spec?.ports);
  const pod = (o.spec?.template as { spec?: { containers?: unknown; initContainers?: unknown } } | undefined)
    ?.spec;
  for (const list of [pod?.containers, pod?.initContainers]) {
    if (Array.isArray(list)) for (const c of list) ports((c as { ports?: unknown })?.ports);
  }
}
