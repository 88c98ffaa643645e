// The import graph of src/: no circles, and only static imports of our own
// modules (a computed or dynamic import hides a dependency from tsc and from
// this test). Dynamic imports of npm packages (loaded on first use) are fine.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Comments removed, so an example in a comment is not an import. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Relative specifiers of static `import ... from` / `export ... from` / `import '...'`. */
export function staticImports(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?(?:\bfrom\s*)?['"]([^'"]+)['"]/g;
  for (const m of code(text).matchAll(re)) if (m[1]?.startsWith('.')) out.push(m[1]);
  return out;
}

/** `import(...)` whose argument is not a package name in quotes. */
export function hiddenImports(text: string): string[] {
  const out: string[] = [];
  for (const m of code(text).matchAll(/\bimport\s*\(\s*([^)]*)\)/g)) {
    const arg = (m[1] ?? '').trim();
    const literal = /^['"]([^'"]+)['"]$/.exec(arg);
    if (!literal || literal[1]?.startsWith('.')) out.push(arg);
  }
  return out;
}

/** One cycle per strongly connected component with more than one file (or a self-import). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('import graph of src/', () => {
  const files = sourceFiles(src);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = staticImports(readFileSync(f, 'utf8')).map((s) => relative(root, resolve(dirname(f), s)));
    graph.set(relative(root, f), deps);
  }

  it('finds the imports it checks (the walker is not blind)', () => {
    assert.ok(files.length > 50, `only ${files.length} files under src/`);
    assert.ok(graph.get('src/operator/controllers.ts')?.includes('src/controllers/csrsigner/entry.ts'));
    assert.deepEqual(
      staticImports(
        "import a from './a.ts';\nexport { b } from '../b.ts';\nimport type {\n  C,\n} from './c.ts';\n// import x from './x.ts'\n",
      ),
      ['./a.ts', '../b.ts', './c.ts'],
    );
    assert.deepEqual(
      hiddenImports("await import('@aws-sdk/client-ecr'); await import(url.href); import('./x.ts')"),
      ['url.href', "'./x.ts'"],
    );
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
  });

  it('has no circles', () => {
    const found = cycles(graph);
    assert.deepEqual(found, [], `import circles:\n${found.map((c) => `  ${c.join(' <-> ')}`).join('\n')}`);
  });

  it('imports our own modules statically only', () => {
    const hidden = files.flatMap((f) =>
      hiddenImports(readFileSync(f, 'utf8')).map((arg) => `${relative(root, f)}: import(${arg})`),
    );
    assert.deepEqual(hidden, []);
  });
});
