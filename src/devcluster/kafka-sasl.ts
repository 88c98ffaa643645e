// A SASL_PLAINTEXT listener on the local brokers, for tests of clients that
// authenticate (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) with test-only users.
// Pure functions: the listener's server.properties entries and the
// StorageTool arguments that put the SCRAM credentials into the metadata log.

/** User name -> password. Test credentials: they are written to the broker's files. */
export type SaslUsers = Record<string, string>;

export const saslMechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
const scramMechanisms = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/**
 * Names and passwords end up inside a JAAS string in a properties file and in
 * StorageTool's `[name=...,password=...]` syntax, which have no common escape:
 * characters that would need one are refused.
 */
export function validateSaslUsers(users: SaslUsers): void {
  const names = Object.keys(users);
  if (names.length === 0) throw new Error('sasl.users is empty: name at least one user');
  for (const [name, password] of Object.entries(users)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new Error(`SASL user name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-'`);
    }
    if (!/^[\x21-\x7e]+$/.test(password) || /["\\,[\]=;]/.test(password)) {
      throw new Error(
        `the password of SASL user ${name}: use printable ASCII without spaces and without " \\ , [ ] = ;`,
      );
    }
  }
}

/** The listener's entries: PLAIN users in its JAAS config, SCRAM users in the metadata log. */
export function saslListenerProperties(users: SaslUsers): Record<string, string> {
  const plainUsers = Object.entries(users)
    .map(([name, password]) => `user_${name}="${password}"`)
    .join(' ');
  return {
    'sasl.enabled.mechanisms': saslMechanisms.join(','),
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config':
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config':
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  };
}

/** `kafka.tools.StorageTool format` arguments adding every user's SCRAM credentials. */
export function scramFormatArgs(users: SaslUsers): string[] {
  return Object.entries(users).flatMap(([name, password]) =>
    scramMechanisms.flatMap((m) => ['--add-scram', `${m}=[name=${name},password=${password}]`]),
  );
}
