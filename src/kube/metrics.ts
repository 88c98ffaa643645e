// Prometheus metrics under controller-runtime's names, so existing dashboards
// and alerts for Go operators work for ours. One registry per manager (not
// prom-client's global one) so several managers can live in one process.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface QueueMetrics {
  depth(n: number): void;
  added(): void;
  retried(): void;
  /** Seconds a key waited in the queue before a worker took it. */
  queued(seconds: number): void;
  /** Seconds a worker spent on a key. */
  worked(seconds: number): void;
}

export const noQueueMetrics: QueueMetrics = {
  depth() {},
  added() {},
  retried() {},
  queued() {},
  worked() {},
};

export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class RuntimeMetrics {
  readonly registry: Registry;
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly terminalReconcileErrors: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly maxConcurrentReconciles: Gauge<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly workqueueDepth: Gauge<'name' | 'controller'>;
  readonly workqueueAdds: Counter<'name' | 'controller'>;
  readonly workqueueRetries: Counter<'name' | 'controller'>;
  readonly workqueueQueueDuration: Histogram<'name' | 'controller'>;
  readonly workqueueWorkDuration: Histogram<'name' | 'controller'>;
  readonly restRequests: Counter<'code' | 'method' | 'host'>;
  readonly restRequestDuration: Histogram<'verb' | 'host'>;
  readonly leaderElectionStatus: Gauge<'name'>;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.terminalReconcileErrors = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: latencyBuckets,
      registers,
    });
    this.maxConcurrentReconciles = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.workqueueDepth = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: ['name', 'controller'],
      registers,
    });
    this.workqueueAdds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: ['name', 'controller'],
      registers,
    });
    this.workqueueRetries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: ['name', 'controller'],
      registers,
    });
    this.workqueueQueueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: ['name', 'controller'],
      buckets: latencyBuckets,
      registers,
    });
    this.workqueueWorkDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames: ['name', 'controller'],
      buckets: latencyBuckets,
      registers,
    });
    this.restRequests = new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests, partitioned by status code, method, and host',
      labelNames: ['code', 'method', 'host'],
      registers,
    });
    this.restRequestDuration = new Histogram({
      name: 'rest_client_request_duration_seconds',
      help: 'Request latency in seconds, broken down by verb and host',
      labelNames: ['verb', 'host'],
      buckets: latencyBuckets,
      registers,
    });
    this.leaderElectionStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master',
      labelNames: ['name'],
      registers,
    });
  }

  queueMetrics(controller: string): QueueMetrics {
    const labels = { name: controller, controller };
    return {
      depth: (n) => this.workqueueDepth.set(labels, n),
      added: () => this.workqueueAdds.inc(labels),
      retried: () => this.workqueueRetries.inc(labels),
      queued: (s) => this.workqueueQueueDuration.observe(labels, s),
      worked: (s) => this.workqueueWorkDuration.observe(labels, s),
    };
  }

  /** rest_client_requests_total summed by HTTP method, e.g. { GET: 12, PATCH: 1 }. */
  async requestsByMethod(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const v of (await this.restRequests.get()).values) {
      const method = String(v.labels.method);
      out[method] = (out[method] ?? 0) + v.value;
    }
    return out;
  }

  /** Requests that change something (anything but GET/HEAD/OPTIONS). */
  async writeRequests(): Promise<number> {
    const by = await this.requestsByMethod();
    return Object.entries(by)
      .filter(([m]) => !['GET', 'HEAD', 'OPTIONS'].includes(m))
      .reduce((sum, [, n]) => sum + n, 0);
  }
}
