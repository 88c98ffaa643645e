// One reconcile pass over one ApplicationManifest: components level by level
// in dependency order (a level's components in parallel), each through the
// named steps in steps/:
//   gate -> values -> render -> place -> track (widen) -> apply CRDs
//   -> pre-install/pre-upgrade hooks -> apply -> prune -> post-* hooks
//   -> track (narrow, revision released) -> assess (+ the component's reportStatus)
// and a disabled component through removal (reverse dependency order, with
// its pre-delete and post-delete hooks). Hooks run once per revision (chart
// and values): a pass with nothing changed runs none.
// Whatever a component's steps throw becomes that component's Failed status:
// one component's trouble never stops the others.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type {
  ApplicationManifest,
  DefaultedSpec,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { resolveSpec } from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type Client, errorMessage, type KubeObject } from '../kube/index.ts';
import { type Hook, type HookEvent, hooksFor } from './hooks/hook.ts';
import { deleteRun, type PlannedRun, plannedRun, storedRun } from './hooks/run.ts';
import { type Inventory, refOf, union } from './inventory.ts';
import { type MeshState, platformMesh } from './istio/mesh.ts';
import { prepareOverride } from './override/parse.ts';
import { RenderError, type Renderer } from './render.ts';
import { applyStep } from './steps/apply.ts';
import { applyCrdsStep, isCrd } from './steps/apply-crds.ts';
import { assessStep } from './steps/assess.ts';
import { gateStep } from './steps/gate.ts';
import { hooksStep } from './steps/hooks.ts';
import { keepGeneratedStep } from './steps/keep-generated.ts';
import { ensureNamespace } from './steps/namespaces.ts';
import type { PassIO } from './steps/pass-io.ts';
import { placeStep } from './steps/place.ts';
import { pruneStep } from './steps/prune.ts';
import { removeStep } from './steps/removal.ts';
import { renderStep } from './steps/render.ts';
import { retainedStep } from './steps/retained.ts';
import { Inventories, readInventories } from './steps/track.ts';
import { valuesStep } from './steps/values.ts';
import type { ComponentContext, ComponentDef, ComponentResult } from './types.ts';

type Result = Omit<ComponentResult, 'name'>;

export interface PassSettings {
  catalog: readonly ComponentDef[];
  renderer: Renderer;
  /** How long one pass waits for a CRD to be Established before reporting Reconciling. */
  crdWaitMs: number;
  /** How long one pass waits for a hook to finish before reporting it still running. */
  hookWaitMs: number;
  /** Also delete CRDs and PVCs of removed components. */
  purge: boolean;
  /** The installer's own client for its inventories, when the components' requests act as another user. */
  bookkeeping?: Client;
}

export class Pass {
  private readonly io: PassIO;
  private readonly settings: PassSettings;
  private readonly manifest: ApplicationManifest;
  private readonly spec: DefaultedSpec;
  private readonly ctx: ComponentContext;
  private readonly results = new Map<string, ComponentResult>();
  private inventories!: Inventories;
  private meshState: Promise<MeshState> | undefined;

  constructor(io: PassIO, settings: PassSettings, manifest: ApplicationManifest) {
    this.settings = settings;
    this.manifest = manifest;
    this.spec = resolveSpec(manifest.spec).resolved;
    const ref = { name: manifest.metadata?.name ?? '', namespace: manifest.metadata?.namespace ?? '' };
    this.ctx = { spec: this.spec, manifest: ref };
    this.io = { ...io, log: io.log.child({ manifest: `${ref.namespace}/${ref.name}` }) };
  }

  private def(name: string): ComponentDef {
    return this.settings.catalog.find((c) => c.name === name)!;
  }

  private enabled = (name: string): boolean => this.def(name).block(this.spec).enabled;

  async run(order: string[][]): Promise<(ComponentResult & { statusKey: string })[]> {
    const own = this.settings.bookkeeping ? { ...this.io, client: this.settings.bookkeeping } : this.io;
    this.inventories = new Inventories(own, this.ctx.manifest, await readInventories(own, this.ctx.manifest));
    const previousKeys = new Set(Object.keys(this.manifest.status?.components ?? {}));
    for (const level of order) {
      await Promise.all(
        level.map(async (name) => {
          const def = this.def(name);
          let r: Result | undefined;
          // Let timers (lease renewal, /healthz) run between components' CPU-heavy parts.
          await yieldToEventLoop();
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
    const inventory = this.inventories.get(def.name);
    if (!def.block(this.spec).enabled) {
      if (!inventory) return hadStatus ? { status: 'Removed', message: 'disabled' } : undefined;
      if (inventory.objects.length === 0)
        return retainedStep(this.io, {
          component: def.name,
          inventory,
          inventories: this.inventories,
          purge: this.settings.purge,
        });
      return removeStep(this.io, {
        hooks: await this.deleteHooks(def, inventory),
        def,
        catalog: this.settings.catalog,
        inventory,
        inventories: this.inventories,
        enabled: this.enabled,
        purge: this.settings.purge,
      });
    }
    // A bad valuesOverride is the user's to fix now, not after the dependencies are up.
    const block = def.block(this.spec);
    await prepareOverride(block.valuesOverride, block.path);
    const values = valuesStep(def, this.ctx);
    if (!values.ok) return values.result;
    const g = gateStep(def, {
      installed: (inventory?.objects.length ?? 0) > 0,
      enabled: this.enabled,
      results: this.results,
      mesh: def.needsMesh ? await this.mesh() : undefined,
    });
    if (!g.go) return g.result;
    const result = await this.install(def, g.namespaceLabels);
    const extras = (await def.reportStatus?.({ client: this.io.client, ctx: this.ctx })) ?? {};
    return { ...result, ...extras };
  }

  private async install(def: ComponentDef, namespaceLabels?: Record<string, string>): Promise<Result> {
    const block = def.block(this.spec);
    const namespace = block.namespace;
    // A big override is parsed off the event loop (override/parse.ts), then read from the cache.
    await prepareOverride(block.valuesOverride, block.path);
    const values = valuesStep(def, this.ctx);
    if (!values.ok) return values.result;
    const { objects, hooks, revision, generated } = await renderStep(
      this.settings.renderer,
      def,
      this.ctx,
      values.values,
    );
    const placed = await placeStep(this.io.client, [...objects, ...hooks.map((h) => h.object)], namespace);
    if (!placed.ok) return placed.result;

    const before = this.inventories.get(def.name);
    // Hooks run once per revision; a chart without hooks has nothing to remember.
    const run = hooks.length > 0 ? plannedRun(before, revision) : undefined;
    if (run?.failed) return { status: 'Failed', message: run.failed };

    await ensureNamespace(this.io, namespace, namespaceLabels);
    for (const ns of def.extraNamespaces?.(this.ctx) ?? []) await ensureNamespace(this.io, ns);

    const refs = objects.map(refOf);
    // Retained CRDs/PVCs of an earlier removal count as applied before: pruned (or kept) like the rest.
    const previous = [...(before?.objects ?? []), ...(before?.retained ?? [])];
    // Tracked before anything is applied, the hook run with it.
    await this.inventories.update(def.name, {
      objects: union(previous, refs),
      retained: undefined,
      ...(run ? { hookRun: storedRun(run) } : {}),
    });

    const crds = await applyCrdsStep(this.io, objects.filter(isCrd), this.settings.crdWaitMs, def.name);
    if (!crds.ok) return crds.result;
    await keepGeneratedStep(this.io, generated);
    if (run) {
      const pre = await this.hookEvent(
        def,
        hooks,
        run,
        run.kind === 'install' ? 'pre-install' : 'pre-upgrade',
      );
      if (pre) return pre;
    }
    const rest = await applyStep(
      this.io,
      objects.filter((o: KubeObject) => !isCrd(o)),
      def.name,
    );
    if (!rest.ok) return rest.result;
    const retained = await pruneStep(this.io, def.name, previous, refs, this.settings.purge);
    if (run) {
      const post = await this.hookEvent(
        def,
        hooks,
        run,
        run.kind === 'install' ? 'post-install' : 'post-upgrade',
      );
      if (post) return post;
    }
    await this.inventories.update(def.name, {
      objects: refs,
      revision: hooks.length > 0 ? revision : undefined,
      hookRun: undefined,
      retained,
    });
    return assessStep([...crds.observed, ...rest.observed]);
  }

  /**
   * Runs one event's hooks unless this run did already; remembers progress in
   * the inventory. Returns the component's result when the pass must stop there.
   */
  private async hookEvent(
    def: ComponentDef,
    hooks: readonly Hook[],
    run: PlannedRun,
    event: Exclude<HookEvent, 'test'>,
  ): Promise<Result | undefined> {
    if (run.done.includes(event) || hooksFor(hooks, event).length === 0) return undefined;
    const step = await hooksStep(this.io, {
      hooks,
      event,
      runId: run.id,
      component: def.name,
      waitMs: this.settings.hookWaitMs,
    });
    if (step.state === 'running')
      return { status: run.kind === 'delete' ? 'Removing' : 'Reconciling', message: step.message };
    if (step.state === 'failed') run.failed = step.message;
    else run.done.push(event);
    await this.inventories.update(def.name, { hookRun: storedRun(run) });
    return step.state === 'failed' ? { status: 'Failed', message: step.message } : undefined;
  }

  /** The hooks a removal runs (pre-delete, post-delete): the chart rendered with the block's values. */
  private async deleteHooks(def: ComponentDef, inventory: Inventory) {
    if (!def.chart) return undefined;
    const block = def.block(this.spec);
    await prepareOverride(block.valuesOverride, block.path);
    const values = valuesStep(def, this.ctx);
    if (!values.ok) {
      this.io.log.warn(
        { component: def.name, reason: values.result.message },
        'removed without its delete hooks',
      );
      return undefined;
    }
    const namespace = def.block(this.spec).namespace;
    let hooks: Hook[];
    try {
      hooks = (await renderStep(this.settings.renderer, def, this.ctx, values.values)).hooks;
    } catch (err) {
      // A chart that no longer renders (gone from the mirror, refusing the cluster) must not block its removal.
      if (!(err instanceof RenderError)) throw err;
      this.io.log.warn({ component: def.name, reason: err.message }, 'removed without its delete hooks');
      return undefined;
    }
    const placed = await placeStep(
      this.io.client,
      hooks.map((h) => h.object),
      namespace,
    );
    if (!placed.ok) {
      this.io.log.warn(
        { component: def.name, reason: placed.result.message },
        'removed without its delete hooks',
      );
      return undefined;
    }
    const run = deleteRun(inventory);
    return async (event: 'pre-delete' | 'post-delete'): Promise<Result | undefined> => {
      if (run.failed) return { status: 'Failed', message: run.failed };
      return this.hookEvent(def, hooks, run, event);
    };
  }

  /** The platform's mesh, read once per pass; undefined when istioOperator is disabled. */
  private async mesh(): Promise<MeshState | undefined> {
    this.meshState ??= platformMesh(this.io.client, this.spec);
    return this.meshState;
  }
}
