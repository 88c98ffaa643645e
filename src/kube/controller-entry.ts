// What a controller offers the composition root (src/operator/controllers.ts):
// a name, a description, a typed options schema and a register function.
// Every controller folder has one entry file (entry.ts) exporting one of
// these; `sdm operator --controllers=<name>` runs it and
// `--set <name>.<option>=<value>` sets its options.
import type { Static, TObject } from '@sinclair/typebox';
import type { Manager } from './manager.ts';

/** Facts about the process, read once by the composition root and handed to every entry. */
export interface OperatorContext {
  /** The namespace the operator runs in ($POD_NAMESPACE), if it runs in a cluster. */
  podNamespace?: string;
}

export interface ControllerEntry<S extends TObject = TObject> {
  /** What --controllers names it by and the prefix of its --set options, e.g. "csrsigner". */
  readonly name: string;
  readonly description: string;
  /**
   * Its options: a TypeBox object of camelCase properties (string, number,
   * integer, boolean, string enum, string array as a comma list). A property
   * may declare `env: 'NAME'` (read when no --set gives it), `aliases`
   * (older --set keys still accepted) and `default`.
   */
  readonly options: S;
  /** Adds the controller's runnables to the manager. Options are parsed and validated. */
  register(manager: Manager, options: Static<S>, context: OperatorContext): Promise<void> | void;
}

/** A controller entry, with its options' type inferred from the schema. */
export function defineController<S extends TObject>(entry: ControllerEntry<S>): ControllerEntry<S> {
  return entry;
}

/** Schema annotations an option property may carry besides TypeBox's own. */
export interface OptionAnnotations {
  /** Environment variable read when no --set gives the option. */
  env?: string;
  /** Older --set keys (un-prefixed) still accepted, e.g. "probe-interval-ms". */
  aliases?: string[];
}
