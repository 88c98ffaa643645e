// Checking a manifest against a kind before it reaches the cluster (the CLI
// does this for `sdm install -f`), with messages that name the field.
import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { AnyKindDef, ResourceOf } from './kind.ts';
import { DNS1123_LABEL, QUALIFIED_NAME } from './schema.ts';

export interface FieldError {
  /** Where, as people write it: spec.rules[0].mutations.overrides[1].type */
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Validates a whole object (apiVersion, kind, metadata, spec, status) against
 * a kind. Like the API server, fields set to null are dropped first (they are
 * pruned there, not refused); the value returned is that pruned copy.
 */
export function validate<K extends AnyKindDef>(
  def: K,
  object: unknown,
): ValidationResult<ResourceOf<K['schema']>> {
  const value = dropNulls(object);
  const errors: FieldError[] = [];
  if (isRecord(value)) {
    if (value.apiVersion !== undefined && value.apiVersion !== def.apiVersion) {
      errors.push({
        path: 'apiVersion',
        message: `must be ${def.apiVersion}, got ${JSON.stringify(value.apiVersion)}`,
      });
    }
    if (value.kind !== undefined && value.kind !== def.kind) {
      errors.push({ path: 'kind', message: `must be ${def.kind}, got ${JSON.stringify(value.kind)}` });
    }
  }
  errors.push(...validateValue(def.schema, value));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: value as ResourceOf<K['schema']> };
}

/** Field errors of a value against any of our schemas (e.g. a spec or a status alone). */
export function validateValue(schema: TSchema, value: unknown, basePath = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    const path = joinPath(basePath, humanPath(value, e.path));
    // TypeBox may report one bad field several ways; the first is the most specific.
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, message: describe(e) });
  }
  return out;
}

/** One line per error, for a terminal or a status message. */
export function formatErrors(errors: readonly FieldError[], prefix = ''): string {
  return errors.map((e) => `${prefix}${e.path || '(root)'}: ${e.message}`).join('\n');
}

const PATTERN_MEANING: Record<string, string> = {
  [DNS1123_LABEL]: 'must be a lowercase DNS label (a-z, 0-9 and -, starting and ending alphanumeric)',
  [QUALIFIED_NAME]: 'must be a label key, like example.com/name',
};

function describe(e: ValueError): string {
  const got = describeValue(e.value);
  switch (e.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return 'unknown field';
    case ValueErrorType.ObjectRequiredProperty:
      return 'required field is missing';
    case ValueErrorType.Union: {
      const members = (e.schema.anyOf ?? []) as TSchema[];
      if (members.length > 0 && members.every((m) => 'const' in m)) {
        return `must be one of ${members.map((m) => String(m.const)).join(', ')}; got ${got}`;
      }
      return `must be ${members.map((m) => article(String(m.type))).join(' or ')}; got ${got}`;
    }
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(e.schema.const)}; got ${got}`;
    case ValueErrorType.StringFormat:
      return e.schema.format === 'date-time'
        ? `must be an RFC 3339 date-time (like 2024-01-02T15:04:05Z); got ${got}`
        : `must be in format ${String(e.schema.format)}; got ${got}`;
    case ValueErrorType.StringPattern:
      return (
        PATTERN_MEANING[String(e.schema.pattern)] ?? `must match ${String(e.schema.pattern)}; got ${got}`
      );
    case ValueErrorType.StringMinLength:
      return e.schema.minLength === 1
        ? 'must not be empty'
        : `must be at least ${e.schema.minLength} characters`;
    case ValueErrorType.Array:
    case ValueErrorType.Boolean:
    case ValueErrorType.Integer:
    case ValueErrorType.Number:
    case ValueErrorType.Object:
    case ValueErrorType.String:
      return `must be ${article(String(e.schema.type))}; got ${got}`;
    default:
      return `${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`;
  }
}

function article(type: string): string {
  const noun = type === 'array' ? 'a list' : type === 'object' ? 'an object (a mapping)' : undefined;
  if (noun) return noun;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return `${typeof v} ${String(v)}`;
}

/** /spec/rules/0/match -> spec.rules[0].match, looking at the value to tell lists from maps. */
function humanPath(root: unknown, pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out += `[${key}]`;
      node = node[Number(key)];
    } else {
      out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)
        ? `${out === '' ? '' : '.'}${key}`
        : `[${JSON.stringify(key)}]`;
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return out;
}

function joinPath(base: string, rest: string): string {
  if (base === '') return rest;
  if (rest === '') return base;
  return rest.startsWith('[') ? `${base}${rest}` : `${base}.${rest}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (val !== null) out[k] = dropNulls(val);
  return out;
}
