// Cisco's istio-operator. The mesh itself (an IstioControlPlane) is the user's
// unless createDefaultMesh asks us to make one.
import type { KubeObject } from '../../kube/index.ts';
import { meshStatusExtras, readMesh } from '../istio/mesh.ts';
import { multiRootTrust } from '../istio/revision.ts';
import type { ComponentContext, ComponentDef } from '../types.ts';

export const DEFAULT_MESH_NAME = 'sdm-icp-v115x';

export function defaultMesh(ctx: ComponentContext): KubeObject & { spec: unknown } {
  const ns = ctx.spec.istioOperator.namespace;
  // Seed 003: with another mesh's CA configured, both meshes trust each other.
  const trust = multiRootTrust(ctx.spec.istioOperator.trustedCaCertificates);
  const icp = {
    apiVersion: 'servicemesh.cisco.com/v1alpha1',
    kind: 'IstioControlPlane',
    metadata: {
      name: DEFAULT_MESH_NAME,
      namespace: ns,
      labels: { 'banzaicloud.io/managed-by': 'supertubes' },
    },
    spec: {
      version: '1.15.3',
      mode: 'ACTIVE',
      distribution: 'cisco',
      meshID: 'sdm',
      meshConfig: {
        protocolDetectionTimeout: '5s',
        enableAutoMtls: true,
        defaultConfig: { proxyMetadata: { PROXY_CONFIG_XDS_AGENT: 'true' } },
      } as Record<string, unknown>,
      telemetryV2: { enabled: true },
      // Seed 000 step 7.2: istiod mounts the CA certificate the CSR operator
      // publishes, and may approve CSRs for its signer.
      k8sResourceOverlays: [
        {
          groupVersionKind: { group: 'apps', kind: 'Deployment', version: 'v1' },
          objectKey: { name: `istiod-${DEFAULT_MESH_NAME}` },
          patches: [
            {
              parseValue: true,
              path: '/spec/template/spec/volumes/-',
              type: 'replace',
              value: 'name: external-ca-cert\nsecret:\n  secretName: external-ca-cert\n  optional: true\n',
            },
            {
              parseValue: true,
              path: '/spec/template/spec/containers/name=discovery/volumeMounts/-',
              type: 'replace',
              value: 'name: external-ca-cert\nmountPath: /etc/external-ca-cert\nreadOnly: true\n',
            },
          ],
        },
        {
          groupVersionKind: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', version: 'v1' },
          objectKey: { name: `istiod-${DEFAULT_MESH_NAME}-${ns}` },
          patches: [
            {
              parseValue: true,
              path: '/rules/-',
              type: 'replace',
              value:
                'apiGroups:\n- certificates.k8s.io\nresourceNames:\n- csr.banzaicloud.io/privateca\nresources:\n- signers\nverbs:\n- approve\n',
            },
          ],
        },
      ],
      // The CA wiring of seed 000 step 7: istiod asks the CSR operator's signer.
      istiod: {
        deployment: {
          env: [
            { name: 'PILOT_SKIP_VALIDATE_TRUST_DOMAIN', value: 'true' },
            { name: 'EXTERNAL_CA', value: 'ISTIOD_RA_KUBERNETES_API' },
            { name: 'K8S_SIGNER', value: 'csr.banzaicloud.io/privateca' },
            ...(trust.istiod?.deployment.env ?? []),
          ],
        },
      },
    },
  };
  if (trust.meshConfig)
    icp.spec.meshConfig = { ...icp.spec.meshConfig, caCertificates: trust.meshConfig.caCertificates };
  return icp;
}

export const istioOperator: ComponentDef = {
  name: 'istioOperator',
  statusKey: 'istioOperator',
  release: 'istio-operator',
  // Chart 2.1.6 is app v2.17.4 (the chart README's banzaicloud-stable repository).
  // Its kubeVersion is ">= 1.23.0-0 < 1.27.0-0": newer clusters need
  // spec.istioOperator.kubeVersion to install it at all.
  chart: {
    name: 'istio-operator',
    version: '2.1.6',
    repository: 'https://kubernetes-charts.banzaicloud.com',
  },
  dependsOn: ['imagePullSecretsOperator', 'csrOperator'],
  block: (s) => ({ ...s.istioOperator, path: 'spec.istioOperator' }),
  defaultValues: {},
  // The chart's leader election Lease namespace defaults to istio-system
  // whatever namespace it is installed into; keep it with the operator.
  derivedValues: (ctx) => ({ leaderElection: { namespace: ctx.spec.istioOperator.namespace } }),
  extraObjects: (ctx) => (ctx.spec.istioOperator.createDefaultMesh ? [defaultMesh(ctx)] : []),
  reportStatus: async (io) =>
    meshStatusExtras(await readMesh(io.client, io.ctx.spec.istioOperator.namespace)),
};
