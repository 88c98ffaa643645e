// Certificates for a local Kafka's SSL listener: a CA made for this Kafka and
// one serving certificate for 127.0.0.1/localhost that every broker uses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from './pki.ts';

export interface KafkaTlsFiles {
  /** The CA certificate (PEM) clients trust. */
  caFile: string;
  /** The brokers' PEM keystore: private key (PKCS#8) then certificate. */
  keystoreFile: string;
}

export async function writeKafkaTls(dir: string): Promise<KafkaTlsFiles> {
  const tlsDir = join(dir, 'tls');
  mkdirSync(tlsDir, { recursive: true });
  const ca = await createCertificateAuthority('sdm-local-kafka-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'kafka',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const caFile = join(tlsDir, 'ca.crt');
  const keystoreFile = join(tlsDir, 'broker.pem');
  writeFileSync(caFile, ca.cert);
  writeFileSync(keystoreFile, `${serving.key}${serving.cert}`, { mode: 0o600 });
  return { caFile, keystoreFile };
}
