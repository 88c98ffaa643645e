// The one entry point to @peculiar/x509 for the whole project, loaded on
// first use: with the Reflect metadata polyfill its dependency injection
// (tsyringe) needs, it costs a process about 21 MiB (bench/memory/modules.ts),
// and only the CSR signer, the dev-cluster certificates and tests sign or
// parse certificates; an operator running other controllers never loads it.
// Types stay static (`import type * as x509 from '@peculiar/x509'`, erased);
// values come from loadX509(). require() keeps it synchronous, and out of
// the bundle's start-up files (tools/bundle.ts).
import { createRequire } from 'node:module';
import type * as X509 from '@peculiar/x509';

const require = createRequire(import.meta.url);
let loaded: typeof X509 | undefined;

/** @peculiar/x509, loaded by the first call, using Node's own WebCrypto (no other provider). */
export function loadX509(): typeof X509 {
  if (!loaded) {
    require('reflect-metadata'); // first: the library's decorators read its Reflect API when loaded
    const lib = require('@peculiar/x509') as typeof X509;
    lib.cryptoProvider.set(globalThis.crypto);
    loaded = lib;
  }
  return loaded;
}

export const subtle: SubtleCrypto = globalThis.crypto.subtle;
