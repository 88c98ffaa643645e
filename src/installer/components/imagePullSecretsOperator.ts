// Our image pull secrets controller (README: "Image pull secrets"), from this repo's chart.
import type { ComponentDef } from '../types.ts';

export const imagePullSecretsOperator: ComponentDef = {
  name: 'imagePullSecretsOperator',
  statusKey: 'imagePullSecretsOperator',
  release: 'imagepullsecrets-operator',
  chart: { name: 'imagepullsecrets-operator', repository: 'charts/imagepullsecrets-operator' },
  dependsOn: [],
  block: (s) => ({ ...s.imagePullSecretsOperator, path: 'spec.imagePullSecretsOperator' }),
  defaultValues: {},
};
