/**
 * How JavaScript values stand in for Go values inside the template engine.
 *
 *   Go                          JavaScript
 *   invalid reflect.Value       undefined   (a missing map key; prints "<no value>")
 *   nil                         null
 *   string                      string
 *   bool                        boolean
 *   int                         safe integer number (|n| < 2^53)
 *   int64                       bigint (sprig's arithmetic returns int64; so do integer literals past 2^53)
 *   float64                     non-integral number, or a GoFloat (a float that happens to be integral,
 *                               e.g. the literal 3.0, which Go prints as 3 but still treats as a float)
 *   map[string]interface{}      plain object (prototype Object.prototype or null) or Map
 *   []interface{}               array
 *   struct pointer              any other object (class instance); its fields are its properties
 *   method                      function-valued property of an object
 *
 * int and int64 are told apart by representation: both have kind "int", and Go's rule that an int64
 * is not assignable to an int parameter holds.
 */

/**
 * A value of a named string type (Go's `type UID string`): it prints and compares as its string,
 * but is not assignable to a string parameter, exactly as in Go (`upper .Cluster.Spec.ClusterID`
 * is an error there: "expected string; got types.UID").
 */
export class GoNamedString {
  readonly goType: string;
  readonly value: string;
  constructor(goType: string, value: string) {
    this.goType = goType;
    this.value = value;
  }
  /** For JavaScript callers (String(v)); templates cannot reach it. */
  toString(): string {
    return this.value;
  }
}

/** A Go struct value (not a pointer) of a named type: fields in declaration order, no methods. */
class GoStruct {}

/**
 * How encoding/json writes a value that is not a plain map or slice: a struct's fields under
 * their json tag names, in declaration order (`entries`), or a MarshalJSON result (`value`).
 */
export type JsonForm =
  | { readonly entries: ReadonlyArray<readonly [string, unknown]> }
  | { readonly value: unknown };

const jsonForms = new WeakMap<object, () => JsonForm>();

export function withJsonForm<T extends object>(v: T, form: () => JsonForm): T {
  jsonForms.set(v, form);
  return v;
}

export function jsonFormOf(v: unknown): JsonForm | undefined {
  return typeof v === 'object' && v !== null ? jsonForms.get(v)?.() : undefined;
}

/** encoding/json's omitempty test. */
function emptyForJson(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false || v === 0 || v === 0n) return true;
  if (v instanceof GoNamedString) return v.value === '';
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

/**
 * Build a struct value of Go type `type` with these fields (their order is Go's field order).
 * `json` gives the fields' json tags ("name" or "name,omitempty") for toJson and toYaml.
 */
export function goStruct(
  type: string,
  fields: Record<string, unknown>,
  json?: Record<string, string>,
): object {
  const s = new GoStruct();
  for (const [k, v] of Object.entries(fields)) {
    Object.defineProperty(s, k, { value: v, enumerable: true });
  }
  if (json !== undefined) {
    withJsonForm(s, () => ({
      entries: Object.entries(fields).flatMap(([k, v]): Array<[string, unknown]> => {
        const [name = k, opt] = (json[k] ?? k).split(',');
        return opt === 'omitempty' && emptyForJson(v) ? [] : [[name, v]];
      }),
    }));
  }
  return withGoType(Object.freeze(s), type);
}

/** A Go []byte: a Uint8Array (prints as [104 101 ...], %s prints its text, toJson base64). */
export function goBytes(b: Uint8Array): Uint8Array {
  return withGoType(b, '[]uint8');
}

/** A float64 whose value is integral; without the box it would be mistaken for an int. */
export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export type GoKind =
  | 'invalid'
  | 'nil'
  | 'string'
  | 'bool'
  | 'int'
  | 'float'
  | 'map'
  | 'slice'
  | 'struct'
  | 'func';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function kindOf(v: unknown): GoKind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      // Integers past 2^53 have already lost precision: they can only have been floats.
      return Number.isSafeInteger(v) ? 'int' : 'float';
    case 'function':
      return 'func';
    case 'object':
      if (v instanceof GoFloat) return 'float';
      if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
      if (v instanceof Map || isPlainObject(v)) return 'map';
      return 'struct';
    default:
      // symbols: nothing in Go looks like them; treat as an opaque struct.
      return 'struct';
  }
}

/**
 * Go types of values whose JavaScript shape does not say it: a []string from splitList, a
 * map[string]string from split or GetLabels, a *semver.Version. Untagged arrays are
 * []interface {}, untagged maps map[string]interface {}.
 */
const goTypes = new WeakMap<object, string>();

/** Tag a value with its Go type (for %T, error messages and Go's assignability checks). */
export function withGoType<T extends object>(v: T, type: string): T {
  goTypes.set(v, type);
  return v;
}

/** The Go type a value was tagged with, if any. */
export function taggedGoType(v: unknown): string | undefined {
  return typeof v === 'object' && v !== null ? goTypes.get(v) : undefined;
}

/** A map[string]string (Go's type for labels, annotations and sprig's split). */
export function goStringMap(entries: Record<string, string>): Record<string, string> {
  // An ordinary object (keys are defined, never assigned, so "__proto__" is just a key).
  const m: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) setKey(m, k, v);
  return withGoType(m, 'map[string]string');
}

/** The Go type name used in error messages and by %T. */
export function goTypeName(v: unknown): string {
  const tagged = taggedGoType(v);
  if (tagged !== undefined) return tagged;
  if (v instanceof GoNamedString) return v.goType;
  if (v instanceof Uint8Array) return '[]uint8';
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'int':
      return typeof v === 'bigint' ? 'int64' : 'int';
    case 'float':
      return 'float64';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'func':
      return 'func';
    default: {
      const name = (v as object).constructor?.name;
      return typeof name === 'string' && name !== '' ? `*${name}` : 'struct';
    }
  }
}

/** The numeric value of an int or float; 0 for anything else. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoFloat) return v.value;
  return 0;
}

/**
 * Map entries the way a template sees them: function-valued entries of a plain object are its
 * methods, not its elements. Keys are sorted like Go's fmt and range do.
 */
export function mapEntries(m: unknown): Array<[unknown, unknown]> {
  let entries: Array<[unknown, unknown]>;
  if (m instanceof Map) {
    entries = [...m.entries()];
  } else {
    entries = Object.keys(m as object)
      .map((k): [unknown, unknown] => [k, (m as Record<string, unknown>)[k]])
      .filter(([, v]) => typeof v !== 'function' && v !== undefined);
  }
  return entries.sort((a, b) => compareKeys(a[0], b[0]));
}

function mapSize(m: unknown): number {
  return mapEntries(m).length;
}

/** Go's fmtsort order for the keys we can meet: numbers numerically, strings bytewise, mixed by kind. */
function compareKeys(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if ((ka === 'int' || ka === 'float') && (kb === 'int' || kb === 'float')) {
    return toNumber(a) - toNumber(b);
  }
  if (ka === 'string' && kb === 'string') return compareBytes(a as string, b as string);
  if (ka === 'bool' && kb === 'bool') return Number(a) - Number(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Go compares strings by UTF-8 bytes, which is code point order, not UTF-16 unit order. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const ca = [...a];
  const cb = [...b];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i]!.codePointAt(0)!;
    const y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

/** Go's truth: false, 0, nil, empty string/map/slice and a missing value are false; structs are true. */
export function isTrue(v: unknown): boolean {
  if (v instanceof GoNamedString) return v.value !== '';
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'string':
      return (v as string).length > 0;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return toNumber(v) !== 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return mapSize(v) > 0;
    default:
      return true;
  }
}

/** Own property lookup that never reaches Object.prototype (no constructor, no __proto__). */
export function ownValue(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * A method of a class instance: a function found on its prototype chain below Object.prototype.
 * `constructor` is never a method, so templates cannot reach Function.
 */
export function findMethod(obj: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (name === 'constructor' || name === '__proto__') return undefined;
  const own = ownValue(obj, name);
  if (typeof own === 'function') return own as (...args: unknown[]) => unknown;
  let proto = Object.getPrototypeOf(obj);
  while (proto !== null && proto !== Object.prototype && proto !== Function.prototype) {
    const desc = Object.getOwnPropertyDescriptor(proto, name);
    if (desc !== undefined) {
      return typeof desc.value === 'function' ? (desc.value as (...args: unknown[]) => unknown) : undefined;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}

/** Store a key in a map without ever touching a prototype (a "__proto__" key is just a key). */
export function setKey(m: object, key: string, value: unknown): void {
  if (m instanceof Map) {
    m.set(key, value);
    return;
  }
  Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
}

const nilMaps = new WeakSet<object>();

/** A nil map[string]interface {}: prints as map[], ranges over nothing, refuses `set`. */
export function nilMap(): Record<string, unknown> {
  const m = Object.freeze(newMap());
  nilMaps.add(m);
  return m;
}

export function isNilMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null && nilMaps.has(v);
}

/** A nil []interface {}: prints as [], encodes as null (what sprig's rest of an empty list gives). */
export function nilSlice(): unknown[] {
  const a = Object.freeze([]) as unknown as unknown[];
  nilMaps.add(a);
  return a;
}

/** A nil map or slice: encoding/json writes null for it. */
export function isNilContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null && nilMaps.has(v);
}

export function newMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}
