// What we know about one custom resource kind: its names, scope, printer
// columns and schema. crd.ts turns a KindDef into a CustomResourceDefinition,
// validate.ts checks objects against it, and src/kube can use it directly as a
// Kind<T> (it has apiVersion and kind).
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import type { Kind, ObjectMeta } from '../kube/types.ts';
import { closed, Int64, StringMap, Time } from './schema.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  /** 0 shows in `kubectl get`, higher only with `-o wide`. */
  priority?: number;
  format?: string;
}

export type Scope = 'Namespaced' | 'Cluster';

/** The TypeScript type of a resource: the schema's, with the runtime's ObjectMeta. */
export type ResourceOf<S extends TSchema> = Omit<Static<S>, 'metadata' | 'apiVersion' | 'kind'> & {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
};

/** Built by resourceSchema() or resourceSchemaWithSpec(): apiVersion, kind, metadata, spec, status. */
export type ResourceSchema = TObject;

export interface KindDef<S extends ResourceSchema = ResourceSchema> extends Kind<ResourceOf<S>> {
  readonly group: string;
  readonly version: string;
  /** group/version */
  readonly apiVersion: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly scope: Scope;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly printerColumns: readonly PrinterColumn[];
  /** Whether status is a subresource (writes to it go through /status). */
  readonly statusSubresource: boolean;
  readonly description: string;
  /** Older versions the CRD also serves with the same schema (not stored, no conversion needed). */
  readonly olderVersions?: readonly string[];
  /** The whole object: apiVersion, kind, metadata, spec, status. */
  readonly schema: S;
}

// A heterogeneous list of kinds needs the erased type.
export type AnyKindDef = KindDef<ResourceSchema>;

/**
 * Only the fields of ObjectMeta a manifest author writes are typed; the rest
 * passes through (the API server validates metadata, not our schema).
 */
export const ObjectMetaSchema = Type.Object(
  {
    name: Type.Optional(Type.String()),
    generateName: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    labels: Type.Optional(StringMap()),
    annotations: Type.Optional(StringMap()),
    uid: Type.Optional(Type.String()),
    resourceVersion: Type.Optional(Type.String()),
    generation: Type.Optional(Int64()),
    creationTimestamp: Type.Optional(Time()),
    deletionTimestamp: Type.Optional(Time()),
    finalizers: Type.Optional(Type.Array(Type.String())),
  },
  { 'x-kubernetes-preserve-unknown-fields': true },
);

/** The root schema of a resource whose spec may be left out. */
export function resourceSchema<Spec extends TSchema, Status extends TSchema>(
  spec: Spec,
  status: Status,
  description: string,
) {
  return closed(
    {
      apiVersion: Type.String(),
      kind: Type.String(),
      metadata: Type.Optional(ObjectMetaSchema),
      spec: Type.Optional(spec),
      status: Type.Optional(status),
    },
    { description },
  );
}

/** The root schema of a resource that cannot do without its spec. */
export function resourceSchemaWithSpec<Spec extends TSchema, Status extends TSchema>(
  spec: Spec,
  status: Status,
  description: string,
) {
  return closed(
    {
      apiVersion: Type.String(),
      kind: Type.String(),
      metadata: Type.Optional(ObjectMetaSchema),
      spec,
      status: Type.Optional(status),
    },
    { description },
  );
}

export interface KindOptions<S extends ResourceSchema> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: Scope;
  schema: S;
  shortNames?: readonly string[];
  categories?: readonly string[];
  printerColumns?: readonly PrinterColumn[];
  statusSubresource?: boolean;
  olderVersions?: readonly string[];
}

export function defineKind<S extends ResourceSchema>(o: KindOptions<S>): KindDef<S> {
  return {
    group: o.group,
    version: o.version,
    apiVersion: `${o.group}/${o.version}`,
    kind: o.kind,
    listKind: `${o.kind}List`,
    plural: o.plural,
    singular: o.kind.toLowerCase(),
    scope: o.scope,
    shortNames: o.shortNames ?? [],
    categories: o.categories ?? [],
    printerColumns: o.printerColumns ?? [],
    statusSubresource: o.statusSubresource ?? true,
    ...(o.olderVersions ? { olderVersions: o.olderVersions } : {}),
    description: o.schema.description ?? '',
    schema: o.schema,
  };
}

/** The printer column kubectl shows by default when a CRD declares its own columns. */
export const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
};
