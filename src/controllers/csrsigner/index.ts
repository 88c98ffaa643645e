// The CSR signer and private CA: its public surface (the entry is entry.ts).
export * from './ca.ts';
export * from './controller.ts';
export * from './entry.ts';
export * from './request.ts';
export * from './sign.ts';
export * from './status.ts';
