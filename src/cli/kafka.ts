// `sdm kafka register NAME -n NS --bootstrap-servers LIST [--credentials-secret S]`:
// registers an existing Kafka cluster as a KafkaConnection, so that KafkaTopics
// in NS labelled strimzi.io/cluster=NAME are created there. It writes that one
// resource (server-side apply) and reads the credentials Secret to check it,
// never printing its values.
import { Command } from 'commander';
import { formatErrors, KafkaConnectionKind, validate } from '../apis/index.ts';
import { type KafkaConnection, SASL_MECHANISMS } from '../apis/kafka.sdm.dev/v1alpha1/kafkaconnection.ts';
import { parseBootstrapServers } from '../kafka/index.ts';
import { type Client, NoKindMatchError, Secrets } from '../kube/index.ts';
import { type CommonFlags, clientFor } from './installer-support.ts';

export interface RegisterFlags extends CommonFlags {
  namespace: string;
  bootstrapServers: string;
  credentialsSecret?: string;
  saslMechanism: string;
  tls?: boolean;
  caSecret?: string;
  dryRun?: boolean;
}

/** The KafkaConnection the flags describe; throws with a message naming the bad flag. */
export function kafkaConnectionFor(name: string, flags: RegisterFlags): KafkaConnection {
  const servers = parseBootstrapServers(flags.bootstrapServers);
  const mechanism = flags.saslMechanism.toUpperCase();
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new Error(`--sasl-mechanism ${flags.saslMechanism}: expected one of ${SASL_MECHANISMS.join(', ')}`);
  }
  const spec: KafkaConnection['spec'] = { bootstrapServers: servers.join(',') };
  if (flags.tls || flags.caSecret) spec.tls = flags.caSecret ? { caSecret: { name: flags.caSecret } } : {};
  if (flags.credentialsSecret) {
    spec.sasl = {
      mechanism: mechanism as (typeof SASL_MECHANISMS)[number],
      credentialsSecret: { name: flags.credentialsSecret },
    };
  }
  const conn: KafkaConnection = {
    apiVersion: KafkaConnectionKind.apiVersion,
    kind: KafkaConnectionKind.kind,
    metadata: { name, namespace: flags.namespace },
    spec,
  };
  const result = validate(KafkaConnectionKind, conn);
  if (!result.ok) throw new Error(`invalid KafkaConnection: ${formatErrors(result.errors)}`);
  return conn;
}

/** Problems with the Secrets the connection names (missing, or keys missing); never their values. */
export async function checkSecrets(client: Client, conn: KafkaConnection): Promise<string[]> {
  const ns = conn.metadata?.namespace ?? '';
  const wanted: [string, string[]][] = [];
  if (conn.spec.sasl) wanted.push([conn.spec.sasl.credentialsSecret.name, ['username', 'password']]);
  if (conn.spec.tls?.caSecret)
    wanted.push([conn.spec.tls.caSecret.name, [conn.spec.tls.caSecret.key ?? 'ca.crt']]);
  const problems: string[] = [];
  for (const [name, keys] of wanted) {
    const s = await client.getIfExists(Secrets, { namespace: ns, name });
    if (!s) problems.push(`Secret ${ns}/${name} does not exist`);
    else {
      const missing = keys.filter((k) => s.data?.[k] === undefined);
      if (missing.length) problems.push(`Secret ${ns}/${name} lacks the key(s) ${missing.join(', ')}`);
    }
  }
  return problems;
}

export function kafkaCommand(): Command {
  const cmd = new Command('kafka').description('Kafka clusters that KafkaTopics can name');
  cmd.addCommand(
    new Command('register')
      .description(
        'register an existing Kafka cluster as a KafkaConnection: KafkaTopics in the namespace labelled strimzi.io/cluster=NAME are created there',
      )
      .argument('<name>', 'the name KafkaTopics give in their strimzi.io/cluster label')
      .option('-n, --namespace <ns>', 'namespace of the KafkaTopics that use it', 'default')
      .requiredOption('--bootstrap-servers <list>', 'comma-separated host:port of brokers')
      .option('--credentials-secret <name>', 'Secret in the namespace with SASL username and password')
      .option(
        '--sasl-mechanism <m>',
        `with --credentials-secret: ${SASL_MECHANISMS.join(', ')}`,
        'SCRAM-SHA-512',
      )
      .option('--tls', 'connect with TLS (system trust store unless --ca-secret)')
      .option(
        '--ca-secret <name>',
        'Secret in the namespace with the CA certificate (key ca.crt); implies --tls',
      )
      .option('--dry-run', 'print the KafkaConnection, write nothing')
      .option('--kubeconfig <path>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
      .option('--context <name>', 'kubeconfig context')
      .action(register),
  );
  return cmd;
}

async function register(name: string, flags: RegisterFlags): Promise<void> {
  const conn = kafkaConnectionFor(name, flags);
  if (flags.dryRun) {
    process.stdout.write(`${JSON.stringify(conn, null, 2)}\n`);
    return;
  }
  const client = clientFor(flags);
  const problems = await checkSecrets(client, conn);
  if (problems.length) {
    throw new Error(
      `${problems.join('; ')} (create it first: kubectl -n ${flags.namespace} create secret generic ...)`,
    );
  }
  try {
    await client.apply(conn, { force: true });
  } catch (err) {
    if (err instanceof NoKindMatchError) {
      throw new Error(
        'the KafkaConnection CRD (kafkaconnections.kafka.sdm.dev) is not installed: enable the supertubes component, or kubectl apply -f charts/crds/kafkaconnections.kafka.sdm.dev.yaml',
      );
    }
    throw err;
  }
  const auth = conn.spec.sasl
    ? `, SASL ${conn.spec.sasl.mechanism} from Secret ${conn.spec.sasl.credentialsSecret.name}`
    : '';
  process.stdout.write(
    `kafkaconnection.kafka.sdm.dev/${name} registered in ${flags.namespace}: ${conn.spec.bootstrapServers}${conn.spec.tls ? ' (TLS)' : ''}${auth}\n` +
      `KafkaTopics in ${flags.namespace} labelled strimzi.io/cluster=${name} are created there.\n`,
  );
}
