// A checker for the rules apiextensions.k8s.io/v1 applies to a CRD, written
// independently of crd.ts so that it can catch that converter's mistakes:
// structural schema rules, the extensions' constraints, names and printer
// columns. It does not replace an API server, it only fails earlier.
import type { CustomResourceDefinition, JSONSchemaProps } from './crd.ts';

const ALLOWED_KEYWORDS = new Set([
  'description',
  'type',
  'format',
  'title',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'default',
  'nullable',
  'externalDocs',
  'example',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);
// Formats the API server knows (k8s.io/kube-openapi strfmt); others are ignored
// there, which would hide a typo.
const FORMATS = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  'date-time',
  'int32',
  'int64',
  'float',
  'double',
]);
const COLUMN_TYPES = new Set(['integer', 'number', 'string', 'boolean', 'date']);
const COLUMN_FORMATS = new Set([
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'date',
  'date-time',
  'password',
]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Node = JSONSchemaProps & Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems with a structural openAPIV3Schema, each prefixed with where it is. Empty when fine. */
export function checkStructuralSchema(root: JSONSchemaProps): string[] {
  const problems: string[] = [];
  if (root.type !== 'object') problems.push('(root): type must be object');
  walk(root as Node, '', problems, true);
  const metadata = root.properties?.metadata as Node | undefined;
  if (metadata) {
    for (const key of Object.keys(metadata)) {
      if (key !== 'type' && key !== 'properties')
        problems.push(`metadata: only type and properties allowed, not ${key}`);
    }
    for (const key of Object.keys(metadata.properties ?? {})) {
      if (key !== 'name' && key !== 'generateName')
        problems.push(`metadata.${key}: only name and generateName may be restricted`);
    }
    if (metadata.type !== 'object') problems.push('metadata: type must be object');
  }
  return problems;
}

function walk(node: Node, path: string, problems: string[], isRoot = false): void {
  const at = path === '' ? '(root)' : path;
  const p = (msg: string) => problems.push(`${at}: ${msg}`);
  if (!isPlainObject(node)) {
    p('schema must be an object');
    return;
  }
  for (const key of Object.keys(node)) {
    if (!ALLOWED_KEYWORDS.has(key)) p(`keyword ${key} is not allowed`);
  }
  const type = node.type;
  const preserve = node['x-kubernetes-preserve-unknown-fields'];
  const intOrString = node['x-kubernetes-int-or-string'];
  if (preserve !== undefined && preserve !== true)
    p('x-kubernetes-preserve-unknown-fields must be true if set');
  if (intOrString !== undefined && intOrString !== true) p('x-kubernetes-int-or-string must be true if set');

  if (type === undefined || (type as unknown) === '') {
    if (intOrString !== true && preserve !== true) p('type is required (structural schema)');
  } else if (!TYPES.has(type)) {
    p(`unknown type ${JSON.stringify(type)}`);
  }
  if (intOrString === true) {
    if (type !== undefined) p('x-kubernetes-int-or-string must not have a type');
    const anyOf = node.anyOf as Node[] | undefined;
    if (anyOf !== undefined) {
      const types = anyOf.map((m) => m.type).sort();
      if (anyOf.length !== 2 || types[0] !== 'integer' || types[1] !== 'string') {
        p('x-kubernetes-int-or-string anyOf must be [integer, string]');
      }
    }
  } else {
    for (const k of ['anyOf', 'oneOf', 'allOf', 'not']) {
      if (k in node)
        p(`${k}: we emit no logical junctors (and they may not carry types in a structural schema)`);
    }
  }
  if (isRoot && type !== 'object') p('root must be an object');
  if (typeof node.description !== 'undefined' && typeof node.description !== 'string')
    p('description must be a string');
  if (node.uniqueItems === true) p('uniqueItems: true is forbidden in CRDs');
  for (const k of ['exclusiveMinimum', 'exclusiveMaximum']) {
    if (k in node && typeof node[k] !== 'boolean') p(`${k} must be a boolean in OpenAPI v3.0`);
  }
  if (node.format !== undefined && !FORMATS.has(String(node.format)))
    p(`unknown format ${String(node.format)}`);
  if (node.pattern !== undefined) checkPattern(String(node.pattern), p);
  if (node.enum !== undefined) {
    if (!Array.isArray(node.enum) || node.enum.length === 0) p('enum must be a non-empty list');
    else if (type !== undefined) {
      for (const v of node.enum)
        if (!valueHasType(v, type)) p(`enum value ${JSON.stringify(v)} is not a ${type}`);
    }
  }

  const hasProps = node.properties !== undefined;
  const hasAdditional = node.additionalProperties !== undefined;
  if ((hasProps || hasAdditional || node.required !== undefined) && type !== 'object') {
    p('properties/additionalProperties/required only on objects');
  }
  if (hasProps && hasAdditional) p('properties and additionalProperties are mutually exclusive');
  if (hasAdditional && !isPlainObject(node.additionalProperties)) {
    p('additionalProperties must be a schema (false is not allowed, closed objects are the default)');
  }
  if (node.required !== undefined) {
    if (!Array.isArray(node.required)) p('required must be a list');
    else {
      for (const r of node.required) {
        if (!node.properties || !(r in node.properties)) p(`required field ${r} is not a property`);
      }
    }
  }
  if (type === 'array') {
    if (!isPlainObject(node.items)) p('arrays need a single items schema');
  } else if (node.items !== undefined) {
    p('items only on arrays');
  }
  checkListType(node, p);
  if (node['x-kubernetes-map-type'] !== undefined) {
    if (type !== 'object') p('x-kubernetes-map-type only on objects');
    if (!['atomic', 'granular'].includes(String(node['x-kubernetes-map-type'])))
      p('x-kubernetes-map-type must be atomic or granular');
  }

  for (const [name, child] of Object.entries(node.properties ?? {})) {
    walk(child as Node, path === '' ? name : `${path}.${name}`, problems);
  }
  if (isPlainObject(node.additionalProperties))
    walk(node.additionalProperties as Node, `${path}{}`, problems);
  if (isPlainObject(node.items)) walk(node.items as Node, `${path}[]`, problems);
}

function checkListType(node: Node, p: (msg: string) => void): void {
  const listType = node['x-kubernetes-list-type'];
  const keys = node['x-kubernetes-list-map-keys'];
  if (listType === undefined) {
    if (keys !== undefined) p('x-kubernetes-list-map-keys needs x-kubernetes-list-type: map');
    return;
  }
  if (node.type !== 'array') p('x-kubernetes-list-type only on arrays');
  const items = (node.items ?? {}) as Node;
  if (listType === 'set') {
    if (!SCALARS.has(String(items.type))) p('x-kubernetes-list-type set needs scalar items');
  } else if (listType === 'map') {
    if (items.type !== 'object') p('x-kubernetes-list-type map needs object items');
    if (!Array.isArray(keys) || keys.length === 0) {
      p('x-kubernetes-list-type map needs x-kubernetes-list-map-keys');
      return;
    }
    for (const key of keys as string[]) {
      const prop = items.properties?.[key];
      if (!prop) p(`list map key ${key} is not a property of the items`);
      else if (!SCALARS.has(String(prop.type))) p(`list map key ${key} must be a scalar`);
      if (!(items.required ?? []).includes(key) && prop?.default === undefined) {
        p(`list map key ${key} must be required or have a default`);
      }
    }
  } else if (listType !== 'atomic') {
    p(`x-kubernetes-list-type ${String(listType)} is not atomic, set or map`);
  }
}

// CRD patterns are evaluated by Go's RE2: no lookaround, no backreferences.
function checkPattern(pattern: string, p: (msg: string) => void): void {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    p(`pattern does not compile: ${(err as Error).message}`);
  }
  if (/\(\?<?[=!]/.test(pattern)) p('pattern uses lookaround, which RE2 lacks');
  if (/\\[1-9]/.test(pattern)) p('pattern uses a backreference, which RE2 lacks');
}

function valueHasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

/** Problems with a whole CRD: names, versions, subresources, printer columns and the schema. */
export function checkCrd(crd: CustomResourceDefinition): string[] {
  const problems: string[] = [];
  const p = (msg: string) => problems.push(msg);
  const { spec } = crd;
  if (crd.apiVersion !== 'apiextensions.k8s.io/v1') p('apiVersion must be apiextensions.k8s.io/v1');
  if (crd.kind !== 'CustomResourceDefinition') p('kind must be CustomResourceDefinition');
  if (crd.metadata.name !== `${spec.names.plural}.${spec.group}`) p('metadata.name must be <plural>.<group>');
  if (!DNS_SUBDOMAIN.test(spec.group) || !spec.group.includes('.'))
    p(`group ${spec.group} must be a DNS subdomain with a dot`);
  const { names } = spec;
  if (!DNS_LABEL.test(names.plural)) p(`names.plural ${names.plural} must be a lowercase DNS label`);
  if (!DNS_LABEL.test(names.singular)) p(`names.singular ${names.singular} must be a lowercase DNS label`);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(names.kind)) p(`names.kind ${names.kind} must be CamelCase`);
  if (names.listKind !== `${names.kind}List`) p('names.listKind should be <kind>List');
  for (const s of names.shortNames ?? [])
    if (!DNS_LABEL.test(s)) p(`short name ${s} must be a lowercase DNS label`);
  for (const c of names.categories ?? [])
    if (!DNS_LABEL.test(c)) p(`category ${c} must be a lowercase DNS label`);
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') p('scope must be Namespaced or Cluster');
  if (spec.versions.length === 0) p('at least one version');
  if (spec.versions.filter((v) => v.storage).length !== 1) p('exactly one storage version');

  for (const v of spec.versions) {
    const where = `versions[${v.name}]`;
    if (!/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(v.name))
      p(`${where}: version name should look like v1, v1beta1`);
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) {
      p(`${where}: schema.openAPIV3Schema is required in v1`);
      continue;
    }
    for (const s of checkStructuralSchema(schema)) p(`${where}: ${s}`);
    if (v.subresources?.status !== undefined) {
      if (Object.keys(v.subresources.status).length > 0) p(`${where}: subresources.status must be {}`);
      if (!schema.properties?.status) p(`${where}: status subresource without a status schema`);
    }
    const seen = new Set<string>();
    for (const col of v.additionalPrinterColumns ?? []) {
      const c = `${where}: printer column ${col.name}`;
      if (!col.name) p(`${where}: printer column without a name`);
      if (seen.has(col.name)) p(`${c}: duplicate name`);
      seen.add(col.name);
      if (!COLUMN_TYPES.has(col.type)) p(`${c}: type ${col.type} is not allowed`);
      if (col.format !== undefined && !COLUMN_FORMATS.has(col.format))
        p(`${c}: format ${col.format} is not allowed`);
      if (col.priority !== undefined && (!Number.isInteger(col.priority) || col.priority < 0))
        p(`${c}: bad priority`);
      const missing = jsonPathProblem(schema, col.jsonPath);
      if (missing) p(`${c}: ${missing}`);
    }
  }
  return problems;
}

/**
 * Follows a printer column's JSONPath through the schema, so that a typo in a
 * column (which kubectl would show as an always-empty column) is caught.
 * Understands `.a.b`, `[*]`, `[0]` and filters `[?(...)]`.
 */
export function jsonPathProblem(schema: JSONSchemaProps, jsonPath: string): string | undefined {
  if (!jsonPath.startsWith('.')) return `jsonPath ${jsonPath} must start with a dot`;
  const tokens = jsonPath.match(/\.(?:[A-Za-z0-9_/-]|\\\.)+|\[[^\]]*\]/g) ?? [];
  if (tokens.join('') !== jsonPath) return `jsonPath ${jsonPath} is not a simple path`;
  if (tokens[0] === '.metadata') return undefined;
  let node: JSONSchemaProps | undefined = schema;
  for (const t of tokens) {
    if (!node) break;
    if (t.startsWith('[')) {
      if (node.type !== 'array') return `jsonPath ${jsonPath}: ${t} applied to a non-array`;
      node = node.items;
    } else {
      const name = t.slice(1);
      node = node.properties?.[name] ?? node.additionalProperties;
      if (!node) return `jsonPath ${jsonPath}: no field ${name}`;
    }
  }
  return undefined;
}
