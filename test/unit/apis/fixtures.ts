// Reads the seed manifests copied under test/fixtures/seeds/.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const SEEDS_DIR = fileURLToPath(new URL('../../fixtures/seeds/', import.meta.url));

export interface SeedDoc {
  file: string;
  doc: Record<string, unknown>;
}

export function seedDocs(): SeedDoc[] {
  const out: SeedDoc[] = [];
  for (const file of readdirSync(SEEDS_DIR).sort()) {
    if (!file.endsWith('.yaml')) continue;
    for (const d of parseAllDocuments(readFileSync(SEEDS_DIR + file, 'utf8'))) {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]?.message}`);
      out.push({ file, doc: d.toJS() as Record<string, unknown> });
    }
  }
  return out;
}
