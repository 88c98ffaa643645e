// ImagePullSecret: one pull Secret, merged from several source credentials,
// written into every namespace that matches (README: "Image pull secrets"). API
// compatible with Banzai Cloud's imps operator.
import { type Static, Type } from '@sinclair/typebox';
import { defineKind, type KindDef, type ResourceOf, resourceSchemaWithSpec } from '../../kind.ts';
import {
  AnnotationSelector,
  Conditions,
  closed,
  Int32,
  LabelSelector,
  NamespacedName,
  ObservedGeneration,
  StringEnum,
  StringMap,
  Time,
} from '../../schema.ts';

export { DOCKER_CONFIG_JSON_SECRET_TYPE, ECR_LOGIN_CONFIG_SECRET_TYPES } from '../keys.ts';

const selectors = {
  labels: Type.Optional(Type.Array(LabelSelector, { description: 'ORed.' })),
  annotations: Type.Optional(Type.Array(AnnotationSelector, { description: 'ORed.' })),
};

export const ImagePullSecretSpecSchema = closed({
  registry: closed({
    credentials: Type.Array(NamespacedName, {
      description:
        'Source Secrets: kubernetes.io/dockerconfigjson (copied through) or an AWS ECR login config (exchanged for a token).',
    }),
  }),
  target: closed({
    secret: closed({
      name: Type.String({
        minLength: 1,
        description: 'Name of the pull Secret written into each namespace.',
      }),
      labels: Type.Optional(StringMap()),
      annotations: Type.Optional(StringMap()),
    }),
    namespaces: Type.Optional(
      closed(
        { names: Type.Optional(Type.Array(Type.String())), ...selectors },
        { description: 'Namespaces by name, labels or annotations; all ORed.' },
      ),
    ),
    namespacesWithPods: Type.Optional(
      closed(selectors, { description: 'A namespace also qualifies when one of its pods matches.' }),
    ),
  }),
});

export const ReconciliationState = StringEnum(['Ready', 'Failed']);

export const ImagePullSecretStatusSchema = closed({
  status: Type.Optional(ReconciliationState),
  reason: Type.Optional(Type.String()),
  lastSuccessfulReconciliation: Type.Optional(Time()),
  validitySeconds: Type.Optional(Int32({ description: 'Seconds until the earliest credential expires.' })),
  managedNamespaces: Type.Optional(Type.Array(Type.String())),
  sourceSecretStatus: Type.Optional(
    StringMap({ description: 'Per source Secret (namespace/name): "Ok" or the error.' }),
  ),
  observedGeneration: Type.Optional(ObservedGeneration()),
  conditions: Type.Optional(Conditions()),
});

export const ImagePullSecretSchema = resourceSchemaWithSpec(
  ImagePullSecretSpecSchema,
  ImagePullSecretStatusSchema,
  'Keeps an image pull Secret, built from source credentials, in every namespace that matches.',
);

export type ImagePullSecret = ResourceOf<typeof ImagePullSecretSchema>;
export type ImagePullSecretSpec = Static<typeof ImagePullSecretSpecSchema>;
export type ImagePullSecretStatus = Static<typeof ImagePullSecretStatusSchema>;

/**
 * The same kind under another group (imps 0.4 renamed banzaicloud.io to
 * cisco.com). Only one of the two carries the short name: kubectl warns about
 * a short name that two installed CRDs share.
 */
export function imagePullSecretKind(
  group: string,
  shortNames: readonly string[],
): KindDef<typeof ImagePullSecretSchema> {
  return defineKind({
    group,
    version: 'v1alpha1',
    kind: 'ImagePullSecret',
    plural: 'imagepullsecrets',
    scope: 'Cluster',
    schema: ImagePullSecretSchema,
    shortNames,
    categories: ['sdm'],
    printerColumns: [
      { name: 'State', type: 'string', jsonPath: '.status.status' },
      { name: 'Reconciled', type: 'date', jsonPath: '.status.lastSuccessfulReconciliation' },
      { name: 'Validity seconds', type: 'integer', jsonPath: '.status.validitySeconds' },
      { name: 'Secret Name', type: 'string', jsonPath: '.spec.target.secret.name' },
      { name: 'Namespaces', type: 'string', jsonPath: '.status.managedNamespaces' },
    ],
  });
}

export const ImagePullSecretKind = imagePullSecretKind('images.banzaicloud.io', ['imps']);
