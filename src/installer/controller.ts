// Operator mode: the ApplicationManifest controller, built with src/kube. It
// runs one engine pass per reconcile, writes status when it changed, and
// requeues: soon while components are on their way, slowly otherwise (the
// periodic resync that repairs drift nobody told us about). Deployments we
// manage are watched too, so one deleted by hand comes back at once.
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  type ApplicationManifestStatus,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { errorMessage, generationChanged, kind, type Manager, type Request } from '../kube/index.ts';
import { Engine } from './engine.ts';
import { LABEL_COMPONENT, LABEL_INVENTORY, LABEL_MANIFEST } from './inventory.ts';
import { API_WARNING_REASON, warningMessage } from './steps/api-warnings.ts';

export const CONTROLLER_NAME = 'applicationmanifest';
const Deployments = kind('apps/v1', 'Deployment');

export interface ControllerSettings {
  chartsDir?: string;
  /** While components are Reconciling (default 1 s). */
  busyRequeueMs?: number;
  /** Periodic resync once Succeeded (default 60 s). */
  resyncMs?: number;
  /** After a failure (default 10 s): bad input may be fixed, a flaky chart may come back. */
  failedRequeueMs?: number;
}

export function registerApplicationManifestController(
  manager: Manager,
  settings: ControllerSettings = {},
): Engine {
  const engine = new Engine({ client: manager.client, chartsDir: settings.chartsDir, log: manager.log });
  const events = manager.eventRecorder(CONTROLLER_NAME);
  const busy = settings.busyRequeueMs ?? 1000;
  const resync = settings.resyncMs ?? 60_000;
  const failed = settings.failedRequeueMs ?? 10_000;

  // Managed objects name their manifest by label only (they live in other
  // namespaces than the manifest); the manifest in charge is looked up.
  const toManifest = (obj: { metadata?: { labels?: Record<string, string> } }): Request[] => {
    const name = obj.metadata?.labels?.[LABEL_MANIFEST];
    if (!name) return [];
    const store = manager.informer(ApplicationManifestKind).store;
    return store
      .list()
      .filter((m) => m.metadata?.name === name)
      .map((m) => ({ namespace: m.metadata?.namespace, name }));
  };

  manager
    .controller(CONTROLLER_NAME)
    .for(ApplicationManifestKind, { predicates: [generationChanged] })
    .watches(Deployments, toManifest, {
      labelSelector: LABEL_COMPONENT,
      predicates: [(e) => e.type === 'delete' || e.type === 'update'],
    })
    .complete(async (req, ctx) => {
      const manifest = (await manager.client.getIfExists(ApplicationManifestKind, req, ctx.signal)) as
        | ApplicationManifest
        | undefined;
      if (!manifest || manifest.metadata?.deletionTimestamp) return;
      const pass = await engine.reconcile(manifest);
      for (const e of transitions(manifest.status, pass.status)) {
        if (e.type === 'Warning') events.warning(manifest, e.reason, e.message);
        else events.normal(manifest, e.reason, e.message);
      }
      // What the API server warned about (a dropped unknown field): only passes that wrote have any.
      for (const w of pass.warnings) events.warning(manifest, API_WARNING_REASON, warningMessage(w));
      try {
        await engine.writeStatus(manifest, pass.status);
      } catch (err) {
        ctx.log.warn({ err: errorMessage(err) }, 'status not written');
        throw err;
      }
      const state = pass.status.status;
      return { requeueAfter: state === 'Succeeded' ? resync : state === 'Failed' ? failed : busy };
    });
  return engine;
}

export { LABEL_INVENTORY };

/**
 * Events for what changed between two statuses (only changes: a pass that
 * changes nothing records nothing). Messages come from the status, which
 * never holds values from valuesOverride.
 */
export function transitions(
  before: ApplicationManifestStatus | undefined,
  after: ApplicationManifestStatus,
): { type: 'Normal' | 'Warning'; reason: string; message: string }[] {
  const out: { type: 'Normal' | 'Warning'; reason: string; message: string }[] = [];
  for (const [name, c] of Object.entries(after.components ?? {})) {
    const was = before?.components?.[name];
    if (was?.status === c.status && was?.message === c.message) continue;
    if (c.status === 'Failed')
      out.push({ type: 'Warning', reason: 'ComponentFailed', message: `${name}: ${c.message ?? ''}` });
    else if (c.status === 'Available' && was?.status !== 'Available') {
      out.push({ type: 'Normal', reason: 'ComponentAvailable', message: `${name} is Available` });
    } else if (c.status === 'Removed' && was?.status !== 'Removed') {
      out.push({ type: 'Normal', reason: 'ComponentRemoved', message: `${name} was removed` });
    }
  }
  if (after.status === 'Succeeded' && before?.status !== 'Succeeded') {
    out.push({ type: 'Normal', reason: 'Succeeded', message: 'every enabled component is Available' });
  }
  if (
    after.status === 'Failed' &&
    before?.status !== 'Failed' &&
    after.components &&
    Object.keys(after.components).length === 0
  ) {
    out.push({ type: 'Warning', reason: 'Refused', message: after.message ?? '' });
  }
  return out;
}
