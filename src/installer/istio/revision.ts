// Running the platform's Istio next to an upstream one (seed 003): workloads
// pick their control plane by revision label, and the two meshes trust each
// other's CA. Pure helpers; the installer writes what they return.
import { X509Certificate } from 'node:crypto';

export const REVISION_LABEL = 'istio.io/rev';

// A label value: at most 63 characters, alphanumeric at both ends.
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/**
 * The istio.io/rev value binding a namespace to the platform's
 * IstioControlPlane: Cisco's operator derives the revision from the ICP name
 * with dots turned into dashes, then appends the ICP's namespace
 * (icp-v115x in sdm-istio-system -> icp-v115x.sdm-istio-system). Namespaces
 * get this label, never istio-injection, which would win over it.
 */
export function revisionLabel(icpName: string, icpNamespace: string): string {
  if (!icpName || !icpNamespace) throw new Error('revisionLabel: the ICP name and namespace are required');
  const value = `${icpName.replaceAll('.', '-')}.${icpNamespace}`;
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new Error(
      `${REVISION_LABEL}=${value} is not a valid label value (at most 63 characters): shorten the IstioControlPlane name`,
    );
  }
  return value;
}

export interface MultiRootTrustFragment {
  istiod?: { deployment: { env: { name: string; value: string }[] } };
  meshConfig?: {
    defaultConfig: { proxyMetadata: Record<string, string> };
    caCertificates: { pem: string }[];
  };
}

/**
 * The IstioControlPlane spec fragment that makes the platform's mesh trust
 * the upstream mesh's CA (seed 003): ISTIO_MULTIROOT_MESH on istiod, one
 * meshConfig.caCertificates item per CA certificate, and
 * PROXY_CONFIG_XDS_AGENT so CA changes reach the proxies without restarts.
 * Without a CA there is nothing to trust: the fragment is empty. Throws on
 * anything that is not a CA certificate, rather than rolling out a mesh that
 * silently distrusts the other one.
 */
export function multiRootTrust(upstreamCaPem?: string | readonly string[]): MultiRootTrustFragment {
  const inputs =
    upstreamCaPem === undefined ? [] : typeof upstreamCaPem === 'string' ? [upstreamCaPem] : upstreamCaPem;
  const pems: string[] = [];
  for (const input of inputs) {
    if (!input.trim()) continue;
    const blocks = input.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw new Error('upstream CA: no PEM CERTIFICATE block found');
    for (const block of blocks) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(block);
      } catch (err) {
        throw new Error(`upstream CA: not a valid certificate: ${err instanceof Error ? err.message : err}`);
      }
      if (!cert.ca)
        throw new Error(`upstream CA: ${cert.subject.replaceAll('\n', ', ')} is not a CA certificate`);
      const pem = `${block}\n`;
      if (!pems.includes(pem)) pems.push(pem);
    }
  }
  if (pems.length === 0) return {};
  return {
    istiod: { deployment: { env: [{ name: 'ISTIO_MULTIROOT_MESH', value: 'true' }] } },
    meshConfig: {
      defaultConfig: { proxyMetadata: { PROXY_CONFIG_XDS_AGENT: 'true' } },
      caCertificates: pems.map((pem) => ({ pem })),
    },
  };
}
