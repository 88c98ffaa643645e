// ImagePullSecret under the group imps 0.4 moved to: same schema, second CRD,
// so manifests written for either version apply.
import { imagePullSecretKind } from '../../images.banzaicloud.io/v1alpha1/imagepullsecret.ts';

export {
  type ImagePullSecret,
  ImagePullSecretSchema,
  type ImagePullSecretSpec,
  type ImagePullSecretStatus,
} from '../../images.banzaicloud.io/v1alpha1/imagepullsecret.ts';

export const ImagePullSecretKind = imagePullSecretKind('images.cisco.com', []);
