// One entry point to @peculiar/x509 for the CSR signer: makes sure the Reflect
// metadata shim runs before the library loads, and points the library at
// Node's own WebCrypto so no other provider is involved.
import './reflect-shim.ts';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
export const subtle: SubtleCrypto = globalThis.crypto.subtle;
