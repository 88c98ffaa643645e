// Istio CRD ownership and the hand-over plan (seed 003), and the revision and
// multi-root trust helpers, on plain CRD objects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CrdLike,
  classifyCrds,
  planTransfer,
  revisionAccepted,
} from '../../../src/installer/istio/crd-ownership.ts';
import { multiRootTrust, revisionLabel } from '../../../src/installer/istio/revision.ts';
import { loadX509 } from '../../../src/pki/x509.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

const crd = (
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): CrdLike => ({
  metadata: { name, labels, annotations },
  spec: { group: name.slice(name.indexOf('.') + 1) },
});

// What upstream's istio-operator puts on the CRDs it installs.
const upstreamOperatorLabels = {
  app: 'istio-pilot',
  'install.operator.istio.io/owning-resource': 'example-istiocontrolplane',
  'install.operator.istio.io/owning-resource-namespace': 'istio-system',
  'operator.istio.io/managed': 'Reconcile',
  'operator.istio.io/component': 'Base',
  'operator.istio.io/version': '1.13.4',
};
// istioctl install: the same, except owning-resource (seed 003).
const { 'install.operator.istio.io/owning-resource': _, ...istioctlLabels } = upstreamOperatorLabels;

describe('classifyCrds', () => {
  it('keeps only Istio groups and Cisco servicemesh, sorted', () => {
    const rows = classifyCrds([
      crd('virtualservices.networking.istio.io'),
      crd('kafkaclusters.kafka.banzaicloud.io'),
      crd('istiocontrolplanes.servicemesh.cisco.com'),
      crd('things.notistio.io'),
      crd('authorizationpolicies.security.istio.io'),
    ]);
    assert.deepEqual(
      rows.map((r) => r.crd),
      [
        'authorizationpolicies.security.istio.io',
        'istiocontrolplanes.servicemesh.cisco.com',
        'virtualservices.networking.istio.io',
      ],
    );
  });

  it('tells upstream istio-operator, istioctl, Cisco, Helm and unmanaged apart', () => {
    const rows = classifyCrds(
      [
        crd('a.networking.istio.io', upstreamOperatorLabels),
        crd('b.networking.istio.io', istioctlLabels),
        crd('c.networking.istio.io', {
          'app.kubernetes.io/managed-by': 'istio-operator',
          'resource.alpha.banzaicloud.io/revision': '1.15.3',
        }),
        crd('d.networking.istio.io', { 'app.kubernetes.io/managed-by': 'istio-operator' }),
        crd(
          'e.networking.istio.io',
          { 'app.kubernetes.io/managed-by': 'Helm' },
          { 'meta.helm.sh/release-name': 'istio-base', 'meta.helm.sh/release-namespace': 'istio-system' },
        ),
        crd('f.networking.istio.io'),
        crd('g.networking.istio.io', { 'app.kubernetes.io/managed-by': 'argocd' }),
      ],
      { istioVersion: '1.15.3' },
    );
    assert.deepEqual(rows, [
      {
        crd: 'a.networking.istio.io',
        owner: 'upstream-istio-operator',
        details: 'IstioOperator istio-system/example-istiocontrolplane; component Base',
      },
      {
        crd: 'b.networking.istio.io',
        owner: 'upstream-istio-operator',
        details: 'istioctl install (namespace istio-system); component Base',
      },
      { crd: 'c.networking.istio.io', owner: 'cisco-istio-operator', details: 'revision 1.15.3' },
      { crd: 'd.networking.istio.io', owner: 'cisco-istio-operator', details: 'no revision label' },
      { crd: 'e.networking.istio.io', owner: 'helm', details: 'release istio-system/istio-base' },
      { crd: 'f.networking.istio.io', owner: 'unmanaged', details: 'no owner labels' },
      { crd: 'g.networking.istio.io', owner: 'unmanaged', details: 'app.kubernetes.io/managed-by=argocd' },
    ]);
  });

  it('counts any single upstream label as upstream, and flags a CRD labelled for both operators', () => {
    const [row] = classifyCrds([
      crd('a.security.istio.io', {
        'operator.istio.io/managed': 'Reconcile',
        'app.kubernetes.io/managed-by': 'istio-operator',
      }),
    ]);
    assert.equal(row?.owner, 'upstream-istio-operator');
    assert.match(row?.details ?? '', /both operators may modify it/);
  });

  it("notes a revision newer than the platform's Istio", () => {
    const [row] = classifyCrds(
      [
        crd('a.security.istio.io', {
          'app.kubernetes.io/managed-by': 'istio-operator',
          'resource.alpha.banzaicloud.io/revision': '1.17.1',
        }),
      ],
      { istioVersion: '1.15.3' },
    );
    assert.equal(row?.owner, 'cisco-istio-operator');
    assert.match(row?.details ?? '', /newer than Istio 1\.15\.3/);
  });

  it('tolerates CRDs without metadata labels', () => {
    assert.deepEqual(classifyCrds([{ metadata: { name: 'x.istio.io' }, spec: { group: 'istio.io' } }]), [
      { crd: 'x.istio.io', owner: 'unmanaged', details: 'no owner labels' },
    ]);
  });
});

describe('revisionAccepted', () => {
  it('accepts equal and older revisions, refuses newer ones, accepts non-versions', () => {
    assert.equal(revisionAccepted('1.15.3', '1.15.3'), true);
    assert.equal(revisionAccepted('1.13.9', '1.15.3'), true);
    assert.equal(revisionAccepted('1.15.4', '1.15.3'), false);
    assert.equal(revisionAccepted('1.16', '1.15.3'), false);
    assert.equal(revisionAccepted('2.0.0', '1.15.3'), false);
    assert.equal(revisionAccepted('v1.15.0', '1.15.3'), true);
    assert.equal(revisionAccepted('icp-v115x', '1.15.3'), true);
  });
});

describe('planTransfer', () => {
  it('removes exactly the four upstream labels and sets managed-by istio-operator (seed 003)', () => {
    const steps = planTransfer([crd('authorizationpolicies.security.istio.io', upstreamOperatorLabels)], {
      istioVersion: '1.15.3',
    });
    assert.deepEqual(steps, [
      {
        crd: 'authorizationpolicies.security.istio.io',
        patch: {
          metadata: {
            labels: {
              'install.operator.istio.io/owning-resource': null,
              'install.operator.istio.io/owning-resource-namespace': null,
              'operator.istio.io/managed': null,
              'operator.istio.io/component': null,
              'app.kubernetes.io/managed-by': 'istio-operator',
            },
          },
        },
        changes: [
          'remove install.operator.istio.io/owning-resource',
          'remove install.operator.istio.io/owning-resource-namespace',
          'remove operator.istio.io/managed',
          'remove operator.istio.io/component',
          'set app.kubernetes.io/managed-by=istio-operator',
        ],
        warnings: [],
      },
    ]);
  });

  it('only removes labels that are present (istioctl has no owning-resource) and keeps the others', () => {
    const [step] = planTransfer([crd('a.networking.istio.io', istioctlLabels)], { istioVersion: '1.15.3' });
    assert.deepEqual(step?.patch.metadata.labels, {
      'install.operator.istio.io/owning-resource-namespace': null,
      'operator.istio.io/managed': null,
      'operator.istio.io/component': null,
      'app.kubernetes.io/managed-by': 'istio-operator',
    });
    // app and operator.istio.io/version are not upstream ownership labels: untouched.
    assert.equal('app' in (step?.patch.metadata.labels ?? {}), false);
  });

  it('leaves Cisco, Helm, unmanaged and non-Istio CRDs alone', () => {
    const steps = planTransfer(
      [
        crd('a.networking.istio.io', { 'app.kubernetes.io/managed-by': 'istio-operator' }),
        crd('b.networking.istio.io', { 'app.kubernetes.io/managed-by': 'Helm' }),
        crd('c.networking.istio.io'),
        crd('kafkaclusters.kafka.banzaicloud.io', upstreamOperatorLabels),
      ],
      { istioVersion: '1.15.3' },
    );
    assert.deepEqual(steps, []);
  });

  it('is idempotent: applying the plan leaves nothing to plan', () => {
    const before = [
      crd('a.networking.istio.io', upstreamOperatorLabels),
      crd('b.security.istio.io', istioctlLabels),
    ];
    const after = before.map((c) => {
      const [step] = planTransfer([c], { istioVersion: '1.15.3' });
      const labels: Record<string, string> = { ...c.metadata?.labels };
      for (const [k, v] of Object.entries(step?.patch.metadata.labels ?? {})) {
        if (v === null) delete labels[k];
        else labels[k] = v;
      }
      return { ...c, metadata: { ...c.metadata, labels } };
    });
    assert.deepEqual(planTransfer(after, { istioVersion: '1.15.3' }), []);
    assert.deepEqual(
      classifyCrds(after).map((r) => r.owner),
      ['cisco-istio-operator', 'cisco-istio-operator'],
    );
  });

  it('warns when a revision label would still keep the platform operator away', () => {
    const [step] = planTransfer(
      [
        crd('a.networking.istio.io', {
          ...upstreamOperatorLabels,
          'resource.alpha.banzaicloud.io/revision': '1.18.0',
        }),
      ],
      { istioVersion: '1.15.3' },
    );
    assert.equal(step?.warnings.length, 1);
    assert.match(step?.warnings[0] ?? '', /1\.18\.0 is newer than Istio 1\.15\.3/);
  });
});

describe('revisionLabel', () => {
  it('is <icp name, dots to dashes>.<icp namespace>', () => {
    assert.equal(revisionLabel('icp-v115x', 'sdm-istio-system'), 'icp-v115x.sdm-istio-system');
    assert.equal(revisionLabel('icp.v1.15', 'sdm-istio-system'), 'icp-v1-15.sdm-istio-system');
  });

  it('refuses values that cannot be a label', () => {
    assert.throws(() => revisionLabel('', 'ns'), /required/);
    assert.throws(() => revisionLabel('a'.repeat(60), 'sdm-istio-system'), /at most 63/);
  });
});

async function selfSigned(ca: boolean): Promise<string> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: ca ? 'CN=upstream-root' : 'CN=leaf',
    keys,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3_600_000),
    extensions: [new x509.BasicConstraintsExtension(ca, undefined, true)],
  });
  return cert.toString('pem');
}

describe('multiRootTrust', () => {
  it('is empty without an upstream CA', () => {
    assert.deepEqual(multiRootTrust(), {});
    assert.deepEqual(multiRootTrust(''), {});
  });

  it('sets ISTIO_MULTIROOT_MESH, PROXY_CONFIG_XDS_AGENT and one caCertificates item per CA (seed 003)', async () => {
    const a = await selfSigned(true);
    const b = await selfSigned(true);
    const fragment = multiRootTrust(`${a}\n${b}`);
    assert.deepEqual(fragment.istiod, {
      deployment: { env: [{ name: 'ISTIO_MULTIROOT_MESH', value: 'true' }] },
    });
    assert.deepEqual(fragment.meshConfig?.defaultConfig, {
      proxyMetadata: { PROXY_CONFIG_XDS_AGENT: 'true' },
    });
    assert.deepEqual(
      fragment.meshConfig?.caCertificates.map((c) => c.pem.trim()),
      [a.trim(), b.trim()],
    );
    // The same CA given twice is trusted once.
    assert.equal(multiRootTrust([a, a]).meshConfig?.caCertificates.length, 1);
  });

  it('refuses text that is not a CA certificate', async () => {
    assert.throws(() => multiRootTrust('hello'), /no PEM CERTIFICATE block/);
    assert.throws(
      () => multiRootTrust('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'),
      /not a valid certificate/,
    );
    const leaf = await selfSigned(false);
    assert.throws(() => multiRootTrust(leaf), /is not a CA certificate/);
  });
});
