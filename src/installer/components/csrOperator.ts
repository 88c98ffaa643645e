// Our CSR signer / private CA; Istio's external CA, so it comes before the mesh.
import type { ComponentDef } from '../types.ts';

export const csrOperator: ComponentDef = {
  name: 'csrOperator',
  statusKey: 'csrOperator',
  release: 'csr-operator',
  chart: { name: 'csr-operator', repository: 'charts/csr-operator' },
  dependsOn: ['imagePullSecretsOperator'],
  block: (s) => ({ ...s.csrOperator, path: 'spec.csrOperator' }),
  defaultValues: {},
  // With a mesh made for the user, seed 000 step 7.1 is done for them: the CA
  // certificate (never the key) is kept as external-ca-cert where istiod mounts it.
  derivedValues: (ctx) =>
    ctx.spec.istioOperator.enabled && ctx.spec.istioOperator.createDefaultMesh
      ? {
          publishCa: { enabled: true, namespace: ctx.spec.istioOperator.namespace, name: 'external-ca-cert' },
        }
      : {},
  extraNamespaces: (ctx) =>
    ctx.spec.istioOperator.enabled && ctx.spec.istioOperator.createDefaultMesh
      ? [ctx.spec.istioOperator.namespace]
      : [],
};
