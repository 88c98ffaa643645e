// Recomputes which (rule x peer) pairs run, whenever rules, peers or their features change. Bursts of
// triggers coalesce into one pass at a time; a trigger during a pass gets one more pass after it.
import {
  errorMessage,
  type Logger,
  type Runnable,
  type RunnableContext,
  untilAborted,
} from '../../kube/index.ts';
import { clusterFeaturesMatch } from './match.ts';
import type { PeerConnection } from './peers.ts';
import type { EngineRule } from './rules.ts';

/** The pairs that should run: every rule with every peer that is up and has the rule's features. */
export function desiredPairs(
  rules: readonly EngineRule[],
  peers: readonly PeerConnection[],
): Array<{ rule: EngineRule; peer: PeerConnection }> {
  const out: Array<{ rule: EngineRule; peer: PeerConnection }> = [];
  for (const rule of rules) {
    if (rule.metadata?.deletionTimestamp || !rule.spec?.groupVersionKind?.kind) continue;
    const needsFeatures = (rule.spec.clusterFeatureMatch ?? []).length > 0;
    for (const peer of peers) {
      if (!peer.up) continue;
      if (needsFeatures && !peer.features.hasSynced()) continue;
      if (!clusterFeaturesMatch(rule.spec.clusterFeatureMatch, peer.ownFeatures())) continue;
      out.push({ rule, peer });
    }
  }
  return out;
}

export class RefreshScheduler implements Runnable {
  readonly name = 'clusterregistry-refresh';
  readonly needsLeaderElection = true;
  private readonly pass: () => Promise<void>;
  private readonly log: Logger;
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private started = false;
  private stopped = false;

  constructor(pass: () => Promise<void>, log: Logger) {
    this.pass = pass;
    this.log = log;
  }

  async run(ctx: RunnableContext): Promise<void> {
    // Triggers before this (a replica that does not lead) had nothing to run: peers connect only here.
    this.started = true;
    void this.trigger();
    await untilAborted(ctx.stop);
    this.stopped = true;
    await this.running;
  }

  /** Asks for a pass; resolves when a pass that started after this call has finished. */
  trigger(): Promise<void> {
    if (!this.started || this.stopped) return this.running;
    this.queued ??= this.running.then(async () => {
      this.queued = undefined;
      if (this.stopped) return;
      try {
        await this.pass();
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'cluster registry refresh failed');
      }
    });
    this.running = this.queued;
    return this.queued;
  }
}
