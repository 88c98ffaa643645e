// Which Kafka a KafkaTopic's strimzi.io/cluster label means, with the reads
// it takes: the KafkaConnection of that name in the topic's namespace (from
// the informer) and its Secrets, else a koperator KafkaCluster of that name.
// Secrets and KafkaClusters are read by name and kept briefly, so 1,000
// topics of one cluster cost one read, not 1,000.
import type { KafkaConnection } from '../../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { CLUSTER_LABEL, type KafkaTopic } from '../../apis/kafka.strimzi.io/schema.ts';
import {
  fromKafkaConnection,
  fromKoperatorCluster,
  type KoperatorKafkaCluster,
  type Resolved,
} from '../../kafka/index.ts';
import {
  type Client,
  type Informer,
  isForbidden,
  isNotFound,
  kind,
  NoKindMatchError,
  type Secret,
  Secrets,
} from '../../kube/index.ts';

export const KoperatorKafkaClusters = kind<KoperatorKafkaCluster>(
  'kafka.banzaicloud.io/v1beta1',
  'KafkaCluster',
);

export class TargetResolver {
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  private readonly client: Client;
  private readonly connections: Informer<KafkaConnection>;
  private readonly ttlMs: number;

  constructor(client: Client, connections: Informer<KafkaConnection>, ttlMs = 10_000) {
    this.client = client;
    this.connections = connections;
    this.ttlMs = ttlMs;
  }

  async resolve(kt: KafkaTopic): Promise<Resolved> {
    const ns = kt.metadata?.namespace ?? '';
    const cluster = kt.metadata?.labels?.[CLUSTER_LABEL];
    if (!cluster) {
      return {
        ok: false,
        reason: 'KafkaNotFound',
        message: `label ${CLUSTER_LABEL} is missing: it names the Kafka cluster (a KafkaConnection or KafkaCluster in namespace ${ns})`,
      };
    }
    const conn = this.connections.get({ namespace: ns, name: cluster });
    if (conn) {
      const secrets = new Map<string, Secret | undefined>();
      const names = [
        conn.spec.tls?.caSecret?.name,
        conn.spec.tls?.clientCertSecret?.name,
        conn.spec.sasl?.credentialsSecret.name,
      ].filter((n): n is string => Boolean(n));
      for (const name of names) {
        const s = await this.cached(`secret/${ns}/${name}`, () => this.readSecret(ns, name));
        if (typeof s === 'string') return { ok: false, reason: 'SecretNotReadable', message: s };
        secrets.set(name, s);
      }
      return fromKafkaConnection(conn, (name) => secrets.get(name));
    }
    const kc = await this.cached(`kafkacluster/${ns}/${cluster}`, () => this.readKafkaCluster(ns, cluster));
    if (kc) return fromKoperatorCluster(kc);
    return {
      ok: false,
      reason: 'KafkaNotFound',
      message: `no KafkaConnection or KafkaCluster named ${cluster} in namespace ${ns}; register an existing Kafka with: sdm kafka register ${cluster} -n ${ns} --bootstrap-servers HOST:PORT[,...]`,
    };
  }

  /** Forget what was read (a KafkaConnection or Secret changed). */
  forget(namespace?: string): void {
    if (namespace === undefined) this.cache.clear();
    else for (const k of this.cache.keys()) if (k.split('/')[1] === namespace) this.cache.delete(k);
  }

  private async cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value as T;
    const value = await read();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  /** The Secret, undefined when missing, or a message when it may not be read. */
  private async readSecret(namespace: string, name: string): Promise<Secret | undefined | string> {
    try {
      return await this.client.getIfExists(Secrets, { namespace, name });
    } catch (err) {
      if (isForbidden(err))
        return `cannot read Secret ${namespace}/${name}: forbidden for sdm's ServiceAccount`;
      throw err;
    }
  }

  private async readKafkaCluster(
    namespace: string,
    name: string,
  ): Promise<KoperatorKafkaCluster | undefined> {
    try {
      return await this.client.getIfExists(KoperatorKafkaClusters, { namespace, name });
    } catch (err) {
      // koperator not installed, or not ours to read: no such cluster.
      if (err instanceof NoKindMatchError || isNotFound(err) || isForbidden(err)) return undefined;
      throw err;
    }
  }
}
