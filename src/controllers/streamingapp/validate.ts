// What makes an application impossible to run, found before anything is
// written: each problem becomes phase Failed with this message. Most of them
// are refused at admission already (the CRD's list keys and CEL rule); these
// checks cover what a schema cannot see (the landscape's name is part of the
// namespace) and objects admitted before the rules existed.

import { DNS1123_LABEL } from '../../apis/schema.ts';
import type { StreamingApplication } from '../../apis/streaming.sdm.dev/v1alpha1/streamingapplication.ts';
import { instanceNamespace, kafkaTopicName } from './desired.ts';

const LABEL = new RegExp(DNS1123_LABEL);
/** Kafka's limit on topic names. */
const MAX_TOPIC_NAME = 249;

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return [...dup];
}

/** The problems of an application, each a sentence; empty when it can run. */
export function problemsOf(app: StreamingApplication, landscape: string): string[] {
  const name = app.metadata?.name ?? '';
  const out: string[] = [];
  const ns = instanceNamespace(landscape, name);
  if (ns.length > 63 || !LABEL.test(ns)) {
    out.push(
      `the instance namespace ${JSON.stringify(ns)} (<landscape>-<application>) must be a DNS label of at most 63 characters; it has ${ns.length}`,
    );
  }
  const topics = app.spec.topics.map((t) => t.name);
  for (const d of duplicates(topics)) out.push(`topic ${d} is declared more than once`);
  for (const d of duplicates(app.spec.processes.map((p) => p.name)))
    out.push(`process ${d} is declared more than once`);
  for (const t of topics) {
    const full = kafkaTopicName(name, t);
    if (full.length > MAX_TOPIC_NAME)
      out.push(`topic ${full} is longer than Kafka's ${MAX_TOPIC_NAME} characters`);
  }
  const declared = new Set(topics);
  for (const p of app.spec.processes) {
    for (const [what, list] of [
      ['reads', p.inputs],
      ['writes', p.outputs],
    ] as const) {
      for (const t of list ?? []) {
        if (!declared.has(t))
          out.push(`process ${p.name} ${what} topic ${t}, which spec.topics does not declare`);
      }
    }
  }
  return out;
}
