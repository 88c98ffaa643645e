// The CSR signer's view of @peculiar/x509: the project-wide entry point, which
// loads the Reflect polyfill and sets the WebCrypto provider.
export { subtle, x509 } from '../../pki/x509.ts';
