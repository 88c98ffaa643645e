// Every label, Secret type and data key of the images.banzaicloud.io API
// group (the imps operator's; images.cisco.com uses the same ones), in one place.

/** On each pull Secret the controller wrote: the uid of the ImagePullSecret that owns it. */
export const OWNER_LABEL = 'imps.banzaicloud.io/owner-uid';
/** Type of the pull Secrets written, and of source Secrets copied through. */
export const DOCKER_CONFIG_JSON_SECRET_TYPE = 'kubernetes.io/dockerconfigjson';
/** Data key of a dockerconfigjson Secret. */
export const DOCKER_CONFIG_KEY = '.dockerconfigjson';
/** Source Secret types holding AWS credentials to exchange for an ECR token (old and new group). */
export const ECR_LOGIN_CONFIG_SECRET_TYPES = [
  'banzaicloud.io/aws-ecr-login-config',
  'cisco.com/aws-ecr-login-config',
] as const;
