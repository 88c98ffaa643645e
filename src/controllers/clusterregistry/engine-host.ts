// What the sync engine needs from the registry around it: the local client, the Clusters it knows,
// where to report. Its own module so the engine and its per-object steps both depend on it, not on
// each other.
import type { Cluster } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import type { Client, EventRecorder, Logger, RuntimeMetrics } from '../../kube/index.ts';
import type { SyncMetrics } from './metrics.ts';
import type { RenderFn } from './template-data.ts';

/** What the engine needs from the registry around it. */
export interface EngineHost {
  /** Local writes (leader-gated). */
  client: Client;
  log: Logger;
  recorder: EventRecorder;
  metrics: SyncMetrics;
  runtimeMetrics: RuntimeMetrics;
  render: RenderFn;
  localId(): string;
  localCluster(): Cluster;
  clusterByName(name: string): Cluster | undefined;
  clusterById(id: string): Cluster | undefined;
  /** clusterIDs of every peer with a Cluster CR here: their objects are taken from them, never relayed. */
  knownPeerIds(): ReadonlySet<string>;
  /** Something a rule's status shows changed. */
  onRuleChanged(ruleName: string): void;
}
