/**
 * A Go text/template engine with the common sprig functions, for rendering override values in
 * the cluster registry (e.g. `{{ printf "%s-%s" .Object.GetName (trunc 4 (sha256sum .Cluster.GetName)) }}`).
 *
 * Why hand-written: no npm package implements Go templates faithfully (actions, pipelines,
 * variables, control structures, method values, Go's fmt and sprig semantics, Go's error
 * messages), and the values users write are Go templates. So this is a real lexer, parser and
 * evaluator modelled on Go's text/template, checked against Go + sprig v3 output.
 *
 * Implemented: text and actions; trim markers {{- -}}; comments; pipelines; parentheses;
 * variables ($x := / $x = / $); if / else if / else; range over slices, maps (sorted keys) and
 * integers, with $i, $v, else, break and continue; with / else with; define / template / block;
 * string, raw string, character, number (int, float, hex/octal/binary, underscores), bool and
 * nil literals; field chains, map keys and niladic or final-argument method calls on data
 * objects; Go truthiness; missing keys print "<no value>".
 * Functions: Go's builtins (but `call`), the sprig v3.3 functions listed in README.md (strings,
 * numbers, lists, dicts, Go's RE2 regular expressions through re2js, semver, encodings), and Helm's
 * toYaml, fromYaml and required. Functions that read the clock, randomness, the environment or the
 * network are refused by design, with a parse error that says so (refused.ts).
 * Go types that matter to templates are kept: int vs int64 (sprig arithmetic), []string,
 * map[string]string (labels, split), named strings (types.UID), []byte, struct values (values.ts).
 * Every deliberate difference from Go is listed in README.md and checked by the differential test
 * (test/unit/template/differential.test.ts), which runs thousands of generated templates through
 * this engine and through Go's.
 *
 * Sandbox: every render is bounded by maxSteps, maxOutputBytes, maxDepth and maxTemplateBytes, and every failure,
 * whatever the input, is a TemplateError. A step is a node walked, a command, a call or a range
 * iteration; a call also costs a step per 16 characters of its string arguments and result and
 * one per element of a list or map it returns, so work on big values exhausts the steps early.
 */
import { TemplateError } from './errors.ts';
import { execute, type Limits } from './evaluator.ts';
import { BUILTINS, type GoFunction } from './functions.ts';
import { type ParsedTemplate, parse } from './parser.ts';
import { refusal } from './refused.ts';
import { SPRIG } from './sprig.ts';
import { CASE_FUNCTIONS } from './sprig-case.ts';
import { COLLECTION_FUNCTIONS } from './sprig-collections.ts';
import { CRYPTO_FUNCTIONS } from './sprig-crypto.ts';
import { DURATION_FUNCTIONS } from './sprig-duration.ts';
import { FLOAT_FUNCTIONS } from './sprig-floats.ts';
import { JSON_FUNCTIONS } from './sprig-json.ts';
import { LIST_FUNCTIONS } from './sprig-lists.ts';
import { MORE_FUNCTIONS } from './sprig-more.ts';
import { PATHS } from './sprig-paths.ts';
import { REGEX_FUNCTIONS } from './sprig-regex.ts';
import { TEXT_FUNCTIONS } from './sprig-text.ts';
import { URL_FUNCTIONS } from './sprig-url.ts';

export { TemplateError } from './errors.ts';
export type { Limits } from './evaluator.ts';

/** Go's predefined functions, then sprig's (sprig wins on a clash, as with template.Funcs). */
const FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map([
  ...BUILTINS,
  ...SPRIG,
  ...REGEX_FUNCTIONS,
  ...MORE_FUNCTIONS,
  ...LIST_FUNCTIONS,
  ...PATHS,
  ...CASE_FUNCTIONS,
  ...FLOAT_FUNCTIONS,
  ...TEXT_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...DURATION_FUNCTIONS,
  ...CRYPTO_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...JSON_FUNCTIONS,
]);

/** Every function name a template may call (for tests and documentation). */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()].sort();

export const DEFAULT_LIMITS: Limits = {
  maxSteps: 100_000,
  maxOutputBytes: 1024 * 1024,
  maxDepth: 100,
};

/**
 * Largest template text parsed by default. Parsing is linear, but its memory is about 100 bytes
 * per byte of dense template text; override values are a few hundred bytes.
 */
export const DEFAULT_MAX_TEMPLATE_BYTES = 1024 * 1024;

export interface RenderOptions {
  /** Template name used in error messages (default "template"). Ignored for a parsed Template. */
  readonly name?: string;
  /** Evaluation steps allowed (default 100,000; see the module comment for what a step is). */
  readonly maxSteps?: number;
  /** Output size allowed, in UTF-8 bytes (default 1 MiB). */
  readonly maxOutputBytes?: number;
  /** Nesting of {{template}} calls allowed (default 100). */
  readonly maxDepth?: number;
  /** Size of the template text allowed, in UTF-8 bytes (default 1 MiB). */
  readonly maxTemplateBytes?: number;
}

/** A parsed template set: the main template and the ones it defines. Reusable across renders. */
export interface Template {
  readonly name: string;
  /** Names of all templates in the set, the main one included. */
  readonly templates: readonly string[];
  /** The parse tree; an implementation detail. */
  readonly parsed: ParsedTemplate;
}

/** Parse template text. Throws TemplateError for any syntax error, or a text over maxBytes. */
export function parseTemplate(
  text: string,
  name = 'template',
  maxBytes = DEFAULT_MAX_TEMPLATE_BYTES,
): Template {
  const size = Buffer.byteLength(String(text), 'utf8');
  if (size > maxBytes) {
    throw new TemplateError(
      `template: ${name}: the template is ${size} bytes, over the limit of ${maxBytes} bytes (maxTemplateBytes)`,
      name,
    );
  }
  let parsed: ParsedTemplate;
  try {
    parsed = parse(String(text), name, (fn) => FUNCTIONS.has(fn), refusal);
  } catch (e) {
    throw asTemplateError(e, name);
  }
  return { name, templates: [...parsed.trees.keys()], parsed };
}

/** Parse (unless given a parsed Template) and execute with `data` as dot. Returns the output. */
export function renderTemplate(template: string | Template, data: unknown, opts: RenderOptions = {}): string {
  const t =
    typeof template === 'string'
      ? parseTemplate(template, opts.name, opts.maxTemplateBytes ?? DEFAULT_MAX_TEMPLATE_BYTES)
      : template;
  const limits: Limits = {
    maxSteps: opts.maxSteps ?? DEFAULT_LIMITS.maxSteps,
    maxOutputBytes: opts.maxOutputBytes ?? DEFAULT_LIMITS.maxOutputBytes,
    maxDepth: opts.maxDepth ?? DEFAULT_LIMITS.maxDepth,
  };
  try {
    return execute(t.parsed, FUNCTIONS, data, limits);
  } catch (e) {
    throw asTemplateError(e, t.name);
  }
}

function asTemplateError(e: unknown, name: string): TemplateError {
  if (e instanceof TemplateError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new TemplateError(`template: ${name}: ${message}`, name);
}
