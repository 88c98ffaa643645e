// The IstioControlPlane the platform creates with createDefaultMesh: the
// private CA wiring of seed 000 step 7, and multi-root trust (seed 003) when
// another mesh's CA is configured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCertificateAuthority, issueCertificate } from '../../../src/devcluster/pki.ts';
import { defaultMesh } from '../../../src/installer/components/istioOperator.ts';
import type { ComponentContext } from '../../../src/installer/types.ts';

interface Icp {
  spec: {
    istiod: { deployment: { env: { name: string; value: string }[] } };
    meshConfig: { caCertificates?: { pem: string }[] };
  };
}

function mesh(trustedCaCertificates?: string[]): Icp {
  const ctx = {
    spec: { istioOperator: { namespace: 'istio-system', createDefaultMesh: true, trustedCaCertificates } },
  } as unknown as ComponentContext;
  return defaultMesh(ctx) as unknown as Icp;
}

const env = (icp: Icp) => Object.fromEntries(icp.spec.istiod.deployment.env.map((e) => [e.name, e.value]));

describe('the default mesh', () => {
  it('asks the CSR operator signer for workload certificates (seed 000 step 7)', () => {
    const e = env(mesh());
    assert.equal(e.EXTERNAL_CA, 'ISTIOD_RA_KUBERNETES_API');
    assert.equal(e.K8S_SIGNER, 'csr.banzaicloud.io/privateca');
    assert.equal(e.ISTIO_MULTIROOT_MESH, undefined);
    assert.equal(mesh().spec.meshConfig.caCertificates, undefined);
  });

  it('trusts a configured upstream CA too (multi-root trust, seed 003)', async () => {
    const upstream = await createCertificateAuthority('upstream-istio-ca');
    const icp = mesh([upstream.cert]);
    assert.equal(env(icp).ISTIO_MULTIROOT_MESH, 'true');
    assert.equal(env(icp).K8S_SIGNER, 'csr.banzaicloud.io/privateca');
    const pems = (icp.spec.meshConfig.caCertificates ?? []).map((c) => c.pem.trim());
    assert.deepEqual(pems, [upstream.cert.trim()]);
  });

  it('refuses a trusted certificate that is not a CA, naming it', async () => {
    const ca = await createCertificateAuthority('some-ca');
    const leaf = await issueCertificate(ca, { commonName: 'workload', usage: 'server' });
    assert.throws(() => mesh([leaf.cert]), /CN=workload is not a CA certificate/);
    assert.throws(() => mesh(['not a pem']), /no PEM CERTIFICATE block/);
  });
});
