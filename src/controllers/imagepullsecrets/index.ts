// The image pull secrets controller (spec/controllers.md): ImagePullSecret ->
// one dockerconfigjson pull Secret in every namespace that matches.
import type { ControllerEntry } from '../index.ts';
import { registerImagePullSecrets } from './controller.ts';

export { type ImagePullSecretsOptions, registerImagePullSecrets } from './controller.ts';
export * from './desired.ts';
export { type AwsOptions, SourceReader } from './sources.ts';

export const imagePullSecretsController: ControllerEntry = {
  name: 'imagepullsecrets',
  description:
    'Keeps image pull Secrets (dockerconfigjson, AWS ECR tokens) in the namespaces ImagePullSecrets target',
  register(manager, options) {
    const env = process.env;
    const retry = options.retryAfterSeconds;
    if (retry !== undefined && !(Number(retry) > 0)) {
      throw new Error(`retryAfterSeconds must be a positive number, got ${JSON.stringify(retry)}`);
    }
    registerImagePullSecrets(manager, {
      aws: {
        ecrEndpoint: options.ecrEndpoint ?? env.IMPS_ECR_ENDPOINT ?? undefined,
        stsEndpoint: options.stsEndpoint ?? env.IMPS_STS_ENDPOINT ?? undefined,
      },
      ciscoGroup: (options.ciscoGroup ?? env.IMPS_CISCO_GROUP) === 'true',
      retryAfterMs: retry ? Number(retry) * 1000 : undefined,
    });
  },
};
