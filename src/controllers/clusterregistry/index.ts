// The pure logic of the cluster registry's sync engine: no I/O, plain objects in and out.
export * from './diff.ts';
export * from './gjson.ts';
export * from './gopatch.ts';
export * from './markers.ts';
export * from './match.ts';
export * from './mutate.ts';
export * from './ownership.ts';
export * from './template-data.ts';
export type * from './types.ts';
