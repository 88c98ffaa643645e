// BOSH go-patch (github.com/cppforlife/go-patch) pointers and its replace/remove operations, on plain
// JSON. Overrides in ResourceSyncRules use this syntax, so parsing and error wording follow go-patch.
// Operations work on a deep copy: the document and the value passed in are never modified.
import { cloneJson, getOwn, hasOwn, isMap, type JsonMap, setOwn } from './json.ts';

export type Token =
  /** `/0`, `/-1`: an array index, negative counts from the end. */
  | { kind: 'index'; index: number }
  /** `/-` as the last token: after the last array item. */
  | { kind: 'append' }
  /** `/name=value`: the one array item (a map) whose field `key` is the string `value`. */
  | { kind: 'match'; key: string; value: string; optional: boolean }
  /** `/key`: a map key. */
  | { kind: 'key'; key: string; optional: boolean };

/** A parsed pointer. The root token of go-patch is implicit: `tokens` is empty for the root. */
export interface Pointer {
  readonly tokens: readonly Token[];
}

export class PatchError extends Error {
  /** The whole pointer of the failed operation. */
  readonly path: string;
  /** The token the operation failed at, as written in a pointer ('' when the path itself is bad). */
  readonly token: string;

  constructor(message: string, path: string, token: string) {
    super(message);
    this.name = 'PatchError';
    this.path = path;
    this.token = token;
  }
}

export type PatchOp =
  | { type: 'replace'; path: string | Pointer; value: unknown }
  | { type: 'remove'; path: string | Pointer };

// Go's strconv.Atoi: optional sign and decimal digits, within int64. Anything else is a map key.
const ATOI = /^[+-]?[0-9]+$/;
const INT64_LIMIT = 2 ** 63;

function decodeToken(tok: string): string {
  return tok.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

function encodeToken(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parsePointer(text: string): Pointer {
  const tokens: Token[] = [];
  if (text === '') return { tokens };
  if (!text.startsWith('/')) throw new PatchError(`Expected to start with '/' (path '${text}')`, text, '');
  const parts = text.split('/').slice(1);
  // Once a token is marked optional with `?`, every later key and match token is optional too.
  let optional = false;
  parts.forEach((raw, i) => {
    const isLast = i === parts.length - 1;
    if (isLast && raw === '-') {
      tokens.push({ kind: 'append' });
      return;
    }
    const tok = decodeToken(raw);
    if (ATOI.test(tok)) {
      const index = Number(tok);
      if (Math.abs(index) < INT64_LIMIT) {
        tokens.push({ kind: 'index', index: Object.is(index, -0) ? 0 : index });
        return;
      }
    }
    if (tok.endsWith('?')) optional = true;
    const eq = tok.indexOf('=');
    if (eq !== -1) {
      tokens.push({ kind: 'match', key: tok.slice(0, eq), value: trimQuestion(tok.slice(eq + 1)), optional });
      return;
    }
    tokens.push({ kind: 'key', key: trimQuestion(tok), optional });
  });
  return { tokens };
}

function trimQuestion(s: string): string {
  return s.endsWith('?') ? s.slice(0, -1) : s;
}

/** The pointer text, with `?` written once, on the first optional token, as go-patch prints it. */
export function formatPointer(pointer: Pointer | readonly Token[]): string {
  const tokens = 'tokens' in pointer ? pointer.tokens : pointer;
  let shownOptional = false;
  return tokens
    .map((t) => {
      const optionalHere = (t.kind === 'key' || t.kind === 'match') && t.optional && !shownOptional;
      if (optionalHere) shownOptional = true;
      return '/' + formatToken(t, optionalHere);
    })
    .join('');
}

function formatToken(t: Token, withQuestion = false): string {
  const q = withQuestion ? '?' : '';
  switch (t.kind) {
    case 'index':
      return String(t.index);
    case 'append':
      return '-';
    case 'match':
      return `${encodeToken(t.key)}=${encodeToken(t.value)}${q}`;
    case 'key':
      return encodeToken(t.key) + q;
  }
}

function toPointer(path: string | Pointer): { pointer: Pointer; text: string } {
  if (typeof path === 'string') return { pointer: parsePointer(path), text: path };
  return { pointer: path, text: formatPointer(path) };
}

/** Go's %T for a value decoded from JSON, as go-patch prints it in type mismatch errors. */
function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return typeof v;
}

/** Carries the failing operation's context while walking the tokens. */
class Walk {
  readonly text: string;
  readonly tokens: readonly Token[];

  constructor(text: string, tokens: readonly Token[]) {
    this.text = text;
    this.tokens = tokens;
  }

  at(i: number): string {
    return formatPointer(this.tokens.slice(0, i + 1));
  }

  fail(i: number, message: string): PatchError {
    return new PatchError(message, this.text, formatToken(this.tokens[i]!));
  }

  array(i: number, obj: unknown): unknown[] {
    if (!Array.isArray(obj)) {
      throw this.fail(i, `Expected to find an array at path '${this.at(i)}' but found '${goType(obj)}'`);
    }
    return obj;
  }

  map(i: number, obj: unknown): JsonMap {
    if (!isMap(obj)) {
      throw this.fail(i, `Expected to find a map at path '${this.at(i)}' but found '${goType(obj)}'`);
    }
    return obj;
  }

  index(i: number, index: number, arr: unknown[]): number {
    if (index >= arr.length || -index - 1 >= arr.length) {
      throw this.fail(
        i,
        `Expected to find array index '${index}' but found array of length '${arr.length}' for path '${this.at(i)}'`,
      );
    }
    return index < 0 ? arr.length + index : index;
  }

  missingKey(i: number, key: string, m: JsonMap): PatchError {
    const keys = Object.keys(m).sort();
    const siblings = keys.length === 0 ? 'found no other map keys' : `found map keys: '${keys.join("', '")}'`;
    return this.fail(i, `Expected to find a map key '${key}' for path '${this.at(i)}' (${siblings})`);
  }

  matches(arr: unknown[], t: { key: string; value: string }): number[] {
    // go-patch compares the item's field to the token's string: only string fields can match.
    const idxs: number[] = [];
    arr.forEach((item, idx) => {
      if (isMap(item) && getOwn(item, t.key) === t.value) idxs.push(idx);
    });
    return idxs;
  }

  notOne(i: number, idxs: number[]): PatchError {
    return this.fail(
      i,
      `Expected to find exactly one matching array item for path '${this.at(i)}' but found ${idxs.length}`,
    );
  }
}

/** go-patch `type: replace`: set the value at the pointer, creating what `?` allows. */
export function applyReplace(doc: unknown, path: string | Pointer, value: unknown): unknown {
  const { pointer, text } = toPointer(path);
  const tokens = pointer.tokens;
  const val = cloneJson(value);
  if (tokens.length === 0) return val;
  const root = cloneJson(doc);
  const w = new Walk(text, tokens);
  let obj: unknown = root;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const isLast = i === tokens.length - 1;
    switch (t.kind) {
      case 'index': {
        const arr = w.array(i, obj);
        const idx = w.index(i, t.index, arr);
        if (isLast) arr[idx] = val;
        else obj = arr[idx];
        break;
      }
      case 'append': {
        const arr = w.array(i, obj);
        // The parser only makes `-` an append token when it is last; kept for hand-built pointers.
        if (!isLast) throw w.fail(i, `Expected after last index token to be last in path '${text}'`);
        arr.push(val);
        break;
      }
      case 'match': {
        const arr = w.array(i, obj);
        const idxs = w.matches(arr, t);
        if (t.optional && idxs.length === 0) {
          // As in go-patch: the last token appends the value itself; otherwise a new item carrying
          // just the matched field is appended and the walk continues inside it.
          if (isLast) {
            arr.push(val);
          } else {
            const item: JsonMap = {};
            setOwn(item, t.key, t.value);
            arr.push(item);
            obj = item;
          }
          break;
        }
        if (idxs.length !== 1) throw w.notOne(i, idxs);
        if (isLast) arr[idxs[0]!] = val;
        else obj = arr[idxs[0]!];
        break;
      }
      case 'key': {
        const m = w.map(i, obj);
        const found = hasOwn(m, t.key);
        if (!found && !t.optional) throw w.missingKey(i, t.key, m);
        if (isLast) {
          setOwn(m, t.key, val);
        } else if (found) {
          obj = m[t.key];
        } else {
          // What to create depends on how the next token addresses it.
          const next = tokens[i + 1]!;
          if (next.kind === 'append' || next.kind === 'match') obj = [];
          else if (next.kind === 'key') obj = {};
          else {
            throw w.fail(
              i + 1,
              `Expected to find key, matching index or after last index token at path '${w.at(i + 1)}'`,
            );
          }
          setOwn(m, t.key, obj);
        }
        break;
      }
    }
  }
  return root;
}

/** go-patch `type: remove`: delete the value at the pointer; a missing optional target is a no-op. */
export function applyRemove(doc: unknown, path: string | Pointer): unknown {
  const { pointer, text } = toPointer(path);
  const tokens = pointer.tokens;
  if (tokens.length === 0) throw new PatchError('Cannot remove entire document', text, '');
  const root = cloneJson(doc);
  const w = new Walk(text, tokens);
  let obj: unknown = root;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const isLast = i === tokens.length - 1;
    switch (t.kind) {
      case 'index': {
        const arr = w.array(i, obj);
        const idx = w.index(i, t.index, arr);
        if (isLast) arr.splice(idx, 1);
        else obj = arr[idx];
        break;
      }
      case 'append':
        throw w.fail(i, `Expected to not find token '-' at path '${w.at(i)}'`);
      case 'match': {
        const arr = w.array(i, obj);
        const idxs = w.matches(arr, t);
        if (t.optional && idxs.length === 0) return root;
        if (idxs.length !== 1) throw w.notOne(i, idxs);
        if (isLast) arr.splice(idxs[0]!, 1);
        else obj = arr[idxs[0]!];
        break;
      }
      case 'key': {
        const m = w.map(i, obj);
        if (!hasOwn(m, t.key)) {
          if (t.optional) return root;
          throw w.missingKey(i, t.key, m);
        }
        if (isLast) delete m[t.key];
        else obj = m[t.key];
        break;
      }
    }
  }
  return root;
}

/** Applies operations in order; the first failure aborts the whole patch. */
export function applyPatch(doc: unknown, ops: readonly PatchOp[]): unknown {
  let out = doc;
  for (const op of ops) {
    if (op.type === 'replace') out = applyReplace(out, op.path, op.value);
    else if (op.type === 'remove') out = applyRemove(out, op.path);
    else {
      const bad = op as { type: unknown; path: unknown };
      throw new PatchError(`Unknown operation with type '${String(bad.type)}'`, String(bad.path), '');
    }
  }
  return out;
}
