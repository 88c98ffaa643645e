// Talking to Kafka clusters: which cluster a name means (resolve.ts), one
// pooled admin client per cluster (pool.ts), batched topic operations
// (topics.ts) and errors reported as Kafka words them, without credentials.
export * from './batcher.ts';
export * from './errors.ts';
export * from './pool.ts';
export * from './resolve.ts';
export * from './target.ts';
export * from './topics.ts';
