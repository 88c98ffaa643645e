// The CSR signer's view of @peculiar/x509: the project-wide entry point,
// which loads the library (and the Reflect polyfill) on first use and sets
// the WebCrypto provider. Types: `import type * as x509 from '@peculiar/x509'`.
export { loadX509, subtle } from '../../pki/x509.ts';
