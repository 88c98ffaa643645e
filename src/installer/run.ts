// CLI mode: the same engine, passes looped in-process until the manifest
// settles (Succeeded, or Failed for a few passes in a row: some failures
// clear by themselves, e.g. a CRD still being established elsewhere).
import {
  type ApplicationManifest,
  ApplicationManifestKind,
  type ApplicationManifestStatus,
} from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type Request, sleep } from '../kube/index.ts';
import type { Engine, PassOptions, PassResult } from './engine.ts';

export interface RunOptions extends PassOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Passes in a row a Failed status must last before giving up (default 3). */
  failedPasses?: number;
  /** Called after each pass with the status it computed. */
  progress?: (status: ApplicationManifestStatus) => void;
  /** Called after each pass with the API server's warnings about its writes (often none). */
  warnings?: (warnings: PassResult['warnings']) => void;
  /** Settled when this says so (default: Succeeded, or Failed for failedPasses). */
  done?: (status: ApplicationManifestStatus) => boolean;
  signal?: AbortSignal;
}

export async function reconcileUntilSettled(
  engine: Engine,
  ref: Request,
  options: RunOptions = {},
): Promise<{ status: ApplicationManifestStatus; timedOut: boolean }> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let failedInARow = 0;
  let last: ApplicationManifestStatus = {};
  for (;;) {
    const manifest = (await engine.client.get(ApplicationManifestKind, ref)) as ApplicationManifest;
    const pass = await engine.reconcile(manifest, options);
    await engine.writeStatus(manifest, pass.status);
    last = pass.status;
    options.warnings?.(pass.warnings);
    options.progress?.(last);
    failedInARow = last.status === 'Failed' ? failedInARow + 1 : 0;
    const settled = options.done
      ? options.done(last)
      : last.status === 'Succeeded' || failedInARow >= (options.failedPasses ?? 3);
    if (settled) return { status: last, timedOut: false };
    if (Date.now() > deadline || options.signal?.aborted) return { status: last, timedOut: true };
    try {
      await sleep(options.intervalMs ?? 1000, options.signal);
    } catch (err) {
      // Aborted while waiting: the next loop reports it as timed out.
      if (!options.signal?.aborted) throw err;
    }
  }
}
