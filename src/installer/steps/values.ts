// Step "values": the values a component's chart is rendered with — defaults,
// then what follows from the rest of the manifest, then the user's
// valuesOverride, parsed once here. Invalid YAML is a Failed result naming the
// place, never a crash. Pure, but for the parse cache (override/parse.ts).
import { parseOverride } from '../override/parse.ts';
import type { ComponentContext, ComponentDef, ComponentResult, Values } from '../types.ts';
import { componentValues } from '../values.ts';

export type ValuesOutcome =
  | { ok: true; values: Values }
  | { ok: false; result: Omit<ComponentResult, 'name'> };

export function valuesStep(def: ComponentDef, ctx: ComponentContext): ValuesOutcome {
  const block = def.block(ctx.spec);
  const override = parseOverride(block.valuesOverride, block.path);
  if (!override.ok) return { ok: false, result: { status: 'Failed', message: override.error } };
  return {
    ok: true,
    values: componentValues(def.defaultValues, def.derivedValues?.(ctx) ?? {}, override.values),
  };
}
