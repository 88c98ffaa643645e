// KafkaConnections say whether their Kafka answers: Ready with the cluster id
// and broker count Kafka reports, or why not (a Secret missing, Kafka down),
// checked through the same pooled admin client the topics use.
import type { KafkaConnection } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { KafkaConnectionKind } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import {
  type AdminPool,
  describeKafkaError,
  describeTarget,
  fromKafkaConnection,
  secretsOf,
  targetKey,
} from '../../kafka/index.ts';
import {
  type Condition,
  conditions,
  type Informer,
  isNotFound,
  type Manager,
  type ReconcileContext,
  type ReconcileResult,
  type Request,
  type Secret,
  Secrets,
  writeStatusIfChanged,
} from '../../kube/index.ts';

type ConnectionStatus = NonNullable<KafkaConnection['status']>;

/** The status a probe gives (pure). */
export function connectionStatus(
  conn: KafkaConnection,
  probe: { ok: true; clusterId: string; brokers: number } | { ok: false; reason: string; message: string },
  now?: Date,
): ConnectionStatus {
  const generation = conn.metadata?.generation;
  const cond = probe.ok
    ? {
        type: conditions.Ready,
        status: 'True' as const,
        reason: 'Connected',
        message: `Kafka cluster ${probe.clusterId}: ${probe.brokers} broker(s)`,
      }
    : { type: conditions.Ready, status: 'False' as const, reason: probe.reason, message: probe.message };
  const next: ConnectionStatus = {
    conditions: conditions.setCondition(
      conn.status?.conditions as Condition[] | undefined,
      cond,
      generation,
      now,
    ),
  };
  if (generation !== undefined) next.observedGeneration = generation;
  const clusterId = probe.ok ? probe.clusterId : conn.status?.clusterId;
  if (clusterId) next.clusterId = clusterId;
  if (probe.ok) next.brokers = probe.brokers;
  else if (conn.status?.brokers !== undefined) next.brokers = conn.status.brokers;
  return next;
}

export function registerConnectionStatus(
  manager: Manager,
  connections: Informer<KafkaConnection>,
  pool: AdminPool,
  options: { resyncMs: number; retryMs: number },
): void {
  const reconcile = async (req: Request, ctx: ReconcileContext): Promise<ReconcileResult | undefined> => {
    const conn = connections.get(req);
    if (!conn) return undefined;
    const ns = conn.metadata?.namespace ?? '';
    const names = [
      conn.spec.tls?.caSecret?.name,
      conn.spec.tls?.clientCertSecret?.name,
      conn.spec.sasl?.credentialsSecret.name,
    ].filter((n): n is string => Boolean(n));
    const secrets = new Map<string, Secret | undefined>();
    for (const name of names)
      secrets.set(name, await manager.client.getIfExists(Secrets, { namespace: ns, name }));
    const resolved = fromKafkaConnection(conn, (n) => secrets.get(n));
    let probe: Parameters<typeof connectionStatus>[1];
    if (!resolved.ok) probe = resolved;
    else {
      const target = resolved.target;
      try {
        const md = await pool.get(target).admin.metadata({ topics: [], forceUpdate: true });
        probe = { ok: true, clusterId: md.id, brokers: md.brokers.size };
      } catch (err) {
        await pool.invalidate(targetKey(target));
        probe = {
          ok: false,
          reason: 'KafkaUnreachable',
          message: `cannot reach Kafka at ${describeTarget(target)}: ${describeKafkaError(err, secretsOf(target))}`,
        };
      }
    }
    const status = connectionStatus(conn, probe);
    try {
      await writeStatusIfChanged(manager.client, KafkaConnectionKind, conn, status, {
        signal: ctx.signal,
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { requeueAfter: probe.ok ? options.resyncMs : options.retryMs };
  };
  manager.controller('kafkaconnection').for(KafkaConnectionKind, { namespace: '' }).complete(reconcile);
}
