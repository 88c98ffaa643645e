// ClusterFeature: what a cluster offers; ResourceSyncRules select peers by it.
import { type Static, Type } from '@sinclair/typebox';
import { AGE_COLUMN, defineKind, type ResourceOf, resourceSchemaWithSpec } from '../../kind.ts';
import { closed } from '../../schema.ts';
import { categories, group, version } from './group.ts';

export const ClusterFeatureSpecSchema = closed({
  featureName: Type.String({ minLength: 1, description: 'Name matched by clusterFeatureMatch of rules.' }),
});

// Nothing reconciles a ClusterFeature (it is only read), so its status is
// empty rather than pretending to report something.
export const ClusterFeatureStatusSchema = closed({});

export const ClusterFeatureSchema = resourceSchemaWithSpec(
  ClusterFeatureSpecSchema,
  ClusterFeatureStatusSchema,
  'A feature the cluster offers; its name and labels are matched by the clusterFeatureMatch of ResourceSyncRules.',
);

export const ClusterFeatureKind = defineKind({
  group,
  version,
  kind: 'ClusterFeature',
  plural: 'clusterfeatures',
  scope: 'Cluster',
  schema: ClusterFeatureSchema,
  shortNames: ['cf'],
  categories,
  printerColumns: [{ name: 'Feature', type: 'string', jsonPath: '.spec.featureName' }, AGE_COLUMN],
});

export type ClusterFeature = ResourceOf<typeof ClusterFeatureSchema>;
export type ClusterFeatureSpec = Static<typeof ClusterFeatureSpecSchema>;
