/**
 * Functions Go + sprig have that sdm refuses by design, each with the reason a template author
 * sees at parse time. A synced object's overrides must render the same on every reconcile and on
 * every replica: anything reading the clock, the machine's time zone, randomness, the environment
 * or the network would make each pass produce a different object (endless updates), or leak the
 * controller's environment into other clusters. (sprig marks most of these non-hermetic itself.)
 */
const CLOCK = 'reads the clock or the machine time zone';
const RANDOM = 'is random';
const ENVIRONMENT = "reads the controller's environment";
const NETWORK = 'does network I/O';

export const REFUSED: ReadonlyMap<string, string> = new Map([
  ...[
    'now',
    'ago',
    'date',
    'dateInZone',
    'date_in_zone',
    'dateModify',
    'date_modify',
    'mustDateModify',
    'must_date_modify',
    'htmlDate',
    'htmlDateInZone',
    'toDate',
    'mustToDate',
    'unixEpoch',
  ].map((n): [string, string] => [n, CLOCK]),
  ...[
    'randAlphaNum',
    'randAlpha',
    'randAscii',
    'randNumeric',
    'randBytes',
    'randInt',
    'shuffle',
    'uuidv4',
    'genPrivateKey',
    'genCA',
    'genCAWithKey',
    'genSelfSignedCert',
    'genSelfSignedCertWithKey',
    'genSignedCert',
    'genSignedCertWithKey',
    'buildCustomCert',
    'bcrypt',
    'htpasswd',
    'encryptAES',
  ].map((n): [string, string] => [n, RANDOM]),
  ...['env', 'expandenv'].map((n): [string, string] => [n, ENVIRONMENT]),
  ['getHostByName', NETWORK],
]);

/**
 * sprig v3.3 functions sdm does not implement (yet): deterministic, just not written. Empty now:
 * every deterministic sprig function is implemented; the set stays for the next sprig release.
 */
export const NOT_IMPLEMENTED: ReadonlySet<string> = new Set<string>();

/** The parse error for a refused or unimplemented function; undefined for a name that is simply unknown. */
export function refusal(name: string): string | undefined {
  const why = REFUSED.get(name);
  if (why !== undefined) {
    return `function "${name}" is refused by design: it ${why}, and sdm templates must render the same output on every reconcile`;
  }
  if (NOT_IMPLEMENTED.has(name)) {
    return `function "${name}" not defined: sprig has it, sdm does not implement it (see src/template/README.md)`;
  }
  return undefined;
}
