// Turns `--set` pairs and environment variables into each controller's typed
// options, as its entry's schema declares them. For each option, first match:
//   --set <controller>.<option>=v   (the one style new charts use)
//   --set <option>=v or an alias    (older, un-prefixed keys; applied to every
//                                    running controller that declares it)
//   $ENV from the schema's `env`, then the schema's `default`.
// A value is converted from text by the property's type and checked against
// the schema; a key no running controller knows is an error that names it.
import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ControllerEntry, OperatorContext, OptionAnnotations } from './controller-entry.ts';
import type { Manager } from './manager.ts';

type Env = Record<string, string | undefined>;
type Annotated = TSchema &
  OptionAnnotations & { type?: string; items?: TSchema; anyOf?: TSchema[]; const?: unknown };

/** Splits "key=value" flags; a flag without "=" is an error. */
export function parseSetFlags(flags: readonly string[]): [string, string][] {
  return flags.map((kv) => {
    const eq = kv.indexOf('=');
    if (eq < 1) throw new Error(`--set ${kv}: expected key=value`);
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  });
}

/** Each entry's options, by entry name; throws one message listing every problem. */
export function resolveOptions(
  entries: readonly ControllerEntry[],
  sets: readonly [string, string][],
  env: Env,
): Map<string, Record<string, unknown>> {
  const problems: string[] = [];
  const used = new Set<string>();
  const out = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const values: Record<string, unknown> = {};
    for (const [option, schema] of Object.entries(properties(entry.options))) {
      const keys = [`${entry.name}.${option}`, option, ...(schema.aliases ?? [])];
      const fromSet = findLast(sets, keys);
      // Every key naming this option is known, also one a more specific key overrides.
      for (const [key] of sets) if (keys.includes(key)) used.add(key);
      let text: string | undefined;
      let source: string;
      if (fromSet) {
        text = fromSet[1];
        source = `--set ${fromSet[0]}=${fromSet[1]}`;
      } else if (schema.env && env[schema.env] !== undefined && env[schema.env] !== '') {
        text = env[schema.env];
        source = `$${schema.env}=${text}`;
      } else {
        source = '';
      }
      if (text === undefined) {
        if (schema.default !== undefined) values[option] = structuredClone(schema.default);
        continue;
      }
      const converted = fromText(schema, text);
      if (converted.error || !Value.Check(schema, converted.value)) {
        problems.push(`${source}: ${entry.name}.${option} ${converted.error ?? describe(schema)}`);
        continue;
      }
      values[option] = converted.value;
    }
    out.set(entry.name, values);
  }
  for (const [key] of sets) {
    if (used.has(key)) continue;
    const prefix = key.includes('.') ? key.slice(0, key.indexOf('.')) : undefined;
    const running = entries.map((e) => e.name);
    if (prefix && !running.includes(prefix)) {
      problems.push(
        `--set ${key}: controller ${prefix} is not running (running: ${running.join(', ') || 'none'})`,
      );
    } else {
      const known = entries.flatMap((e) => Object.keys(properties(e.options)).map((o) => `${e.name}.${o}`));
      problems.push(`--set ${key}: unknown option (known: ${known.join(', ') || 'none'})`);
    }
  }
  if (problems.length) throw new Error(`invalid controller options:\n  ${problems.join('\n  ')}`);
  return out;
}

/** One line per option, for `sdm operator --list`. */
export function describeOptions(entry: ControllerEntry): string[] {
  return Object.entries(properties(entry.options)).map(([option, schema]) => {
    const parts = [`--set ${entry.name}.${option}=<${typeName(schema)}>`];
    if (schema.description) parts.push(schema.description);
    if (schema.default !== undefined) parts.push(`(default ${JSON.stringify(schema.default)})`);
    if (schema.env) parts.push(`[env ${schema.env}]`);
    if (schema.aliases?.length) parts.push(`[also ${schema.aliases.join(', ')}]`);
    return parts.join('  ');
  });
}

function properties(s: TObject): Record<string, Annotated> {
  return s.properties as Record<string, Annotated>;
}

function findLast(sets: readonly [string, string][], keys: string[]): [string, string] | undefined {
  // The namespaced key wins over older ones; among equal keys the last flag wins.
  for (const key of keys) {
    for (let i = sets.length - 1; i >= 0; i--) if (sets[i]![0] === key) return sets[i];
  }
  return undefined;
}

function fromText(schema: Annotated, text: string): { value?: unknown; error?: string } {
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      return Number.isFinite(n) ? { value: n } : { error: `must be a number, got ${JSON.stringify(text)}` };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { error: `must be true or false, got ${JSON.stringify(text)}` };
    case 'array':
      return {
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    default:
      return { value: text };
  }
}

function describe(schema: Annotated): string {
  const values = enumValues(schema);
  if (values) return `must be one of ${values.join(', ')}`;
  const rules: string[] = [];
  if (schema.minimum !== undefined) rules.push(`>= ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) rules.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) rules.push(`<= ${schema.maximum}`);
  if (schema.pattern !== undefined) rules.push(`matching ${schema.pattern}`);
  if (schema.minLength !== undefined) rules.push(`at least ${schema.minLength} characters`);
  const type = typeName(schema);
  return `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}${rules.length ? ` ${rules.join(', ')}` : ''}`;
}

function enumValues(schema: Annotated): string[] | undefined {
  if (!schema.anyOf?.every((s) => typeof (s as Annotated).const === 'string')) return undefined;
  return schema.anyOf.map((s) => String((s as Annotated).const));
}

function typeName(schema: Annotated): string {
  const values = enumValues(schema);
  if (values) return values.join('|');
  if (schema.type === 'array') return 'a,b,...';
  if (schema.type === 'integer') return 'integer';
  return schema.type ?? 'value';
}

/**
 * Parses flags (un-prefixed or "<name>.<option>" keys) for one entry and
 * registers it: what the operator does per controller, for tests and benches
 * that run one controller in-process.
 */
export async function registerController(
  entry: ControllerEntry,
  manager: Manager,
  flags: Record<string, string> = {},
  options: { env?: Env; context?: OperatorContext } = {},
): Promise<void> {
  const resolved = resolveOptions([entry], Object.entries(flags), options.env ?? {});
  await entry.register(manager, resolved.get(entry.name) ?? {}, options.context ?? {});
}
