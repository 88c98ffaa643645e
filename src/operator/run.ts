// `sdm operator` minus the flag parsing: picks the entries, resolves their
// options from --set flags and the environment (the one place the
// operator's environment is read), builds the manager and runs it.
import {
  type ClusterAccess,
  type ControllerEntry,
  Manager,
  parseSetFlags,
  resolveOptions,
} from '../kube/index.ts';
import { controllerEntries, findControllers } from './controllers.ts';

export interface OperatorSettings {
  /** Called once names and options are known good, so bad flags are reported first. */
  kubeConfig: () => ClusterAccess;
  /** Controller names; default: every entry. */
  controllers?: readonly string[];
  /** "key=value" or "<controller>.<option>=value". */
  set?: readonly string[];
  /** identity: stable per pod (POD_NAME), so a restarted container takes its lease back at once. */
  leaderElection?: { namespace: string; name: string; identity?: string };
  healthPort?: number;
  env?: Record<string, string | undefined>;
}

/** Builds the manager with every named controller registered; throws on bad names or options. */
export async function buildOperator(
  settings: OperatorSettings,
): Promise<{ manager: Manager; entries: ControllerEntry[] }> {
  const env = settings.env ?? process.env;
  const entries = settings.controllers ? findControllers(settings.controllers) : [...controllerEntries];
  const options = resolveOptions(entries, parseSetFlags(settings.set ?? []), env);
  const manager = new Manager({
    kubeConfig: settings.kubeConfig(),
    name: 'sdm-operator',
    healthPort: settings.healthPort,
    leaderElection: settings.leaderElection,
    // Relists at most 4 s apart while the API server is away, so the caches are back
    // within seconds of its return (15 s apart made convergence wait; issue 13 item 10).
    informerBackoff: { initialMs: 250, maxMs: 4000 },
  });
  const context = { podNamespace: env.POD_NAMESPACE || undefined };
  for (const e of entries) await e.register(manager, options.get(e.name) ?? {}, context);
  return { manager, entries };
}
