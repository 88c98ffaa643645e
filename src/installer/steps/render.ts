// Step "render": everything a component would apply — its chart rendered
// with the values of the values step (cached by the renderer), plus the
// objects sdm generates for it — each object normalized to what the API
// server stores and labelled as the component's.
import type { KubeObject, Secret } from '../../kube/index.ts';
import { LABEL_COMPONENT, LABEL_MANIFEST, labelValue } from '../inventory.ts';
import type { Renderer } from '../render.ts';
import type { ComponentContext, ComponentDef, Values } from '../types.ts';

export interface Rendered {
  objects: KubeObject[];
}

export async function renderStep(
  renderer: Renderer,
  def: ComponentDef,
  ctx: ComponentContext,
  values: Values,
): Promise<Rendered> {
  const block = def.block(ctx.spec);
  const namespace = block.namespace;
  const objects: KubeObject[] = [];
  // The block's kubeVersion / apiVersions override what the cluster reports.
  const options = { overrides: block, specPath: block.path };
  if (def.chart)
    objects.push(...(await renderer.render(def.chart, def.release, namespace, values, options)).objects);
  objects.push(...(def.extraObjects?.(ctx) ?? []));
  const labels = { [LABEL_MANIFEST]: labelValue(ctx.manifest.name), [LABEL_COMPONENT]: labelValue(def.name) };
  for (const obj of objects) prepareObject(obj, labels);
  return { objects };
}

/** Normalizes obj in place to what the server keeps, and adds the labels. Pure. */
export function prepareObject(obj: KubeObject, labels: Record<string, string>): void {
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1') foldStringData(obj as Secret);
  defaultListKeys(obj);
  obj.metadata ??= {};
  obj.metadata.labels = { ...obj.metadata.labels, ...labels };
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
