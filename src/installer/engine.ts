// The reconcile engine: one pass over an ApplicationManifest. The operator's
// controller and the CLI both call reconcile() and writeStatus(); the CLI
// loops passes in-process, the operator requeues. A pass:
//   refuse a second manifest -> per dependency level, in parallel:
//   gate (dependencies, mesh) -> values -> render (cached) -> inventory old∪new
//   -> apply CRDs, wait Established -> apply the rest (only what differs)
//   -> prune -> inventory new -> health
// and disabled components are removed in reverse dependency order.
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  type ApplicationManifestStatus,
  type DefaultedSpec,
  resolveSpec,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import {
  type Client,
  type ConfigMap,
  ConfigMaps,
  deepEqual,
  errorMessage,
  isNotFound,
  type KubeObject,
  kind,
  type Logger,
  Namespaces,
  needsApply,
  type Secret,
  silentLogger,
  sleep,
} from '../kube/index.ts';
import { catalog as defaultCatalog } from './catalog.ts';
import { gate, levels, removalGate } from './graph.ts';
import { assessHealth } from './health.ts';
import {
  type Inventory,
  inventoryConfigMap,
  isProtected,
  LABEL_COMPONENT,
  LABEL_INVENTORY,
  LABEL_MANIFEST,
  labelValue,
  pruneSet,
  readInventory,
  refOf,
  removalOrder,
  sameRefs,
  sortRefs,
  union,
} from './inventory.ts';
import { REVISION_LABEL, revisionLabel } from './istio/revision.ts';
import { Renderer } from './render.ts';
import { manifestStatus, refusedStatus } from './status.ts';
import type { ComponentContext, ComponentDef, ComponentResult, ObjRef } from './types.ts';
import { componentValues, parseValuesOverride } from './values.ts';

export const FIELD_MANAGER = 'sdm-installer';

interface MeshState {
  available: boolean;
  message: string;
  status?: string;
  /** The istio.io/rev value of the Available IstioControlPlane. */
  revision?: string | undefined;
}

/** An ICP name too long for a label value leaves namespaces unlabelled rather than failing the install. */
function revisionOrUndefined(icpName: string, icpNamespace: string): string | undefined {
  try {
    return revisionLabel(icpName, icpNamespace);
  } catch {
    return undefined;
  }
}

export const IstioControlPlanes = kind('servicemesh.cisco.com/v1alpha1', 'IstioControlPlane');
export const ZookeeperClusters = kind('zookeeper.pravega.io/v1beta1', 'ZookeeperCluster');
const CRDs = kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');

export interface EngineOptions {
  client: Client;
  /** Local chart directories that override the catalog (default $SDM_CHARTS_DIR). */
  chartsDir?: string;
  catalog?: readonly ComponentDef[];
  log?: Logger;
  /** How long one pass waits for a CRD to be Established before reporting Reconciling. */
  crdWaitMs?: number;
}

export interface PassOptions {
  /** Also delete CRDs and PVCs of removed components. */
  purge?: boolean;
}

export interface PassResult {
  status: ApplicationManifestStatus;
  results: (ComponentResult & { statusKey: string })[];
  /** Objects created, changed or deleted in this pass. */
  writes: number;
}

type Result = Omit<ComponentResult, 'name'>;

export class Engine {
  readonly client: Client;
  readonly renderer: Renderer;
  readonly catalog: readonly ComponentDef[];
  private readonly log: Logger;
  readonly crdWaitMs: number;
  private readonly order: string[][];

  constructor(options: EngineOptions) {
    this.client = options.client;
    this.renderer = new Renderer(options.chartsDir ?? (process.env.SDM_CHARTS_DIR || undefined));
    this.catalog = options.catalog ?? defaultCatalog;
    this.log = options.log ?? silentLogger();
    this.crdWaitMs = options.crdWaitMs ?? 20_000;
    this.order = levels(this.catalog);
  }

  /** One reconcile pass; returns the status to write (see writeStatus()). */
  async reconcile(manifest: ApplicationManifest, options: PassOptions = {}): Promise<PassResult> {
    const generation = manifest.metadata?.generation;
    const previous = manifest.status as ApplicationManifestStatus | undefined;
    const inCharge = await this.manifestInCharge();
    const me = `${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    if (inCharge && inCharge !== me) {
      const message = `another ApplicationManifest (${inCharge}) is in charge of this cluster: only one is allowed; delete this one`;
      return { status: refusedStatus(previous, message, generation), results: [], writes: 0 };
    }
    const pass = new Pass(this, manifest, options, this.log);
    const results = await pass.run(this.order);
    return { status: manifestStatus(results, generation, previous), results, writes: pass.writes };
  }

  /** Writes status only when it differs from what the object has. Returns whether it wrote. */
  async writeStatus(manifest: ApplicationManifest, status: ApplicationManifestStatus): Promise<boolean> {
    if (deepEqual(manifest.status ?? {}, status)) return false;
    await this.client.applyStatus(
      {
        apiVersion: ApplicationManifestKind.apiVersion,
        kind: ApplicationManifestKind.kind,
        metadata: { name: manifest.metadata?.name, namespace: manifest.metadata?.namespace },
        status,
      },
      { fieldManager: FIELD_MANAGER },
    );
    return true;
  }

  /** The oldest ApplicationManifest in the cluster, as namespace/name: the one that counts. */
  async manifestInCharge(): Promise<string | undefined> {
    const all = (await this.client.list(ApplicationManifestKind)).items;
    const sorted = all
      .filter((m) => !m.metadata?.deletionTimestamp)
      .map((m) => ({
        at: m.metadata?.creationTimestamp ?? '',
        key: `${m.metadata?.namespace}/${m.metadata?.name}`,
      }))
      .sort((a, b) => (a.at === b.at ? (a.key < b.key ? -1 : 1) : a.at < b.at ? -1 : 1));
    return sorted[0]?.key;
  }

  async inventories(manifest: { name: string; namespace: string }): Promise<Map<string, Inventory>> {
    const list = await this.client.list(ConfigMaps, {
      namespace: manifest.namespace,
      labelSelector: `${LABEL_INVENTORY}=true,${LABEL_MANIFEST}=${labelValue(manifest.name)}`,
    });
    const out = new Map<string, Inventory>();
    for (const cm of list.items) {
      const inv = readInventory(cm);
      if (inv) out.set(inv.component, inv);
    }
    return out;
  }

  /** Everything a component would apply now (for diff and tests); throws on a render error. */
  async desiredObjects(def: ComponentDef, ctx: ComponentContext): Promise<KubeObject[]> {
    const block = def.block(ctx.spec);
    const override = parseValuesOverride(block.valuesOverride, block.path);
    if (!override.ok) throw new Error(override.error);
    const objects: KubeObject[] = [];
    if (def.chart) {
      const values = componentValues(def.defaultValues, def.derivedValues?.(ctx) ?? {}, override.values);
      objects.push(...(await this.renderer.render(def.chart, def.release, block.namespace, values)).objects);
    }
    objects.push(...(def.extraObjects?.(ctx) ?? []));
    for (const obj of objects) {
      if (obj.kind === 'Secret' && obj.apiVersion === 'v1') foldStringData(obj as Secret);
      defaultListKeys(obj);
      obj.metadata ??= {};
      obj.metadata.labels = {
        ...obj.metadata.labels,
        [LABEL_MANIFEST]: labelValue(ctx.manifest.name),
        [LABEL_COMPONENT]: labelValue(def.name),
      };
    }
    return objects;
  }

  /** Fills in the namespace of namespaced objects the chart left without one. */
  async placeObject(obj: KubeObject, namespace: string): Promise<void> {
    const m = await this.client.mapping({ apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' });
    if (m.namespaced) {
      obj.metadata ??= {};
      obj.metadata.namespace ??= namespace;
    } else if (obj.metadata) delete obj.metadata.namespace;
  }
}

/** The state of one pass over one manifest. */
class Pass {
  writes = 0;
  private readonly engine: Engine;
  private readonly manifest: ApplicationManifest;
  private readonly options: PassOptions;
  private readonly log: Logger;
  private readonly spec: DefaultedSpec;
  private readonly ctx: ComponentContext;
  private readonly results = new Map<string, ComponentResult>();
  private inventories = new Map<string, Inventory>();
  private meshState: Promise<MeshState> | undefined;

  constructor(engine: Engine, manifest: ApplicationManifest, options: PassOptions, log: Logger) {
    this.engine = engine;
    this.manifest = manifest;
    this.options = options;
    this.spec = resolveSpec(manifest.spec).resolved;
    const ref = { name: manifest.metadata?.name ?? '', namespace: manifest.metadata?.namespace ?? '' };
    this.ctx = { spec: this.spec, manifest: ref };
    this.log = log.child({ manifest: `${ref.namespace}/${ref.name}` });
  }

  private get client(): Client {
    return this.engine.client;
  }

  private def(name: string): ComponentDef {
    return this.engine.catalog.find((c) => c.name === name)!;
  }

  private enabled = (name: string): boolean => this.def(name).block(this.spec).enabled;

  async run(order: string[][]): Promise<(ComponentResult & { statusKey: string })[]> {
    this.inventories = await this.engine.inventories(this.ctx.manifest);
    const previousKeys = new Set(Object.keys(this.manifest.status?.components ?? {}));
    for (const level of order) {
      await Promise.all(
        level.map(async (name) => {
          const def = this.def(name);
          let r: Result | undefined;
          try {
            r = await this.component(def, previousKeys.has(def.statusKey));
          } catch (err) {
            r = { status: 'Failed', message: errorMessage(err) };
          }
          if (r) this.results.set(name, { name, ...r });
        }),
      );
    }
    return [...this.results.values()].map((r) => ({ ...r, statusKey: this.def(r.name).statusKey }));
  }

  private async component(def: ComponentDef, hadStatus: boolean): Promise<Result | undefined> {
    const block = def.block(this.spec);
    const inventory = this.inventories.get(def.name);
    if (!block.enabled) {
      if (!inventory) return hadStatus ? { status: 'Removed', message: 'disabled' } : undefined;
      return this.remove(def, inventory);
    }
    const mesh = def.needsMesh && this.enabled('istioOperator') ? await this.mesh() : undefined;
    const g = gate(def, {
      installed: inventory !== undefined,
      enabled: this.enabled,
      results: this.results,
      mesh,
    });
    if (!g.go) return g.result;
    // Seed 003: a namespace joins the platform's mesh by revision label (never
    // istio-injection, which would win over it and could pick an upstream Istio).
    const namespaceLabels = mesh?.revision ? { [REVISION_LABEL]: mesh.revision } : undefined;
    const result = await this.install(def, block.namespace, inventory, namespaceLabels);
    return { ...result, ...(await this.extraStatus(def)) };
  }

  private async install(
    def: ComponentDef,
    namespace: string,
    inventory: Inventory | undefined,
    namespaceLabels?: Record<string, string>,
  ): Promise<Result> {
    const block = def.block(this.spec);
    const override = parseValuesOverride(block.valuesOverride, block.path);
    if (!override.ok) return { status: 'Failed', message: override.error };
    let desired: KubeObject[];
    try {
      desired = await this.engine.desiredObjects(def, this.ctx);
    } catch (err) {
      return { status: 'Failed', message: errorMessage(err) };
    }
    await this.ensureNamespace(namespace, namespaceLabels);
    for (const ns of def.extraNamespaces?.(this.ctx) ?? []) await this.ensureNamespace(ns);

    const crds = desired.filter((o) => o.kind === 'CustomResourceDefinition');
    const rest = desired.filter((o) => o.kind !== 'CustomResourceDefinition');
    for (const crd of crds) if (crd.metadata) delete crd.metadata.namespace;

    // Record what we are about to apply before applying it: a crash in between
    // leaves nothing untracked. Objects whose kind is not known yet (CRDs of
    // this chart) are placed after the CRDs are established.
    const known: ObjRef[] = [...crds.map(refOf)];
    for (const obj of rest) {
      try {
        await this.engine.placeObject(obj, namespace);
      } catch {
        obj.metadata ??= {};
        obj.metadata.namespace ??= namespace;
      }
      known.push(refOf(obj));
    }
    const previous = inventory?.objects ?? [];
    await this.track(def, known);

    const observed: KubeObject[] = [];
    for (const crd of crds) observed.push(await this.applyOne(crd));
    const waiting = await this.waitEstablished(crds);
    if (waiting) return { status: 'Reconciling', message: waiting };
    for (const obj of rest) {
      try {
        await this.engine.placeObject(obj, namespace);
      } catch (err) {
        return { status: 'Failed', message: `${describe(obj)}: ${errorMessage(err)}` };
      }
    }
    const refs = desired.map(refOf);
    await this.track(def, refs);
    for (const obj of rest) {
      try {
        observed.push(await this.applyOne(obj));
      } catch (err) {
        return { status: 'Failed', message: `applying ${describe(obj)}: ${errorMessage(err)}` };
      }
    }

    const { remove } = pruneSet(previous, refs, this.options.purge);
    for (const ref of removalOrder(remove)) await this.deleteOwned(ref, def.name);
    await this.saveInventory(def, refs);

    for (const obj of observed) {
      const h = assessHealth(obj as Parameters<typeof assessHealth>[0]);
      if (h.status === 'Failed') return { status: 'Failed', message: h.message };
      if (h.status !== 'Current') return { status: 'Reconciling', message: h.message };
    }
    return { status: 'Available', message: '' };
  }

  /** Applies obj unless the cluster already has it; returns the object as it is now. */
  private async applyOne(obj: KubeObject): Promise<KubeObject> {
    const current = await this.client.getIfExists(
      { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' },
      { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace },
    );
    if (!needsApply(obj, current, { fieldManager: FIELD_MANAGER })) return current!;
    this.writes++;
    this.log.debug({ object: describe(obj) }, current ? 'updating' : 'creating');
    return this.client.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
  }

  private async waitEstablished(crds: KubeObject[]): Promise<string | undefined> {
    if (crds.length === 0) return undefined;
    const deadline = Date.now() + this.engine.crdWaitMs;
    for (;;) {
      let pending: string | undefined;
      for (const crd of crds) {
        const now = await this.client.getIfExists(CRDs, { name: crd.metadata?.name ?? '' });
        const h = assessHealth(now as Parameters<typeof assessHealth>[0], {
          kind: 'CustomResourceDefinition',
        });
        if (h.status !== 'Current') {
          pending = h.message;
          break;
        }
      }
      if (!pending) {
        for (const crd of crds) {
          const spec = (crd as { spec?: { group?: string; versions?: { name: string }[] } }).spec;
          for (const v of spec?.versions ?? []) this.client.mapper.invalidate(`${spec?.group}/${v.name}`);
        }
        return undefined;
      }
      if (Date.now() > deadline) return pending;
      await sleep(200);
    }
  }

  /** Creates the namespace, or adds missing labels to it; writes nothing when all is there. */
  private async ensureNamespace(name: string, labels?: Record<string, string>): Promise<void> {
    const existing = await this.client.getIfExists(Namespaces, { name });
    const has = existing?.metadata?.labels ?? {};
    if (existing && Object.entries(labels ?? {}).every(([k, v]) => has[k] === v)) return;
    this.writes++;
    await this.client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } },
      { fieldManager: FIELD_MANAGER },
    );
  }

  /** Widens the inventory to include refs (written only if that adds something). */
  private track(def: ComponentDef, refs: ObjRef[]): Promise<void> {
    return this.saveInventory(def, union(this.inventories.get(def.name)?.objects ?? [], refs));
  }

  private async saveInventory(def: ComponentDef, objects: ObjRef[]): Promise<void> {
    const refs = sortRefs(objects);
    const current = this.inventories.get(def.name);
    if (current && sameRefs(current.objects, refs)) return;
    this.writes++;
    const cm = inventoryConfigMap(this.ctx.manifest, { component: def.name, objects: refs });
    await this.client.apply(cm, { fieldManager: FIELD_MANAGER });
    this.inventories.set(def.name, { component: def.name, objects: refs });
  }

  /** Deletes an object only if it is still labelled as this component's. */
  private async deleteOwned(ref: ObjRef, component: string): Promise<boolean> {
    let current: KubeObject | undefined;
    try {
      current = await this.client.getIfExists(ref, ref);
    } catch (err) {
      // The kind is gone (its CRD was deleted): so is the object.
      if (isNotFound(err) || (err as Error).name === 'NoKindMatchError') return false;
      throw err;
    }
    if (!current) return false;
    if (current.metadata?.labels?.[LABEL_COMPONENT] !== labelValue(component)) return false;
    if (current.metadata?.deletionTimestamp) return true;
    this.writes++;
    await this.client.delete(ref, ref, { propagationPolicy: 'Background' });
    return true;
  }

  private async remove(def: ComponentDef, inventory: Inventory): Promise<Result> {
    const g = removalGate(this.engine.catalog, def.name, (n) => this.inventories.has(n), this.enabled);
    if (!g.go)
      return { status: 'Removing', message: `waiting for ${g.waitingFor.join(', ')} to be removed first` };
    const targets = inventory.objects.filter((r) => this.options.purge || !isProtected(r));
    let left = 0;
    for (const ref of removalOrder(targets)) if (await this.deleteOwned(ref, def.name)) left++;
    if (left > 0) return { status: 'Removing', message: `deleting ${left} objects` };
    this.writes++;
    await this.client.delete(ConfigMaps, {
      namespace: this.ctx.manifest.namespace,
      name: inventoryConfigMap(this.ctx.manifest, inventory).metadata!.name!,
    });
    this.inventories.delete(def.name);
    const kept = inventory.objects.length - targets.length;
    if (kept > 0)
      this.log.info({ component: def.name, kept }, 'removed; CRDs and PVCs kept (--purge deletes them)');
    // The same message later passes report, so the status settles at once.
    return { status: 'Removed', message: 'disabled' };
  }

  /** The IstioControlPlane(s) in istioOperator's namespace; Available when one reports it. */
  private mesh(): Promise<MeshState> {
    this.meshState ??= (async () => {
      const ns = this.spec.istioOperator.namespace;
      let items: KubeObject[];
      try {
        items = (await this.client.list(IstioControlPlanes, { namespace: ns })).items;
      } catch {
        return { available: false, message: 'the IstioControlPlane CRD is not installed yet' };
      }
      if (items.length === 0) return { available: false, message: `no IstioControlPlane in ${ns} yet` };
      const states = items.map((i) => ({
        name: i.metadata?.name,
        status: (i as { status?: { status?: string; message?: string } }).status,
      }));
      const ok = states.find((s) => s.status?.status === 'Available');
      if (ok)
        return {
          available: true,
          message: `IstioControlPlane ${ns}/${ok.name} is Available`,
          status: 'Available',
          revision: ok.name ? revisionOrUndefined(ok.name, ns) : undefined,
        };
      const first = states[0]!;
      const st = first.status?.status ?? 'Created';
      return {
        available: false,
        status: st,
        message: `IstioControlPlane ${ns}/${first.name} is ${st}${first.status?.message ? `: ${first.status.message}` : ''}`,
      };
    })();
    return this.meshState;
  }

  private async extraStatus(def: ComponentDef): Promise<Partial<Result>> {
    if (def.name === 'istioOperator') {
      const m = await this.mesh();
      return m.status
        ? { meshStatus: m.status, meshStatusMessage: m.message }
        : { meshStatusMessage: m.message };
    }
    if (def.name === 'zookeeperOperator') {
      let items: KubeObject[] = [];
      try {
        items = (
          await this.client.list(ZookeeperClusters, { namespace: this.spec.zookeeperOperator.namespace })
        ).items;
      } catch {
        return {};
      }
      if (items.length === 0) return {};
      const notReady = items.filter((z) => {
        const s = (z as { status?: { readyReplicas?: number; replicas?: number } }).status;
        const want = (z as { spec?: { replicas?: number } }).spec?.replicas ?? 3;
        return (s?.readyReplicas ?? 0) < want;
      });
      if (notReady.length === 0)
        return {
          clusterStatus: 'Available',
          clusterStatusMessage: `${items.length} ZooKeeper cluster(s) ready`,
        };
      return {
        clusterStatus: 'Reconciling',
        clusterStatusMessage: `ZookeeperCluster ${notReady.map((z) => z.metadata?.name).join(', ')} not ready yet`,
      };
    }
    return {};
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

function describe(obj: KubeObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind} ${ns}${obj.metadata?.name}`;
}

export type { ConfigMap };
