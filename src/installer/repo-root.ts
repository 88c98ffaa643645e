// The checkout (or image) root: relative chart repositories such as
// charts/csr-operator are resolved against it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
