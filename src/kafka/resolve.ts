// Which Kafka a name means, as pure functions of the objects read: a
// KafkaConnection of ours (an existing Kafka, with TLS/SASL from Secrets of its
// namespace), or a koperator KafkaCluster (its internal listener's Service).
// Each returns a KafkaTarget or a message saying what is missing.
import type { KafkaConnection } from '../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import type { KubeObject, Secret } from '../kube/index.ts';
import { type KafkaTarget, parseBootstrapServers } from './target.ts';

export type Resolved = { ok: true; target: KafkaTarget } | { ok: false; reason: string; message: string };

const fail = (reason: string, message: string): Resolved => ({ ok: false, reason, message });

function secretValue(secret: Secret | undefined, key: string): string | undefined {
  const b64 = secret?.data?.[key];
  if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8');
  return secret?.stringData?.[key];
}

/**
 * A KafkaConnection and the Secrets it names (looked up by name in its
 * namespace; undefined when missing).
 */
export function fromKafkaConnection(
  conn: KafkaConnection,
  secret: (name: string) => Secret | undefined,
): Resolved {
  const ns = conn.metadata?.namespace ?? '';
  const source = `KafkaConnection ${ns}/${conn.metadata?.name}`;
  let bootstrapServers: string[];
  try {
    bootstrapServers = parseBootstrapServers(conn.spec.bootstrapServers);
  } catch (err) {
    return fail('InvalidKafkaConnection', `${source}: ${(err as Error).message}`);
  }
  const target: KafkaTarget = { bootstrapServers, source };
  const tls = conn.spec.tls;
  if (tls) {
    target.tls = {};
    if (tls.serverName) target.tls.serverName = tls.serverName;
    if (tls.caSecret) {
      const key = tls.caSecret.key ?? 'ca.crt';
      const ca = secretValue(secret(tls.caSecret.name), key);
      if (!ca)
        return fail('SecretNotFound', `${source}: Secret ${ns}/${tls.caSecret.name} has no key ${key}`);
      target.tls.ca = ca;
    }
    if (tls.clientCertSecret) {
      const s = secret(tls.clientCertSecret.name);
      const cert = secretValue(s, 'tls.crt');
      const key = secretValue(s, 'tls.key');
      if (!cert || !key) {
        return fail(
          'SecretNotFound',
          `${source}: Secret ${ns}/${tls.clientCertSecret.name} needs the keys tls.crt and tls.key`,
        );
      }
      target.tls.cert = cert;
      target.tls.key = key;
    }
  }
  const sasl = conn.spec.sasl;
  if (sasl) {
    const s = secret(sasl.credentialsSecret.name);
    const username = secretValue(s, 'username');
    const password = secretValue(s, 'password');
    if (!s) return fail('SecretNotFound', `${source}: Secret ${ns}/${sasl.credentialsSecret.name} not found`);
    if (!username || !password) {
      return fail(
        'SecretNotFound',
        `${source}: Secret ${ns}/${sasl.credentialsSecret.name} needs the keys username and password`,
      );
    }
    target.sasl = { mechanism: sasl.mechanism ?? 'SCRAM-SHA-512', username, password };
  }
  return { ok: true, target };
}

/** The parts of koperator's KafkaCluster (kafka.banzaicloud.io/v1beta1) we read. */
export interface KoperatorKafkaCluster extends KubeObject {
  spec?: {
    headlessServiceEnabled?: boolean;
    listenersConfig?: {
      internalListeners?: {
        name?: string;
        type?: string;
        containerPort?: number;
        usedForInnerBrokerCommunication?: boolean;
        usedForControllerCommunication?: boolean;
      }[];
    };
  };
}

/**
 * A koperator KafkaCluster: its first internal listener that is not the
 * controller's, through the Service koperator makes for all brokers
 * (<name>-headless with headlessServiceEnabled, else <name>-all-broker).
 */
export function fromKoperatorCluster(kc: KoperatorKafkaCluster): Resolved {
  const name = kc.metadata?.name ?? '';
  const ns = kc.metadata?.namespace ?? '';
  const source = `KafkaCluster ${ns}/${name}`;
  const listeners = kc.spec?.listenersConfig?.internalListeners ?? [];
  const listener = listeners.find((l) => !l.usedForControllerCommunication && l.containerPort);
  if (!listener) return fail('InvalidKafkaCluster', `${source} has no internal listener to connect to`);
  const type = (listener.type ?? 'plaintext').toLowerCase();
  if (type !== 'plaintext') {
    return fail(
      'NotSupported',
      `${source}: its internal listener ${listener.name ?? ''} is ${type}; register the credentials with a KafkaConnection of the same name (sdm kafka register)`,
    );
  }
  const service = kc.spec?.headlessServiceEnabled ? `${name}-headless` : `${name}-all-broker`;
  return {
    ok: true,
    target: { bootstrapServers: [`${service}.${ns}.svc.cluster.local:${listener.containerPort}`], source },
  };
}
