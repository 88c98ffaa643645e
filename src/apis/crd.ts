// From a KindDef to an apiextensions.k8s.io/v1 CustomResourceDefinition.
// The TypeBox schema is JSON Schema with TypeBox's own idioms; CRDs need a
// *structural* OpenAPI v3 schema, so the conversion below is strict: anything
// it does not know how to express structurally is an error at generation
// time, never a CRD the API server refuses (or silently prunes) later.
import type { TSchema } from '@sinclair/typebox';
import type { AnyKindDef, PrinterColumn } from './kind.ts';

/** An OpenAPI v3 schema node as a CRD carries it (wire format). */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  additionalProperties?: JSONSchemaProps;
  items?: JSONSchemaProps;
  [keyword: string]: unknown;
}

/** The wire shape of a CRD (the API's JSON field names, including the x-kubernetes-* ones). */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames?: string[];
      categories?: string[];
    };
    scope: 'Namespaced' | 'Cluster';
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources?: { status?: Record<string, never> };
      additionalPrinterColumns?: PrinterColumn[];
    }[];
  };
}

export class SchemaConversionError extends Error {
  override name = 'SchemaConversionError';
}

// Keywords copied as they are (OpenAPI v3 value validations and our
// x-kubernetes-* extensions). Anything not listed and not handled below
// stops the conversion.
const COPIED = new Set([
  'description',
  'title',
  'format',
  'enum',
  'default',
  'nullable',
  'example',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
]);
// Consumed by the conversion, or TypeBox bookkeeping with no meaning in a CRD.
const HANDLED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'patternProperties',
]);
const DROPPED = new Set(['$id', '$schema']);
const CATCH_ALL_PATTERNS = new Set(['^(.*)$', '^.*$', '.*']);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A TypeBox (JSON Schema) node to a structural OpenAPI v3 node. */
export function toStructuralSchema(schema: TSchema | Json, path = ''): JSONSchemaProps {
  const node = schema as Json;
  const at = path === '' ? '(root)' : path;
  const fail = (msg: string): never => {
    throw new SchemaConversionError(`${at}: ${msg}`);
  };

  const keep: JSONSchemaProps = {};
  const copyKeywords = () => {
    for (const key of Object.keys(node)) {
      if (COPIED.has(key) || key.startsWith('x-kubernetes-')) keep[key] = node[key];
      else if (!HANDLED.has(key) && !DROPPED.has(key) && key !== 'anyOf' && key !== 'const') {
        fail(`keyword "${key}" has no structural equivalent`);
      }
    }
  };

  // Unions: of literals (an enum), or integer|string (intstr.IntOrString).
  if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) {
    if (node.oneOf) fail('oneOf is not structural; use a union of literals or integer|string');
    const members = node.anyOf as Json[];
    copyKeywords();
    if (members.every((m) => 'const' in m)) {
      const types = new Set(members.map((m) => m.type ?? jsonType(m.const)));
      if (types.size !== 1) fail('enum members of different types');
      return { type: [...types][0] as JSONSchemaProps['type'], ...keep, enum: members.map((m) => m.const) };
    }
    const kinds = members.map((m) => m.type).sort();
    if (members.length === 2 && kinds[0] === 'integer' && kinds[1] === 'string') {
      return { ...keep, 'x-kubernetes-int-or-string': true };
    }
    return fail('only unions of literals or of integer and string can be expressed in a CRD');
  }

  copyKeywords();

  if ('const' in node) {
    return {
      type: (node.type ?? jsonType(node.const)) as JSONSchemaProps['type'],
      ...keep,
      enum: [node.const],
    };
  }

  switch (node.type) {
    case undefined:
      // Type.Unknown / Type.Any: free-form content.
      if (Object.keys(keep).some((k) => k !== 'description' && !k.startsWith('x-kubernetes-'))) {
        fail('a node without type may only carry a description');
      }
      return { ...keep, 'x-kubernetes-preserve-unknown-fields': true };
    case 'object':
      return objectNode(node, keep, path, fail);
    case 'array': {
      if (!isObject(node.items)) return fail('arrays need a single items schema');
      if (keep.uniqueItems) fail('uniqueItems is not allowed in CRDs');
      return { type: 'array', ...keep, items: toStructuralSchema(node.items, `${path}[]`) };
    }
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return { type: node.type, ...keep };
    default:
      return fail(`unsupported type ${JSON.stringify(node.type)}`);
  }
}

function objectNode(
  node: Json,
  keep: JSONSchemaProps,
  path: string,
  fail: (m: string) => never,
): JSONSchemaProps {
  const out: JSONSchemaProps = { type: 'object', ...keep };
  const preserve = keep['x-kubernetes-preserve-unknown-fields'] === true;
  const props = node.properties as Json | undefined;
  const pattern = node.patternProperties as Json | undefined;
  const additional = node.additionalProperties;

  if (pattern !== undefined) {
    // Type.Record(Type.String(), V): a map.
    const keys = Object.keys(pattern);
    if (props && Object.keys(props).length > 0) fail('a map cannot also have properties');
    if (keys.length !== 1 || !CATCH_ALL_PATTERNS.has(keys[0]!)) {
      fail(`patternProperties ${JSON.stringify(keys)}: only maps with any string key are structural`);
    }
    out.additionalProperties = toStructuralSchema(pattern[keys[0]!] as Json, `${path}{}`);
    return out;
  }
  if (isObject(additional)) {
    if (props && Object.keys(props).length > 0) fail('a map cannot also have properties');
    out.additionalProperties = toStructuralSchema(additional, `${path}{}`);
    return out;
  }
  // A closed object (additionalProperties: false) is what a structural schema
  // means by default: unknown fields are pruned, or refused under strict field
  // validation. Anything else must say explicitly that it keeps unknown fields.
  if (additional !== false && !preserve) {
    fail('object is neither closed (additionalProperties: false) nor x-kubernetes-preserve-unknown-fields');
  }
  if (additional === false && preserve) fail('object both closed and preserving unknown fields');

  if (props) {
    const converted: Record<string, JSONSchemaProps> = {};
    for (const [name, child] of Object.entries(props)) {
      converted[name] = toStructuralSchema(child as Json, path === '' ? name : `${path}.${name}`);
    }
    if (Object.keys(converted).length > 0) out.properties = converted;
  }
  const required = (node.required as string[] | undefined) ?? [];
  if (required.length > 0) out.required = [...required];
  return out;
}

function jsonType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  throw new SchemaConversionError(`literal ${JSON.stringify(v)} cannot be an enum value`);
}

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.';

/** The openAPIV3Schema of a kind: its root schema, with metadata left to the API server. */
export function openAPIV3Schema(def: AnyKindDef): JSONSchemaProps {
  const { metadata: _metadata, ...rest } = def.schema.properties;
  const root = toStructuralSchema({ ...def.schema, properties: rest });
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: { type: 'string', description: API_VERSION_DOC },
    kind: { type: 'string', description: KIND_DOC },
    // The API server validates metadata itself; a CRD may only say it is an object.
    metadata: { type: 'object' },
  };
  for (const [name, prop] of Object.entries(root.properties ?? {})) {
    if (name !== 'apiVersion' && name !== 'kind') properties[name] = prop;
  }
  const out: JSONSchemaProps = {};
  if (root.description) out.description = root.description;
  out.type = 'object';
  out.properties = properties;
  const required = (root.required ?? []).filter(
    (r) => r !== 'apiVersion' && r !== 'kind' && r !== 'metadata',
  );
  if (required.length > 0) out.required = required;
  return out;
}

export function crdName(def: AnyKindDef): string {
  return `${def.plural}.${def.group}`;
}

/** The CustomResourceDefinition for a kind, ready to be applied as JSON or YAML. */
export function crdFor(def: AnyKindDef): CustomResourceDefinition {
  const names: CustomResourceDefinition['spec']['names'] = {
    kind: def.kind,
    listKind: def.listKind,
    plural: def.plural,
    singular: def.singular,
  };
  if (def.shortNames.length > 0) names.shortNames = [...def.shortNames];
  if (def.categories.length > 0) names.categories = [...def.categories];
  const version: CustomResourceDefinition['spec']['versions'][number] = {
    name: def.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: openAPIV3Schema(def) },
  };
  if (def.statusSubresource) version.subresources = { status: {} };
  if (def.printerColumns.length > 0)
    version.additionalPrinterColumns = def.printerColumns.map((c) => ({ ...c }));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(def) },
    spec: {
      group: def.group,
      names,
      scope: def.scope,
      versions: [version, ...(def.olderVersions ?? []).map((name) => ({ ...version, name, storage: false }))],
    },
  };
}
