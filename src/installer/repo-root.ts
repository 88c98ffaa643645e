// The checkout (or image) root: relative chart repositories such as
// charts/csr-operator are resolved against it.
export { packageRoot as repoRoot } from '../package-root.ts';
