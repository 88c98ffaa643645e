// Writes charts/crds/<plural>.<group>.yaml from the kind schemas:
//   node src/apis/generate.ts
// A unit test fails when the committed files differ from what this writes.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

if (import.meta.main) {
  const changed = writeCrdFiles();
  console.log(changed.length === 0 ? `${CRD_DIR}: up to date` : `${CRD_DIR}: wrote ${changed.join(', ')}`);
}
