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
};
