// A deliberately tiny stand-in for the Go template engine, enough for the templates these tests use:
// text with {{ }} actions made of field/method chains (.Object.GetName, .Cluster.Spec.ClusterID,
// .Object.metadata.labels.team), string and number literals, parentheses, and the functions printf
// (%s and %d only), trunc, sha256sum, upper and fail (which throws, to test error reporting).
import { createHash } from 'node:crypto';
import type { RenderFn, TemplateData } from '../../../src/controllers/clusterregistry/template-data.ts';
import { GoNamedString } from '../../../src/template/values.ts';

type Tok = { t: 'str' | 'num' | 'field' | 'ident' | '(' | ')'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+)|(\.[A-Za-z0-9_.]*)|([A-Za-z_][A-Za-z0-9_]*)|([()]))/y;
  const end = src.trimEnd().length;
  re.lastIndex = 0;
  while (re.lastIndex < end) {
    const m = re.exec(src);
    if (m === null) break;
    if (m[1] !== undefined) out.push({ t: 'str', v: JSON.parse(`"${m[1]}"`) as string });
    else if (m[2] !== undefined) out.push({ t: 'num', v: m[2] });
    else if (m[3] !== undefined) out.push({ t: 'field', v: m[3] });
    else if (m[4] !== undefined) out.push({ t: 'ident', v: m[4] });
    else out.push({ t: m[5] as '(' | ')', v: m[5]! });
  }
  if (re.lastIndex < end) throw new Error(`fake renderer cannot lex: ${src}`);
  return out;
}

function field(data: unknown, chain: string): unknown {
  let v: unknown = data;
  for (const name of chain.split('.').filter((s) => s !== '')) {
    const parent = v as Record<string, unknown>;
    const next = parent?.[name];
    // Go calls a method with its receiver, which is what the real engine must do too.
    v = typeof next === 'function' ? (next as () => unknown).call(parent) : next;
  }
  return v;
}

const FUNCS: Record<string, (...args: unknown[]) => unknown> = {
  printf: (format, ...args) => {
    let i = 0;
    return String(format).replace(/%[sd]/g, () => String(args[i++]));
  },
  trunc: (n, s) => String(s).slice(0, Number(n)),
  sha256sum: (s) => createHash('sha256').update(String(s)).digest('hex'),
  upper: (s) => String(s).toUpperCase(),
  fail: (msg) => {
    throw new Error(`template: fail: ${String(msg)}`);
  },
};

function evalCommand(toks: Tok[], data: TemplateData): unknown {
  let pos = 0;
  const operand = (): unknown => {
    const tok = toks[pos++]!;
    if (tok.t === 'str') return tok.v;
    if (tok.t === 'num') return Number(tok.v);
    if (tok.t === 'field') return field(data, tok.v);
    if (tok.t === '(') {
      const v = command(')');
      pos++;
      return v;
    }
    if (tok.t === 'ident') return FUNCS[tok.v]!();
    throw new Error(`fake renderer: unexpected ${tok.v}`);
  };
  const command = (end?: string): unknown => {
    const head = toks[pos]!;
    if (head.t === 'ident') {
      pos++;
      const fn = FUNCS[head.v];
      if (!fn) throw new Error(`fake renderer: no function ${head.v}`);
      const args: unknown[] = [];
      while (pos < toks.length && toks[pos]!.t !== end) args.push(operand());
      return fn(...args);
    }
    return operand();
  };
  return command();
}

export const fakeRender: RenderFn = (template, data) =>
  template.replace(/\{\{-?(.*?)-?\}\}/gs, (_, action: string) => {
    const v = evalCommand(lex(action), data);
    // Go's named strings (types.UID) print as their value, as in Go.
    if (v instanceof GoNamedString) return v.value;
    return v === undefined ? '<no value>' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
