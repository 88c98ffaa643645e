// The entry `sdm operator --controllers=imagepullsecrets` runs: ImagePullSecret
// -> one dockerconfigjson pull Secret in every namespace that matches
// (README: "Image pull secrets").
import { Type } from '@sinclair/typebox';
import { defineController } from '../../kube/index.ts';
import { registerImagePullSecrets } from './controller.ts';

export const IMAGE_PULL_SECRETS_CONTROLLER = 'imagepullsecrets';

export const imagePullSecretsOptions = Type.Object({
  ecrEndpoint: Type.Optional(
    Type.String({ description: 'AWS ECR API endpoint (default: the region’s)', env: 'IMPS_ECR_ENDPOINT' }),
  ),
  stsEndpoint: Type.Optional(
    Type.String({ description: 'AWS STS endpoint (default: the region’s)', env: 'IMPS_STS_ENDPOINT' }),
  ),
  ciscoGroup: Type.Boolean({
    default: false,
    description: 'also serve images.cisco.com/v1alpha1 (its CRD must be installed)',
    env: 'IMPS_CISCO_GROUP',
  }),
  retryAfterSeconds: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, description: 'retry period of failed sources (default 30)' }),
  ),
});

export const imagePullSecretsEntry = defineController({
  name: IMAGE_PULL_SECRETS_CONTROLLER,
  description:
    'Keeps image pull Secrets (dockerconfigjson, AWS ECR tokens) in the namespaces ImagePullSecrets target',
  options: imagePullSecretsOptions,
  register(manager, options) {
    registerImagePullSecrets(manager, {
      aws: { ecrEndpoint: options.ecrEndpoint, stsEndpoint: options.stsEndpoint },
      ciscoGroup: options.ciscoGroup,
      retryAfterMs: options.retryAfterSeconds !== undefined ? options.retryAfterSeconds * 1000 : undefined,
    });
  },
});
