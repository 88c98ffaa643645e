/**
 * Parser: tokens to the syntax tree, following Go's text/template/parse. Checks done here, as in
 * Go, rather than at execution: unknown functions, undefined variables, break/continue outside
 * range, misplaced else/end, non-executable pipeline stages, duplicate template definitions.
 */
import { lineCol, parseError, TemplateError } from './errors.ts';
import { lex, type Token, type TokenType } from './lexer.ts';
import { parseNumber, unquoteChar, unquoteString } from './literals.ts';

interface BaseNode {
  readonly pos: number;
}

export interface TextNode extends BaseNode {
  readonly type: 'text';
  readonly text: string;
}
export interface ActionNode extends BaseNode {
  readonly type: 'action';
  readonly pipe: PipeNode;
}
export interface PipeNode extends BaseNode {
  readonly type: 'pipe';
  readonly isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode extends BaseNode {
  readonly type: 'command';
  readonly args: ArgNode[];
}
export interface FieldNode extends BaseNode {
  readonly type: 'field';
  readonly ident: string[];
}
export interface VariableNode extends BaseNode {
  readonly type: 'variable';
  /** Variable name then field names: $x.A.B is ['$x', 'A', 'B']. */
  readonly ident: string[];
}
export interface ChainNode extends BaseNode {
  readonly type: 'chain';
  readonly node: ArgNode;
  readonly field: string[];
}
export interface IdentifierNode extends BaseNode {
  readonly type: 'identifier';
  readonly name: string;
}
export interface DotNode extends BaseNode {
  readonly type: 'dot';
}
export interface NilNode extends BaseNode {
  readonly type: 'nil';
}
export interface BoolNode extends BaseNode {
  readonly type: 'bool';
  readonly value: boolean;
}
export interface NumberNode extends BaseNode {
  readonly type: 'number';
  readonly text: string;
  readonly isInt: boolean;
  readonly isFloat: boolean;
  readonly int: bigint;
  readonly float: number;
}
export interface StringNode extends BaseNode {
  readonly type: 'string';
  /** Source form, with quotes. */
  readonly quoted: string;
  readonly text: string;
}
export interface IfNode extends BaseNode {
  readonly type: 'if' | 'with' | 'range';
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}
export interface ListNode extends BaseNode {
  readonly type: 'list';
  readonly nodes: Node[];
}
export interface TemplateNode extends BaseNode {
  readonly type: 'template';
  readonly name: string;
  readonly pipe: PipeNode | null;
}
export interface BreakNode extends BaseNode {
  readonly type: 'break' | 'continue';
}

export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node = TextNode | ActionNode | IfNode | ListNode | TemplateNode | BreakNode;

/** Markers returned by the item parser for {{end}} and {{else}}; never stored in a tree. */
interface EndMark {
  readonly type: 'end' | 'else';
  readonly pos: number;
}

/** A parsed template set: the main template plus everything it defines. */
export interface ParsedTemplate {
  readonly name: string;
  readonly text: string;
  readonly trees: ReadonlyMap<string, ListNode>;
}

/** Deepest nesting of parentheses and control blocks; Go allows 10000, our stack is smaller. */
const MAX_DEPTH = 500;

class Parser {
  readonly text: string;
  readonly name: string;
  readonly tokens: Token[];
  readonly isFunction: (name: string) => boolean;
  /** The message for an unknown function, when there is more to say than Go's "not defined". */
  readonly unknown: ((name: string) => string | undefined) | undefined;
  readonly trees = new Map<string, ListNode>();
  index = 0;
  vars: string[] = ['$'];
  rangeDepth = 0;
  depth = 0;
  /** Where the action being parsed began (-1: none), for lexing errors on a later line. */
  actionPos = -1;

  constructor(
    text: string,
    name: string,
    isFunction: (name: string) => boolean,
    unknown?: (name: string) => string | undefined,
  ) {
    this.text = text;
    this.name = name;
    this.isFunction = isFunction;
    this.unknown = unknown;
    this.tokens = lex(text);
  }

  fail(pos: number, message: string): never {
    throw parseError(this.text, this.name, pos, message);
  }

  /** Error tokens are returned like any other; whoever cannot use a token reports it. */
  next(): Token {
    const t = this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
    this.index++;
    return t;
  }

  backup(n = 1): void {
    this.index -= n;
  }

  peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }

  nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }

  peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  unexpected(t: Token, context: string): never {
    if (t.type === 'error') {
      // A lexing error on a later line than its action began says where the action began.
      let extra = '';
      const line = lineCol(this.text, t.pos).line;
      const actionLine = this.actionPos < 0 ? 0 : lineCol(this.text, this.actionPos).line;
      if (actionLine !== 0 && actionLine !== line) {
        extra = ` in action started at ${this.name}:${actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.fail(t.pos, t.val + extra);
    }
    this.fail(t.pos, `unexpected ${describe(t)} in ${context}`);
  }

  enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) this.fail(pos, 'max expression depth exceeded');
  }

  leave(): void {
    this.depth--;
  }

  // ---- top level ----

  parseMain(): void {
    const root = this.newList(this.peek().pos);
    while (this.peek().type !== 'EOF') {
      if (this.peek().type === 'leftDelim') {
        const delimIndex = this.index;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.index = delimIndex;
      }
      const n = this.textOrAction();
      if (isEndMark(n)) this.fail(n.pos, `unexpected {{${n.type}}}`);
      root.nodes.push(n);
    }
    this.add(this.name, root, 0);
  }

  /** Record a named tree; an empty tree never replaces a non-empty one, two non-empty ones clash. */
  add(name: string, root: ListNode, pos: number): void {
    const existing = this.trees.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.trees.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.fail(pos, `template: multiple definition of template ${goQuote(name)}`);
  }

  parseDefinition(): void {
    const context = 'define clause';
    const nameToken = this.nextNonSpace();
    if (nameToken.type !== 'string' && nameToken.type !== 'rawString') this.unexpected(nameToken, context);
    const name = this.unquote(nameToken);
    this.expect('rightDelim', context);
    const outerVars = this.vars;
    this.vars = ['$'];
    const [root, end] = this.itemList();
    if (end.type !== 'end') this.fail(end.pos, `unexpected {{${end.type}}} in ${context}`);
    this.vars = outerVars;
    this.add(name, root, nameToken.pos);
  }

  // ---- lists and actions ----

  newList(pos: number): { type: 'list'; pos: number; nodes: Node[] } {
    return { type: 'list', pos, nodes: [] };
  }

  itemList(): [ListNode, EndMark] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== 'EOF') {
      const n = this.textOrAction();
      if (isEndMark(n)) return [list, n];
      list.nodes.push(n);
    }
    this.fail(this.peek().pos, 'unexpected EOF');
  }

  textOrAction(): Node | EndMark {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { type: 'text', pos: t.pos, text: t.val };
      case 'leftDelim': {
        this.actionPos = t.pos;
        const n = this.action();
        this.actionPos = -1;
        return n;
      }
      default:
        this.unexpected(t, 'input');
    }
  }

  action(): Node | EndMark {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.breakControl(t);
      case 'else':
        return this.elseControl();
      case 'end':
        this.expect('rightDelim', 'end');
        return { type: 'end', pos: t.pos };
      case 'if':
        return this.control('if', t.pos);
      case 'range':
        return this.control('range', t.pos);
      case 'with':
        return this.control('with', t.pos);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const pos = this.peek().pos;
    // Variables declared here stay in scope until the enclosing {{end}}.
    return { type: 'action', pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  breakControl(t: Token): BreakNode {
    const kind = t.type as 'break' | 'continue';
    const next = this.nextNonSpace();
    if (next.type !== 'rightDelim') this.unexpected(next, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.fail(t.pos, `{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos };
  }

  elseControl(): EndMark {
    // "{{else if" and "{{else with" leave the keyword pending; the caller nests it.
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos };
    const t = this.expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos };
  }

  control(kind: 'if' | 'with' | 'range', pos: number): IfNode {
    this.enter(pos);
    const savedVars = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    const [list, first] = this.itemList();
    let next = first;
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      const peek = this.peek();
      if ((kind === 'if' && peek.type === 'if') || (kind === 'with' && peek.type === 'with')) {
        // {{else if x}}...{{end}} is {{else}}{{if x}}...{{end}}{{end}}: one {{end}} closes both.
        this.next();
        const nested = this.newList(next.pos);
        nested.nodes.push(this.control(kind, peek.pos));
        elseList = nested;
      } else {
        [elseList, next] = this.itemList();
        if (next.type !== 'end') this.fail(next.pos, `expected end; found {{${next.type}}}`);
      }
    }
    this.vars.length = savedVars;
    this.leave();
    return { type: kind, pos: pipe.pos, pipe, list, elseList };
  }

  templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: t.pos, name, pipe };
  }

  blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const outerVars = this.vars;
    const outerRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    this.enter(t.pos);
    const [root, end] = this.itemList();
    this.leave();
    if (end.type !== 'end') this.fail(end.pos, `unexpected {{${end.type}}} in ${context}`);
    this.vars = outerVars;
    this.rangeDepth = outerRange;
    this.add(name, root, t.pos);
    return { type: 'template', pos: t.pos, name, pipe };
  }

  templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    return this.unquote(t);
  }

  // ---- pipelines ----

  pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace();
    const decl: VariableNode[] = [];
    let isAssign = false;
    // Optional declarations: $x := , $x = , and in range $i, $v :=
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      this.nextNonSpace();
      const variableIndex = this.index - 1;
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        isAssign = next.type === 'assign';
        this.nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        break;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
          this.fail(v.pos, 'range can only initialize variables');
        }
        this.fail(v.pos, `too many declarations in ${context}`);
      }
      // Not a declaration: the variable is the first operand.
      this.index = variableIndex;
      break;
    }
    const cmds: CommandNode[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) break;
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
    const pipe: PipeNode = { type: 'pipe', pos: start.pos, isAssign, decl, cmds };
    this.checkPipeline(pipe, context, start.pos);
    return pipe;
  }

  checkPipeline(pipe: PipeNode, context: string, pos: number): void {
    if (pipe.cmds.length === 0) this.fail(pos, `missing value for ${context}`);
    pipe.cmds.forEach((cmd, i) => {
      if (i === 0) return;
      const first = cmd.args[0]!.type;
      if (
        first === 'bool' ||
        first === 'dot' ||
        first === 'nil' ||
        first === 'number' ||
        first === 'string'
      ) {
        this.fail(cmd.pos, `non executable command in pipeline stage ${i + 1}`);
      }
    });
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail(cmd.pos, 'empty command');
    return cmd;
  }

  operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().type !== 'field') return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(chainPos, `unexpected . after term ${goQuote(nodeString(node))}`);
        break;
      default:
        return { type: 'chain', pos: chainPos, node, field: fields };
    }
  }

  term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.isFunction(t.val)) {
          this.fail(t.pos, this.unknown?.(t.val) ?? `function ${goQuote(t.val)} not defined`);
        }
        return { type: 'identifier', pos: t.pos, name: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        if (!this.vars.includes(t.val)) this.fail(t.pos, `undefined variable ${goQuote(t.val)}`);
        return { type: 'variable', pos: t.pos, ident: [t.val] };
      case 'field':
        return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant': {
        const r = unquoteChar(t.val);
        if (typeof r === 'string') this.fail(t.pos, r);
        return {
          type: 'number',
          pos: t.pos,
          text: t.val,
          isInt: true,
          isFloat: true,
          int: BigInt(r),
          float: r,
        };
      }
      case 'complex':
        this.fail(t.pos, `complex constants are not supported: ${t.val}`);
        break;
      case 'number': {
        const n = parseNumber(t.val);
        if (typeof n === 'string') this.fail(t.pos, n);
        return { type: 'number', pos: t.pos, text: t.val, ...n };
      }
      case 'leftParen': {
        this.enter(t.pos);
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        this.leave();
        return pipe;
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t) };
    }
    this.backup();
    return null;
  }

  unquote(t: Token): string {
    if (t.type === 'rawString') return t.val.slice(1, -1).replaceAll('\r', '');
    const s = unquoteString(t.val);
    if (s === null) this.fail(t.pos, 'invalid syntax');
    return s;
  }
}

function isEndMark(n: Node | EndMark): n is EndMark {
  return n.type === 'end' || n.type === 'else';
}

/** A tree with nothing but whitespace text: it may be replaced by a later definition. */
function isEmptyTree(n: ListNode): boolean {
  return n.nodes.every((c) =>
    c.type === 'text' ? c.text.trim() === '' : c.type === 'list' && isEmptyTree(c),
  );
}

function describe(t: Token): string {
  switch (t.type) {
    case 'EOF':
      return 'EOF';
    case 'error':
      return t.val;
    case 'rightDelim':
    case 'leftDelim':
    case 'space':
    case 'assign':
    case 'declare':
    case 'pipe':
    case 'char':
    case 'leftParen':
    case 'rightParen':
    case 'field':
    case 'identifier':
    case 'variable':
    case 'number':
    case 'string':
    case 'rawString':
    case 'charConstant':
    case 'bool':
    case 'text':
    case 'complex': {
      // Go's %.10q: at most ten characters, then an ellipsis.
      const chars = [...t.val];
      return chars.length > 10 ? `${goQuote(chars.slice(0, 10).join(''))}...` : goQuote(t.val);
    }
    default:
      // keywords print as <name>
      return `<${t.val}>`;
  }
}

export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Source-like rendering of a node, as Go's Node.String() does, for error contexts. */
export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.type) {
    case 'field':
      return `.${n.ident.join('.')}`;
    case 'variable':
      return n.ident.join('.');
    case 'chain': {
      const inner = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return `${inner}.${n.field.join('.')}`;
    }
    case 'identifier':
      return n.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'pipe': {
      const decl =
        n.decl.length > 0 ? `${n.decl.map((d) => d.ident[0]).join(', ')} ${n.isAssign ? '=' : ':='} ` : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'template':
      return n.pipe === null
        ? `{{template ${goQuote(n.name)}}}`
        : `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    default: {
      const head = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      return n.elseList === null ? `${head}{{end}}` : `${head}{{else}}${nodeString(n.elseList)}{{end}}`;
    }
  }
}

/**
 * Parse a template text into its set of named trees. `isFunction` tells which identifiers are
 * callable; anything else is a parse error, as in Go (`unknown` may give a better message).
 */
export function parse(
  text: string,
  name: string,
  isFunction: (name: string) => boolean,
  unknown?: (name: string) => string | undefined,
): ParsedTemplate {
  const p = new Parser(text, name, isFunction, unknown);
  try {
    p.parseMain();
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (e instanceof RangeError) throw parseError(text, name, 0, 'template too deeply nested');
    throw e;
  }
  return { name, text, trees: p.trees };
}
