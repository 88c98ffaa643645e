// Cluster registry metrics, registered on the manager's registry (one per manager, so several
// controllers in one test process do not collide).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class SyncMetrics {
  readonly objectsSynced: Counter<'rule' | 'peer'>;
  readonly syncErrors: Counter<'rule' | 'peer'>;
  readonly syncLatency: Histogram<'rule' | 'peer'>;
  readonly peersUp: Gauge;
  readonly watches: Gauge<'side'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.objectsSynced = new Counter({
      name: 'clusterregistry_objects_synced_total',
      help: 'Local writes (create, update, status, delete) made to follow an object on a peer',
      labelNames: ['rule', 'peer'],
      registers,
    });
    this.syncErrors = new Counter({
      name: 'clusterregistry_sync_errors_total',
      help: 'Objects that could not be synced (refused, invalid mutation, API error)',
      labelNames: ['rule', 'peer'],
      registers,
    });
    this.syncLatency = new Histogram({
      name: 'clusterregistry_sync_latency_seconds',
      help: 'From the change seen on the peer to the local write',
      labelNames: ['rule', 'peer'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.watches = new Gauge({
      name: 'clusterregistry_watches',
      help: 'Watches the sync engine holds, on peers (side="source") and locally (side="copies"); rules of the same kind share one',
      labelNames: ['side'],
      registers,
    });
    this.peersUp = new Gauge({
      name: 'clusterregistry_peers_up',
      help: 'Peer clusters whose API server answers',
      registers,
    });
  }
}
