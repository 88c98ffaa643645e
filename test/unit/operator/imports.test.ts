// The import graph of src/: no circles, and only static imports of our own
// modules (a computed or dynamic import hides a dependency from tsc and from
// this test). Dynamic imports of npm packages (loaded on first use) are fine.
// `sdm operator` never loads @kubernetes/client-node (its KubeConfig pulls in
// every generated API model, +80 MiB): checked on the static graph and in a
// real `bin/sdm operator --list` process.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { modulesLoadedBySdm } from '../../support/module-probe.ts';

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

/**
 * Every specifier a file loads when it is evaluated: `import ... from`, `import '...'` and
 * `export ... from`, except `import type` / `export type` (erased by type stripping; an
 * `import { type A }` is not erased as a whole, so it counts). Parsed by TypeScript, not a regex.
 */
export function runtimeImports(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && !st.importClause?.isTypeOnly && ts.isStringLiteral(st.moduleSpecifier))
      out.push(st.moduleSpecifier.text);
    if (
      ts.isExportDeclaration(st) &&
      !st.isTypeOnly &&
      st.moduleSpecifier &&
      ts.isStringLiteral(st.moduleSpecifier)
    )
      out.push(st.moduleSpecifier.text);
  }
  return out;
}

/** The packages the static, non-type import graph from `entry` reaches, with a path to each. */
export function reachedPackages(entry: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, path: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file, readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec), [...path, relative(root, file)]);
      else if (!spec.startsWith('node:') && !found.has(spec))
        found.set(spec, [...path, relative(root, file)]);
    }
  };
  walk(resolve(root, entry), []);
  return found;
}

/** A package name from a specifier: '@scope/name/sub' -> '@scope/name'. */
function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('sdm operator does not load @kubernetes/client-node', () => {
  it('the import reader sees what loads and what is erased', () => {
    assert.deepEqual(
      runtimeImports(
        'x.ts',
        [
          "import type { KubeConfig } from '@kubernetes/client-node';",
          "import { type A, b } from './b.ts';",
          "import { type C } from './c.ts';",
          "export type { D } from './d.ts';",
          "export { e } from './e.ts';",
          "import './f.ts';",
          "const g = require('@kubernetes/client-node');",
          "// import x from 'x';",
        ].join('\n'),
      ),
      ['./b.ts', './c.ts', './e.ts', './f.ts'],
    );
    // Not blind: the dev-cluster code may keep client-node, and the walk finds it there.
    const devcluster = reachedPackages('src/devcluster/index.ts');
    assert.ok([...devcluster.keys()].some((s) => packageOf(s) === '@kubernetes/client-node'));
  });

  it('in the static import graph of src/cli/operator-main.ts', () => {
    const reached = reachedPackages('src/cli/operator-main.ts');
    // The operator's own packages are found (the walk went through the controllers).
    for (const p of ['yaml', 'commander', 'prom-client']) assert.ok(reached.has(p), `${p} not reached`);
    const bad = [...reached].filter(([spec]) => packageOf(spec) === '@kubernetes/client-node');
    assert.deepEqual(
      bad.map(([spec, path]) => `${spec} via ${path.join(' -> ')}`),
      [],
      'only `import type` or a lazy require() (src/kube/kubeconfig.ts, exec users) may name it',
    );
  });

  it('in a running `bin/sdm operator --list`', () => {
    const urls = modulesLoadedBySdm('operator', '--list');
    assert.ok(
      urls.some((u) => u.includes('/node_modules/yaml/')),
      'the recorder saw no package',
    );
    assert.ok(
      urls.some((u) => u.endsWith('/src/kube/kubeconfig.ts')),
      'our loader was not loaded',
    );
    assert.deepEqual(
      urls.filter((u) => u.includes('/@kubernetes/client-node/')),
      [],
    );
  });
});
