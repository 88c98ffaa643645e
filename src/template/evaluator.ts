/**
 * Executes a parsed template against data, following Go's text/template exec.go: the same
 * walk over the tree, the same argument conversion and checks, the same error wording, and
 * Go's default missingkey behaviour (a missing map key is "<no value>").
 *
 * It is a sandbox: functions are the fixed table (no I/O, clock, environment or randomness),
 * and every run is bounded in evaluation steps, output bytes and template call depth.
 * Data objects may carry methods: a field lookup that finds a function calls it, with the
 * command's arguments when it is the command's last word, as Go does with method values.
 */
import { LimitError, lineCol, TemplateError } from './errors.ts';
import { type CallContext, FuncError, type GoFunction, goTypeString, type ParamType } from './functions.ts';
import type {
  ArgNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  IfNode,
  Node,
  NumberNode,
  ParsedTemplate,
  PipeNode,
  TemplateNode,
  VariableNode,
} from './parser.ts';
import { goQuote, nodeString } from './parser.ts';
import { Budget, goFloat, printValue } from './printf.ts';
import {
  findMethod,
  GoNamedString,
  goTypeName,
  isPlainObject,
  isTrue,
  kindOf,
  mapEntries,
  ownValue,
  taggedGoType,
} from './values.ts';

export interface Limits {
  /** Evaluation steps: nodes walked, commands run, calls (plus their string and list sizes), range iterations. */
  readonly maxSteps: number;
  /** Bytes of output (UTF-8); also caps any single string a function builds. */
  readonly maxOutputBytes: number;
  /** Nesting of {{template}} calls. */
  readonly maxDepth: number;
}

/** The "no piped value" marker for a command's final argument (Go's missingVal). */
const NO_FINAL: unique symbol = Symbol('no final');
type Final = unknown;

/** A function call costs one step per 2^COST_SHIFT characters of string arguments and results. */
const COST_SHIFT = 4;

/** Thrown by {{break}} and {{continue}}, caught by the enclosing range. */
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

interface Variable {
  readonly name: string;
  value: unknown;
  /** Holds a range element, whose static Go type is interface {} (it shows in error messages). */
  iface?: boolean;
}

type AnyNode = Node | ArgNode | CommandNode;

class State {
  readonly tmpl: ParsedTemplate;
  readonly funcs: ReadonlyMap<string, GoFunction>;
  readonly limits: Limits;
  readonly ctx: CallContext;
  /** Name of the template being executed (changes inside {{template}}). */
  name: string;
  vars: Variable[] = [];
  depth = 0;
  /** Dot is a range element, statically interface {} in Go. */
  dotIface = false;
  /** The node being evaluated, for error context (Go's s.at). */
  node: AnyNode | null = null;
  steps = 0;
  readonly out: string[] = [];
  outBytes = 0;

  constructor(tmpl: ParsedTemplate, funcs: ReadonlyMap<string, GoFunction>, limits: Limits) {
    this.tmpl = tmpl;
    this.funcs = funcs;
    this.limits = limits;
    this.name = tmpl.name;
    this.ctx = {
      maxBytes: limits.maxOutputBytes,
      budget: () => new Budget(limits.maxOutputBytes),
      // Thrown as a LimitError: the call reports it at its own node, in step()'s words.
      charge: (n: number) => {
        this.steps += n;
        if (this.steps > limits.maxSteps) {
          throw new LimitError(`evaluation exceeded the limit of ${limits.maxSteps} steps (maxSteps)`);
        }
      },
    };
  }

  at(node: AnyNode): void {
    this.node = node;
  }

  errorf(message: string): never {
    const parseName = this.tmpl.name;
    if (this.node === null) {
      throw new TemplateError(`template: ${this.name}: ${message}`, this.name);
    }
    const { line, col } = lineCol(this.tmpl.text, this.node.pos);
    throw new TemplateError(
      `template: ${parseName}:${line}:${col}: executing ${goQuote(this.name)} at <${nodeString(this.node)}>: ${message}`,
      this.name,
      line,
      col,
    );
  }

  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) {
      this.errorf(`evaluation exceeded the limit of ${this.limits.maxSteps} steps (maxSteps)`);
    }
  }

  /** Count steps for work done by a call, reporting at `node` if that exceeds the limit. */
  charge(node: AnyNode, n: number): void {
    if (this.steps + n > this.limits.maxSteps) this.at(node);
    this.step(n);
  }

  write(s: string): void {
    const bytes = Buffer.byteLength(s, 'utf8');
    if (this.outBytes + bytes > this.limits.maxOutputBytes) {
      this.errorf(`output exceeded the limit of ${this.limits.maxOutputBytes} bytes (maxOutputBytes)`);
    }
    this.outBytes += bytes;
    this.out.push(s);
  }

  // ---- variables ----

  push(name: string, value: unknown): void {
    this.vars.push({ name, value });
  }

  setVar(name: string, value: unknown, iface = false): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) {
        v.value = value;
        v.iface = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  /** Set the n-th variable from the top (1 is the top). */
  setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n]!;
    v.value = value;
    v.iface = iface;
  }

  findVar(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ----

  walk(dot: unknown, node: Node): void {
    this.at(node);
    if (node.type !== 'list') this.step();
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'if':
      case 'with':
        this.walkIfOrWith(dot, node);
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'text':
        this.write(node.text);
        return;
    }
  }

  walkIfOrWith(dot: unknown, node: IfNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) {
        if (node.type === 'with') {
          // The pipeline's value is unwrapped, so its Go type is concrete again.
          const dotIface = this.dotIface;
          this.dotIface = false;
          try {
            this.walk(val, node.list);
          } finally {
            this.dotIface = dotIface;
          }
        } else {
          this.walk(dot, node.list);
        }
      } else if (node.elseList !== null) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  walkRange(dot: unknown, r: IfNode): void {
    this.at(r);
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const bodyMark = this.vars.length;
      const decl = r.pipe.decl;
      // Slice and map elements are interface {} values in Go; integers from range-over-int are ints.
      let iface = true;
      const one = (index: unknown, elem: unknown): void => {
        this.at(r);
        this.step();
        if (decl.length > 0) {
          if (r.pipe.isAssign)
            this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem, decl.length === 1);
          else this.setTopVar(1, elem, true);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem, true);
          else this.setTopVar(2, index, false);
        }
        const dotIface = this.dotIface;
        this.dotIface = iface;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = bodyMark;
          this.dotIface = dotIface;
        }
      };
      try {
        switch (kindOf(val)) {
          case 'slice': {
            const items = val as unknown[];
            if (items.length === 0) break;
            for (let i = 0; i < items.length; i++) one(i, items[i] ?? null);
            return;
          }
          case 'map': {
            const entries = mapEntries(val);
            if (entries.length === 0) break;
            for (const [k, v] of entries) one(k, v);
            return;
          }
          case 'int': {
            if (decl.length > 1) {
              this.errorf(
                `can't use ${printValue(val, this.ctx.budget())} to iterate over more than one variable`,
              );
            }
            const n = typeof val === 'bigint' ? val : BigInt(val as number);
            if (n <= 0n) break;
            iface = false;
            // Go passes no index for integers: with one variable it gets the element.
            for (let i = 0n; i < n; i++) one(undefined, typeof val === 'bigint' ? i : Number(i));
            return;
          }
          case 'invalid':
          case 'nil':
            break; // nothing to iterate, not an error
          default:
            this.errorf(`range can't iterate over ${printValue(val, this.ctx.budget())}`);
        }
      } catch (e) {
        if (e === BREAK) return;
        throw e;
      }
      if (r.elseList !== null) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const tree = this.tmpl.trees.get(t.name);
    if (tree === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= this.limits.maxDepth) {
      this.errorf(`exceeded maximum template depth (${this.limits.maxDepth})`);
    }
    // Variables declared by the pipeline persist in the caller.
    const newDot = t.pipe === null ? undefined : this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, name: this.name };
    const savedIface = this.dotIface;
    this.vars = [{ name: '$', value: newDot }];
    this.name = t.name;
    this.depth++;
    this.dotIface = false;
    try {
      this.walk(newDot, tree);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.name = saved.name;
      this.dotIface = savedIface;
    }
  }

  printValue(node: Node, v: unknown): void {
    this.at(node);
    if (kindOf(v) === 'func') this.errorf(`can't print ${nodeString(node)} of type func`);
    const budget = new Budget(this.limits.maxOutputBytes - this.outBytes);
    let text: string;
    try {
      text = printValue(v, budget);
    } catch (e) {
      if (e instanceof LimitError && e.kind === 'size') {
        this.errorf(`output exceeded the limit of ${this.limits.maxOutputBytes} bytes (maxOutputBytes)`);
      }
      if (e instanceof LimitError) this.errorf(e.message);
      throw e;
    }
    this.write(text);
  }

  // ---- pipelines and commands ----

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface{} result becomes "no value", as Go unwraps interface values here.
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.push(v.ident[0]!, value);
    }
    return value;
  }

  evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    this.step();
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        // Parenthesized pipeline: its arguments are inside; it takes none from outside.
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
        break;
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== NO_FINAL) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
    }
  }

  /** A number literal as Go types an untyped constant: float if it looks like one, else int. */
  idealConstant(n: NumberNode): unknown {
    this.at(n);
    const t = n.text;
    const isHexInt = /^0[xX]/.test(t) && !/[pP]/.test(t);
    const isRune = t.startsWith("'");
    if (n.isFloat && !isHexInt && !isRune && /[.eEpP]/.test(t)) return goFloat(n.float);
    if (n.isInt) return intValue(n.int);
    this.errorf(`${t} overflows int`);
  }

  // ---- fields, variables, methods ----

  evalFieldNode(dot: unknown, field: FieldNode, args: readonly ArgNode[] | null, final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final, this.dotIface);
  }

  evalChainNode(dot: unknown, chain: ChainNode, args: readonly ArgNode[] | null, final: Final): unknown {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    // Go evaluates the operand with no expected type: a missing value stays missing.
    this.at(chain.node);
    const receiver =
      chain.node.type === 'pipe'
        ? this.evalPipeline(dot, chain.node)
        : chain.node.type === 'identifier'
          ? this.evalFunction(dot, chain.node, chain.node, null, NO_FINAL)
          : this.evalArg(dot, 'value', chain.node);
    return this.evalFieldChain(dot, receiver, chain, chain.field, args, final);
  }

  evalVariableNode(dot: unknown, v: VariableNode, args: readonly ArgNode[] | null, final: Final): unknown {
    this.at(v);
    const variable = this.findVar(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [v], final);
      return variable.value;
    }
    return this.evalFieldChain(
      dot,
      variable.value,
      v,
      v.ident.slice(1),
      args,
      final,
      variable.iface === true,
    );
  }

  evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: AnyNode,
    ident: readonly string[],
    args: readonly ArgNode[] | null,
    final: Final,
    iface = false,
  ): unknown {
    let r = receiver;
    const n = ident.length;
    for (let i = 0; i < n - 1; i++)
      r = this.evalField(dot, ident[i]!, node, null, NO_FINAL, r, iface || i > 0);
    return this.evalField(dot, ident[n - 1]!, node, args, final, r, iface || n > 1);
  }

  /**
   * One step of a field chain. `nested` says the receiver came out of a previous lookup, where
   * Go only knows its static type as interface {}.
   */
  evalField(
    dot: unknown,
    name: string,
    node: AnyNode,
    args: readonly ArgNode[] | null,
    final: Final,
    receiver: unknown,
    nested: boolean,
  ): unknown {
    if (receiver === undefined) return undefined; // missing key upstream: no value, no error
    const typeName = nested || receiver === null ? 'interface {}' : goTypeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typeName}.${name}`);
    // A named string type has neither fields nor (for templates) methods.
    if (receiver instanceof GoNamedString) this.errorf(`can't evaluate field ${name} in type ${typeName}`);
    const method = lookupMethod(receiver, name);
    if (method !== undefined) {
      const callable: GoFunction = {
        params: new Array<ParamType>(method.length).fill('any'),
        call: (_, a) => method.apply(receiver, a),
      };
      return this.evalCall(dot, callable, node, name, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== NO_FINAL;
    switch (kindOf(receiver)) {
      case 'map': {
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        const v = receiver instanceof Map ? receiver.get(name) : ownValue(receiver as object, name);
        return v;
      }
      case 'struct': {
        if (!(receiver instanceof GoNamedString) && Object.hasOwn(receiver as object, name)) {
          if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
          return (receiver as Record<string, unknown>)[name];
        }
        break;
      }
    }
    this.errorf(`can't evaluate field ${name} in type ${typeName}`);
  }

  // ---- functions ----

  evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: AnyNode,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.at(node);
    const f = this.funcs.get(node.name);
    if (f === undefined) this.errorf(`${goQuote(node.name)} is not a defined function`);
    return this.evalCall(dot, f, cmd, node.name, args, final);
  }

  evalCall(
    dot: unknown,
    f: GoFunction,
    node: AnyNode,
    name: string,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    const argNodes = args === null ? [] : args.slice(1);
    const numIn = argNodes.length + (final !== NO_FINAL ? 1 : 0);
    const numFixed = f.params.length;
    if (f.variadic !== undefined) {
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${argNodes.length}`);
      }
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    this.step();
    if (f.shortCircuit === true) {
      // and/or: evaluate left to right, stop at the first argument that decides.
      let v: unknown;
      for (const a of argNodes) {
        v = this.evalArg(dot, 'value', a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== NO_FINAL) v = this.validateType(final, 'value');
      return v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < argNodes.length; i++) argv.push(this.evalArg(dot, f.params[i]!, argNodes[i]!));
    if (f.variadic !== undefined) {
      for (; i < argNodes.length; i++) argv.push(this.evalArg(dot, f.variadic, argNodes[i]!));
    }
    if (final !== NO_FINAL) {
      let t: ParamType;
      if (f.variadic === undefined) t = f.params[numFixed - 1]!;
      else t = numIn - 1 < numFixed ? f.params[numIn - 1]! : f.variadic;
      argv.push(this.validateType(final, t));
    }
    // Work on strings is linear in their length: charge for it, so that no loop of calls on big
    // strings can run long within the step limit.
    this.charge(
      node,
      argv.reduce<number>((n, a) => n + (typeof a === 'string' ? a.length >> COST_SHIFT : 0), 0),
    );
    let result: unknown;
    try {
      result = f.call(this.ctx, argv);
    } catch (e) {
      this.at(node);
      if (e instanceof TemplateError) throw e;
      if (e instanceof LimitError) this.errorf(e.message);
      const message = e instanceof Error ? e.message : String(e);
      this.errorf(`error calling ${name}: ${message}`);
    }
    // Big results cost what building them cost.
    if (typeof result === 'string') {
      this.charge(node, result.length >> COST_SHIFT);
      if (result.length > this.limits.maxOutputBytes) {
        this.at(node);
        this.errorf(`result of ${name} exceeds the output limit of ${this.limits.maxOutputBytes} bytes`);
      }
    } else if (Array.isArray(result)) {
      this.charge(node, result.length);
    } else if (result instanceof Map) {
      this.charge(node, result.size);
    } else if (isPlainObject(result)) {
      this.charge(node, Object.keys(result).length);
    }
    // A JavaScript method that returns nothing returned nil, as far as Go is concerned.
    return result === undefined ? null : result;
  }

  /** Evaluate an argument for a parameter of type `typ`, converting and checking like Go. */
  evalArg(dot: unknown, typ: ParamType, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any' || typ === 'map') return null;
        if (typ === 'value') return undefined;
        this.errorf(`cannot assign nil to ${goTypeString(typ)}`);
        break;
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], NO_FINAL), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, NO_FINAL), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, NO_FINAL), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, NO_FINAL), typ);
    }
    // A literal.
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case 'float':
        if (n.type === 'number' && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case 'int':
        if (n.type === 'number' && n.isInt) return Number(n.int);
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case 'uint32':
        // reflect's SetUint keeps the low 32 bits, as Go does for a uint32 parameter.
        if (n.type === 'number' && n.isInt && n.int >= 0n) return Number(BigInt.asUintN(32, n.int));
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
        break;
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
      case 'map':
        this.errorf(`can't handle ${nodeString(n)} for arg of type ${goTypeString(typ)}`);
        break;
      default:
        // interface{} and reflect.Value take the literal's own value.
        if (n.type === 'bool') return n.value;
        if (n.type === 'string') return n.text;
        return this.idealConstant(n);
    }
  }

  /** Check a computed value against a parameter type (Go's validateType). */
  validateType(value: unknown, typ: ParamType): unknown {
    if (value === undefined) {
      if (typ === 'value') return undefined;
      if (typ === 'any' || typ === 'map') return null;
      this.errorf(`invalid value; expected ${goTypeString(typ)}`);
    }
    const k = kindOf(value);
    switch (typ) {
      case 'any':
      case 'value':
        // A named string passed on as interface{}: functions see its string (%T and typeOf would
        // say string, not types.UID; documented in the package comment).
        return value instanceof GoNamedString ? value.value : value;
      case 'string':
        if (k === 'string') return value;
        break;
      case 'bool':
        if (k === 'bool') return value;
        break;
      case 'int':
        // An int64 (bigint) is not assignable to int, as in Go.
        if (k === 'int' && typeof value !== 'bigint') return value;
        break;
      case 'float':
        if (k === 'float')
          return typeof value === 'number' ? value : Number((value as { value: number }).value);
        break;
      case 'map': {
        // Only a map[string]interface {} is assignable (not a map[string]string, say).
        const tagged = taggedGoType(value);
        if (k === 'map' && (tagged === undefined || tagged === 'map[string]interface {}')) return value;
        break;
      }
    }
    const got = value === null ? 'interface {}' : goTypeName(value);
    this.errorf(`wrong type for value; expected ${goTypeString(typ)}; got ${got}`);
  }
}

/** An int constant as a JS number when exact, else a bigint. */
function intValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * A method visible to templates: a function-valued own property of a plain object, or a
 * function on a class instance's prototype chain (never Object.prototype's, never constructor).
 * Maps, arrays and primitives expose none.
 */
function lookupMethod(receiver: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (
    typeof receiver !== 'object' ||
    receiver === null ||
    Array.isArray(receiver) ||
    receiver instanceof Map
  ) {
    return undefined;
  }
  if (isPlainObject(receiver)) {
    const v = ownValue(receiver, name);
    return typeof v === 'function' ? (v as (...args: unknown[]) => unknown) : undefined;
  }
  return findMethod(receiver, name);
}

/** Run the named tree of a parsed template set; returns the output. */
export function execute(
  tmpl: ParsedTemplate,
  funcs: ReadonlyMap<string, GoFunction>,
  data: unknown,
  limits: Limits,
): string {
  const s = new State(tmpl, funcs, limits);
  const root = tmpl.trees.get(tmpl.name);
  if (root === undefined)
    throw new TemplateError(`template: ${tmpl.name}: no template to execute`, tmpl.name);
  // Go's Execute(w, nil) sees no value at all.
  const dot = data === null ? undefined : data;
  s.vars = [{ name: '$', value: dot }];
  try {
    s.walk(dot, root);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (e instanceof RangeError) s.errorf(`execution failed: ${e.message}`);
    if (e instanceof FuncError || e instanceof LimitError) s.errorf(e.message);
    s.errorf(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return s.out.join('');
}
