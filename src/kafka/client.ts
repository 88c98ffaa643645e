// The Kafka client library, loaded on first use. It costs a process about
// 60 MiB and half a CPU-second to load, and the operator binary composes every
// controller: a process that never talks to Kafka (--controllers=clusterregistry)
// should not pay for it. Types stay static (`import type`, erased); values come
// from here. require() of an ES module is synchronous in Node.js 24, so
// AdminPool.get() and the rest of this directory keep their synchronous API.
import { createRequire } from 'node:module';
import type * as Kafka from '@platformatic/kafka';

const require = createRequire(import.meta.url);
let loaded: typeof Kafka | undefined;

/** The @platformatic/kafka module, loaded by the first call. */
export function kafkaClient(): typeof Kafka {
  loaded ??= require('@platformatic/kafka') as typeof Kafka;
  return loaded;
}
