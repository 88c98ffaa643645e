// `make bench`: runs every benchmark file under bench/ one after the other
// (never in parallel: they measure the machine). Each prints its own ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = import.meta.dirname;
const only = process.argv.slice(2);

function benchFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return benchFiles(path);
      return name.endsWith('.ts') && path !== join(root, 'run.ts') && !name.startsWith('_') ? [path] : [];
    })
    .sort();
}

let failed = 0;
for (const file of benchFiles(root)) {
  const name = relative(root, file);
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', file], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`!! ${name} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
