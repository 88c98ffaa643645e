// The reconcile engine. The operator's controller and the CLI both call
// reconcile() and writeStatus(); the CLI loops passes in-process, the operator
// requeues. reconcile() refuses a second manifest, then runs one Pass
// (pass.ts: the named steps of steps/ per component).
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  type ApplicationManifestStatus,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import {
  type Client,
  type KubeObject,
  type Logger,
  silentLogger,
  writeStatusIfChanged,
} from '../kube/index.ts';
import { CapabilitiesCache } from './capabilities.ts';
import { catalog as defaultCatalog } from './catalog.ts';
import { Comparer } from './compare.ts';
import { FIELD_MANAGER } from './field-manager.ts';
import { levels } from './graph.ts';
import { ImpersonatingClients } from './impersonation.ts';
import type { Inventory } from './inventory.ts';
import { Pass } from './pass.ts';
import { Renderer } from './render.ts';
import { manifestStatus, refusedStatus } from './status.ts';
import { type ApiWarning, ApiWarnings } from './steps/api-warnings.ts';
import { type Rendered, renderStep } from './steps/render.ts';
import { readInventories } from './steps/track.ts';
import { valuesStep } from './steps/values.ts';
import type { ComponentContext, ComponentDef, ComponentResult } from './types.ts';

export { FIELD_MANAGER } from './field-manager.ts';
export { IstioControlPlanes } from './istio/mesh.ts';
export { defaultListKeys, foldStringData } from './steps/render.ts';
export { ZookeeperClusters } from './zookeeper/cluster-status.ts';

export interface EngineOptions {
  client: Client;
  /** Local chart directories that override the catalog (the caller reads $SDM_CHARTS_DIR, see installer/entry.ts). */
  chartsDir?: string;
  catalog?: readonly ComponentDef[];
  log?: Logger;
  /** How long one pass waits for a CRD to be Established before reporting Reconciling. */
  crdWaitMs?: number;
  /** How long one pass waits for a Helm hook (a Job) to finish before reporting Reconciling. */
  hookWaitMs?: number;
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
  /** What the API server warned about this pass's writes (distinct, by component and object). */
  warnings: ApiWarning[];
}

export class Engine {
  readonly client: Client;
  readonly renderer: Renderer;
  readonly catalog: readonly ComponentDef[];
  /** Whether an object differs from the live one: the engine's and `sdm diff`'s one comparison. */
  readonly compare: Comparer;
  private readonly log: Logger;
  readonly crdWaitMs: number;
  readonly hookWaitMs: number;
  private readonly order: string[][];
  /** The cluster's version and API versions charts render for. */
  private readonly capabilities: CapabilitiesCache;
  /** Clients acting as a manifest's spec.serviceAccountName. */
  private readonly acting: ImpersonatingClients;

  constructor(options: EngineOptions) {
    this.client = options.client;
    this.capabilities = new CapabilitiesCache(this.client);
    // Charts render for this cluster's version and API versions, as Helm does.
    this.renderer = new Renderer(options.chartsDir, {
      capabilities: this.capabilities,
    });
    this.catalog = options.catalog ?? defaultCatalog;
    this.log = options.log ?? silentLogger();
    this.crdWaitMs = options.crdWaitMs ?? 20_000;
    this.hookWaitMs = options.hookWaitMs ?? 30_000;
    this.order = levels(this.catalog);
    this.compare = new Comparer(this.client);
    this.acting = new ImpersonatingClients(this.client);
  }

  /** One reconcile pass; returns the status to write (see writeStatus()). */
  async reconcile(manifest: ApplicationManifest, options: PassOptions = {}): Promise<PassResult> {
    const generation = manifest.metadata?.generation;
    const previous = manifest.status as ApplicationManifestStatus | undefined;
    const inCharge = await this.manifestInCharge();
    const me = `${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    if (inCharge && inCharge !== me) {
      const message = `another ApplicationManifest (${inCharge}) is in charge of this cluster: only one is allowed; delete this one`;
      return { status: refusedStatus(previous, message, generation), results: [], writes: 0, warnings: [] };
    }
    const writes = { count: 0, crds: 0 };
    const warnings = new ApiWarnings();
    const pass = new Pass(
      // spec.serviceAccountName: the components' requests are made as that ServiceAccount (impersonation.ts).
      { client: this.acting.forManifest(manifest), log: this.log, compare: this.compare, writes, warnings },
      {
        bookkeeping: this.client,
        catalog: this.catalog,
        renderer: this.renderer,
        crdWaitMs: this.crdWaitMs,
        hookWaitMs: this.hookWaitMs,
        purge: options.purge ?? false,
      },
      manifest,
    );
    const results = await pass.run(this.order);
    // New CRDs are new API versions: the next pass renders for them (.Capabilities.APIVersions).
    if (writes.crds > 0) this.capabilities.refresh();
    return {
      status: manifestStatus(results, generation, previous),
      results,
      writes: writes.count,
      warnings: warnings.list(),
    };
  }

  /** Writes status only when it differs from what the object has. Returns whether it wrote. */
  writeStatus(manifest: ApplicationManifest, status: ApplicationManifestStatus): Promise<boolean> {
    return writeStatusIfChanged(this.client, ApplicationManifestKind, manifest, status, {
      fieldManager: FIELD_MANAGER,
    });
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

  inventories(manifest: { name: string; namespace: string }): Promise<Map<string, Inventory>> {
    return readInventories({ client: this.client }, manifest);
  }

  /** Everything a component would apply now, not yet placed (for diff and tests); throws on bad values or a render error. */
  async desiredObjects(def: ComponentDef, ctx: ComponentContext): Promise<KubeObject[]> {
    return (await this.render(def, ctx)).objects;
  }

  /** The component rendered as a pass renders it (objects, hooks, generated paths); throws on bad values. */
  async render(def: ComponentDef, ctx: ComponentContext): Promise<Rendered> {
    const values = valuesStep(def, ctx);
    if (!values.ok) throw new Error(values.result.message);
    return renderStep(this.renderer, def, ctx, values.values);
  }
}
