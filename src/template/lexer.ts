/**
 * Lexer for Go text/template source. It follows the states of Go's text/template/parse lexer so
 * that the same input splits into the same tokens and fails with the same messages. The whole
 * input is tokenised eagerly; lexing stops at the first error, which becomes an `error` token
 * that the parser reports when it reaches it.
 */

export type TokenType =
  | 'error'
  | 'bool'
  | 'char' // printable ASCII character outside the grammar, e.g. ','
  | 'charConstant'
  | 'complex'
  | 'assign' // =
  | 'declare' // :=
  | 'EOF'
  | 'field' // .Name
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable' // $ or $name
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Token {
  readonly type: TokenType;
  /** The token's source text (for `error`, the message). */
  readonly val: string;
  /** Offset of the token in the source (UTF-16 units). */
  readonly pos: number;
}

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['block', 'block'],
  ['break', 'break'],
  ['continue', 'continue'],
  ['define', 'define'],
  ['else', 'else'],
  ['end', 'end'],
  ['if', 'if'],
  ['nil', 'nil'],
  ['range', 'range'],
  ['template', 'template'],
  ['with', 'with'],
]);

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
/** "- " after {{ or " -" before }} trims the adjacent text's whitespace. */
const TRIM_MARKER_LEN = 2;
const EOF = '';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

const ALNUM = /^[\p{L}\p{Nd}_]$/u;

function isAlphaNumeric(c: string): boolean {
  return c !== EOF && ALNUM.test(c);
}

/** Go's %#U: U+0023 '#'. */
function formatRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u.test(c) ? `U+${hex} '${c}'` : `U+${hex}`;
}

type StateFn = ((l: Lexer) => StateFn) | null;

class Lexer {
  readonly input: string;
  readonly tokens: Token[] = [];
  /** Current position; characters are read as code points. */
  pos = 0;
  /** Start of the token being scanned. */
  start = 0;
  /** Width of the last character read, for backup(). */
  width = 0;
  parenDepth = 0;

  constructor(input: string) {
    this.input = input;
  }

  next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos)!;
    const c = String.fromCodePoint(cp);
    this.width = c.length;
    this.pos += c.length;
    return c;
  }

  peek(): string {
    const c = this.next();
    this.backup();
    return c;
  }

  backup(): void {
    this.pos -= this.width;
    this.width = 0;
  }

  emit(type: TokenType): StateFn {
    this.tokens.push({ type, val: this.input.slice(this.start, this.pos), pos: this.start });
    this.start = this.pos;
    return null;
  }

  ignore(): void {
    this.start = this.pos;
  }

  accept(valid: string): boolean {
    const c = this.next();
    if (c !== EOF && valid.includes(c)) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === EOF || !valid.includes(c)) break;
    }
    this.backup();
  }

  errorf(message: string): StateFn {
    this.tokens.push({ type: 'error', val: message, pos: this.start });
    return null; // stops the state machine
  }

  rest(): string {
    return this.input.slice(this.pos);
  }

  /** Whether the input is at a right delimiter, possibly preceded by a trim marker. */
  atRightDelim(): { delim: boolean; trim: boolean } {
    const rest = this.rest();
    if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT_DELIM, TRIM_MARKER_LEN)) {
      return { delim: true, trim: true };
    }
    return { delim: rest.startsWith(RIGHT_DELIM), trim: false };
  }

  /** Characters that may follow an identifier or field name. */
  atTerminator(): boolean {
    const c = this.peek();
    if (c === EOF || isSpace(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return this.rest().startsWith(RIGHT_DELIM);
  }
}

function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === '-' && isSpace(s[1]!);
}

function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s[0]!) && s[1] === '-';
}

function leftTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && isSpace(s[n]!)) n++;
  return n;
}

function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s[end - 1]!)) end--;
  return s.slice(0, end);
}

const lexText: StateFn = (l) => {
  const x = l.input.indexOf(LEFT_DELIM, l.pos);
  if (x === -1) {
    l.pos = l.input.length;
    if (l.pos > l.start) l.emit('text');
    l.emit('EOF');
    return null;
  }
  const trim = hasLeftTrimMarker(l.input.slice(x + LEFT_DELIM.length));
  const text = l.input.slice(l.start, x);
  const kept = trim ? trimRightSpace(text) : text;
  if (kept.length > 0) {
    l.tokens.push({ type: 'text', val: kept, pos: l.start });
  }
  l.pos = x;
  l.start = x;
  return lexLeftDelim;
};

const lexLeftDelim: StateFn = (l) => {
  l.pos += LEFT_DELIM.length;
  const trim = hasLeftTrimMarker(l.rest());
  const afterMarker = trim ? TRIM_MARKER_LEN : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit('leftDelim');
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
};

const lexComment: StateFn = (l) => {
  l.pos += LEFT_COMMENT.length;
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (x === -1) return l.errorf('unclosed comment');
  l.pos = x + RIGHT_COMMENT.length;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  if (trim) l.pos += TRIM_MARKER_LEN;
  l.pos += RIGHT_DELIM.length;
  if (trim) l.pos += leftTrimLength(l.rest());
  l.ignore();
  return lexText;
};

const lexRightDelim: StateFn = (l) => {
  const { trim } = l.atRightDelim();
  if (trim) {
    l.pos += TRIM_MARKER_LEN;
    l.ignore();
  }
  l.pos += RIGHT_DELIM.length;
  l.emit('rightDelim');
  if (trim) {
    l.pos += leftTrimLength(l.rest());
    l.ignore();
  }
  return lexText;
};

const lexInsideAction: StateFn = (l) => {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const c = l.next();
  if (c === EOF) return l.errorf('unclosed action');
  if (isSpace(c)) {
    l.backup();
    return lexSpace;
  }
  switch (c) {
    case '=':
      l.emit('assign');
      return lexInsideAction;
    case ':':
      if (l.next() !== '=') return l.errorf('expected :=');
      l.emit('declare');
      return lexInsideAction;
    case '|':
      l.emit('pipe');
      return lexInsideAction;
    case '"':
      return lexQuote;
    case '`':
      return lexRawQuote;
    case '$':
      return lexVariable;
    case "'":
      return lexChar;
    case '(':
      l.emit('leftParen');
      l.parenDepth++;
      return lexInsideAction;
    case ')':
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      l.emit('rightParen');
      return lexInsideAction;
  }
  if (c === '.') {
    // ".field" versus ".5": only a digit makes it a number.
    const n = l.input[l.pos];
    if (n !== undefined && (n < '0' || n > '9')) return lexField;
  }
  if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(c)) {
    l.backup();
    return lexIdentifier;
  }
  const cp = c.codePointAt(0)!;
  if (cp >= 0x20 && cp < 0x7f) {
    l.emit('char');
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${formatRune(c)}`);
};

const lexSpace: StateFn = (l) => {
  let spaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    spaces++;
  }
  // A space followed by "-}}" is a trim marker, not a space token.
  const fromLastSpace = l.input.slice(l.pos - 1);
  if (hasRightTrimMarker(fromLastSpace) && fromLastSpace.startsWith(RIGHT_DELIM, TRIM_MARKER_LEN)) {
    l.pos -= 1;
    if (spaces === 1) return lexInsideAction;
  }
  l.emit('space');
  return lexInsideAction;
};

const lexIdentifier: StateFn = (l) => {
  for (;;) {
    const c = l.next();
    if (isAlphaNumeric(c)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${formatRune(c)}`);
    const keyword = KEYWORDS.get(word);
    if (keyword !== undefined) l.emit(keyword);
    else if (word === 'true' || word === 'false') l.emit('bool');
    else l.emit('identifier');
    return lexInsideAction;
  }
};

const lexField: StateFn = (l) => lexFieldOrVariable(l, 'field');
const lexVariable: StateFn = (l) => lexFieldOrVariable(l, 'variable');

function lexFieldOrVariable(l: Lexer, type: 'field' | 'variable'): StateFn {
  if (l.atTerminator()) {
    l.emit(type === 'variable' ? 'variable' : 'dot');
    return lexInsideAction;
  }
  let c: string;
  for (;;) {
    c = l.next();
    if (!isAlphaNumeric(c)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${formatRune(c)}`);
  l.emit(type);
  return lexInsideAction;
}

const lexChar: StateFn = (l) => {
  for (;;) {
    let c = l.next();
    if (c === '\\') {
      c = l.next();
      if (c !== EOF && c !== '\n') continue;
    }
    if (c === EOF || c === '\n') return l.errorf('unterminated character constant');
    if (c === "'") break;
  }
  l.emit('charConstant');
  return lexInsideAction;
};

const lexNumber: StateFn = (l) => {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === '+' || sign === '-') {
    // Complex: 1+2i. No space is allowed, and the second part must end in 'i'.
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    }
    l.emit('complex');
  } else {
    l.emit('number');
  }
  return lexInsideAction;
};

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

const lexQuote: StateFn = (l) => {
  for (;;) {
    let c = l.next();
    if (c === '\\') {
      c = l.next();
      if (c !== EOF && c !== '\n') continue;
    }
    if (c === EOF || c === '\n') return l.errorf('unterminated quoted string');
    if (c === '"') break;
  }
  l.emit('string');
  return lexInsideAction;
};

const lexRawQuote: StateFn = (l) => {
  for (;;) {
    const c = l.next();
    if (c === EOF) return l.errorf('unterminated raw quoted string');
    if (c === '`') break;
  }
  l.emit('rawString');
  return lexInsideAction;
};

/** Go's %q for the ASCII-ish strings that show up in lexer messages. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Tokenise a whole template. The last token is EOF or error. */
export function lex(input: string): Token[] {
  const l = new Lexer(input);
  let state: StateFn = lexText;
  while (state !== null) state = state(l);
  return l.tokens;
}
