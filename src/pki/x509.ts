// The one entry point to @peculiar/x509 for the whole project. The library's
// dependency injection (tsyringe) needs the Reflect metadata polyfill loaded
// first, and we point it at Node's own WebCrypto so no other provider is used.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
export const subtle: SubtleCrypto = globalThis.crypto.subtle;
