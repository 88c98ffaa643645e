// Worker thread of override/parse.ts: parses one valuesOverride and posts
// the result (values or the error naming the place) back.
import { parentPort, workerData } from 'node:worker_threads';
import { parseValuesOverride } from '../values.ts';

const { text, path } = workerData as { text: string; path: string };
parentPort?.postMessage(parseValuesOverride(text, path));
