// Writes charts/crds/<plural>.<group>.yaml from the kind schemas, and
// refreshes the copies charts carry in their own crds/ directory (Helm can
// only read files inside a chart): `make generate`, or
//   node src/apis/generate.ts
// Unit tests fail when the committed files differ from what this writes.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CRD_DIR, GENERATED_HEADER, renderCrdFiles } from './index.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function writeCrdFiles(dir = join(repoRoot, CRD_DIR)): string[] {
  mkdirSync(dir, { recursive: true });
  const files = renderCrdFiles();
  const changed: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    let old: string | undefined;
    try {
      old = readFileSync(path, 'utf8');
    } catch {}
    if (old !== text) {
      writeFileSync(path, text);
      changed.push(name);
    }
  }
  // A kind that was removed or renamed leaves a stale file: remove ours only.
  for (const name of readdirSync(dir)) {
    if (
      name.endsWith('.yaml') &&
      !files.has(name) &&
      readFileSync(join(dir, name), 'utf8').startsWith(GENERATED_HEADER)
    ) {
      rmSync(join(dir, name));
      changed.push(`${name} (removed)`);
    }
  }
  return changed;
}

/** charts/<chart>/crds/<file> for every generated file a chart carries a copy of. */
export function chartCopies(chartsDir = join(repoRoot, 'charts')): { path: string; file: string }[] {
  const generated = renderCrdFiles();
  return readdirSync(chartsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(chartsDir, d.name, 'crds')))
    .flatMap((d) =>
      readdirSync(join(chartsDir, d.name, 'crds'))
        .filter((file) => generated.has(file))
        .map((file) => ({ path: join(chartsDir, d.name, 'crds', file), file })),
    );
}

/** Rewrites stale chart copies; returns the paths written. */
export function syncChartCopies(chartsDir = join(repoRoot, 'charts')): string[] {
  const generated = renderCrdFiles();
  const written: string[] = [];
  for (const { path, file } of chartCopies(chartsDir)) {
    const text = generated.get(file)!;
    if (readFileSync(path, 'utf8') !== text) {
      writeFileSync(path, text);
      written.push(path.slice(repoRoot.length));
    }
  }
  return written;
}

if (import.meta.main) {
  const changed = writeCrdFiles();
  console.log(changed.length === 0 ? `${CRD_DIR}: up to date` : `${CRD_DIR}: wrote ${changed.join(', ')}`);
  const copies = syncChartCopies();
  console.log(
    copies.length === 0 ? 'chart CRD copies: up to date' : `chart CRD copies: wrote ${copies.join(', ')}`,
  );
}
