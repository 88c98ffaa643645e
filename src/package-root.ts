// The directory that holds sdm's package.json: the checkout, or /app in the
// image. Charts, CRD files, test fixtures and .tools are found under it. It is
// found by walking up from this module's own file rather than by a fixed
// '../..', because the same code runs from source (src/package-root.ts) and
// bundled into one flat directory (dist/*.js, tools/bundle.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory at or above `from` whose package.json is the package `name`. */
export function findPackageRoot(from: string, name = 'sdm'): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (packageName(join(dir, 'package.json')) === name) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of '${name}' in ${from} or above it`);
  }
}

/** The `name` of a package.json, or undefined when there is none (dist/ has one without a name). */
function packageName(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let name: unknown;
  try {
    name = (JSON.parse(text) as { name?: unknown }).name;
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  return typeof name === 'string' ? name : undefined;
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
