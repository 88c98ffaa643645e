// Building blocks shared by the kind schemas. Conventions every kind follows,
// because src/apis/crd.ts relies on them to produce structural CRD schemas:
// - objects are closed (`closed()`, additionalProperties: false) unless they are
//   explicitly marked with x-kubernetes-preserve-unknown-fields (`openObject()`);
// - enumerations are unions of string literals (`StringEnum()`);
// - maps are Type.Record(Type.String(), ...).
import {
  FormatRegistry,
  type SchemaOptions,
  type TLiteral,
  type TObject,
  type TProperties,
  type TUnion,
  Type,
} from '@sinclair/typebox';

// TypeBox refuses strings whose format it does not know, so the formats our
// schemas use are registered here, next to the schemas that use them.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));
}
if (!FormatRegistry.Has('byte')) FormatRegistry.Set('byte', (v) => BASE64.test(v));

/** An object that rejects unknown fields (the default for everything we own). */
export function closed<T extends TProperties>(properties: T, options: SchemaOptions = {}): TObject<T> {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

/** An object whose unknown fields are kept: only where the content is really free-form. */
export function openObject<T extends TProperties>(properties: T, options: SchemaOptions = {}): TObject<T> {
  return Type.Object(properties, { ...options, 'x-kubernetes-preserve-unknown-fields': true });
}

type LiteralTuple<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/** A closed set of strings; becomes `enum` in the CRD. */
export function StringEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  options: SchemaOptions = {},
): TUnion<LiteralTuple<T>> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<LiteralTuple<T>>;
}

export const StringMap = (options: SchemaOptions = {}) => Type.Record(Type.String(), Type.String(), options);

export const Time = (options: SchemaOptions = {}) => Type.String({ ...options, format: 'date-time' });

export const Int64 = (options: SchemaOptions = {}) => Type.Integer({ ...options, format: 'int64' });
export const Int32 = (options: SchemaOptions = {}) => Type.Integer({ ...options, format: 'int32' });

/** intstr.IntOrString: becomes x-kubernetes-int-or-string in the CRD. */
export const IntOrString = (options: SchemaOptions = {}) =>
  Type.Union([Type.Integer(), Type.String()], options);

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const DNS1123_LABEL = `^${DNS_LABEL}$`;
/** A label or annotation key: optional DNS-subdomain prefix and a name of 63 characters at most. */
export const QUALIFIED_NAME = `^(${DNS_LABEL}(\\.${DNS_LABEL})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`;

export const NamespaceName = (options: SchemaOptions = {}) =>
  Type.String({ ...options, pattern: DNS1123_LABEL, maxLength: 63 });

export const SelectorOperator = StringEnum(['In', 'NotIn', 'Exists', 'DoesNotExist'], {
  description: 'In and NotIn need values; Exists and DoesNotExist need none.',
});

/** metav1.LabelSelectorRequirement. */
export const SelectorRequirement = closed({
  key: Type.String({ minLength: 1 }),
  operator: SelectorOperator,
  values: Type.Optional(Type.Array(Type.String())),
});

/** metav1.LabelSelector: matchLabels and matchExpressions are ANDed. */
export const LabelSelector = closed(
  {
    matchLabels: Type.Optional(StringMap()),
    matchExpressions: Type.Optional(Type.Array(SelectorRequirement)),
  },
  { description: 'A label selector; an empty selector matches everything.' },
);

/** Like a label selector, applied to annotations. */
export const AnnotationSelector = closed({
  matchAnnotations: Type.Optional(StringMap()),
  matchExpressions: Type.Optional(Type.Array(SelectorRequirement)),
});

export const NamespacedName = closed({
  name: Type.String({ minLength: 1 }),
  namespace: Type.String({ minLength: 1 }),
});

/** metav1.Condition, with the validation apimachinery gives it. */
export const Condition = closed({
  type: Type.String({
    maxLength: 316,
    pattern: `^(${DNS_LABEL}(\\.${DNS_LABEL})*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`,
    description: 'Condition type in CamelCase, e.g. Ready.',
  }),
  status: StringEnum(['True', 'False', 'Unknown']),
  observedGeneration: Type.Optional(Int64({ minimum: 0 })),
  lastTransitionTime: Time({ description: 'When the condition last changed status.' }),
  reason: Type.String({
    minLength: 1,
    maxLength: 1024,
    pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    description: 'Machine-readable CamelCase reason for the last transition.',
  }),
  message: Type.String({ maxLength: 32768, description: 'Human-readable details, naming the cause.' }),
});

/** status.conditions: a list keyed by type, as apimachinery declares it. */
export const Conditions = (options: SchemaOptions = {}) =>
  Type.Array(Condition, {
    ...options,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  });

export const ObservedGeneration = () =>
  Int64({ minimum: 0, description: 'The metadata.generation this status was computed from.' });
