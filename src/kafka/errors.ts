// Kafka errors as the topic controller (and anyone else) reports them: a
// batched admin call fails per item (Kafka answers each topic with its own
// error code and message), or as a whole (no broker reachable). Messages
// shown to users are Kafka's own, with any credential removed.
import { kafkaClient } from './client.ts';

/** What Kafka said about one item of a batched request. */
export interface KafkaItemError {
  /** Kafka's error name, e.g. INVALID_CONFIG, TOPIC_ALREADY_EXISTS. */
  code: string;
  /** Kafka's own message when it sent one, else the error's description. */
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/** The error code name for a numeric Kafka error code. */
export function kafkaErrorName(code: number): string {
  return kafkaClient().protocolErrorsCodesById[code] ?? `ERROR_${code}`;
}

/** Every error in an error's chain (AggregateError.errors, cause), depth first. */
export function errorChain(err: unknown, out: Obj[] = [], depth = 0): Obj[] {
  if (!isObj(err) || depth > 8) return out;
  out.push(err);
  if (Array.isArray(err.errors)) for (const e of err.errors) errorChain(e, out, depth + 1);
  if (err.cause) errorChain(err.cause, out, depth + 1);
  return out;
}

/**
 * The per-item errors of a failed batched call, from the response Kafka sent
 * (platformatic's ResponseError carries it). Undefined when no response came
 * back: the whole call failed and every item shares the error.
 */
export function itemErrors(
  err: unknown,
  listField: string,
  nameField = 'name',
): Map<string, KafkaItemError> | undefined {
  for (const e of errorChain(err)) {
    const response = e.response;
    if (!isObj(response) || !Array.isArray(response[listField])) continue;
    const out = new Map<string, KafkaItemError>();
    for (const item of response[listField] as Obj[]) {
      const code = Number(item.errorCode ?? 0);
      if (code === 0) continue;
      const name = kafkaErrorName(code);
      const message = typeof item.errorMessage === 'string' && item.errorMessage ? item.errorMessage : name;
      out.set(String(item[nameField]), { code: name, message });
    }
    return out;
  }
  return undefined;
}

/** The raw list field of the response a failed call still carries, if any. */
export function responseList(err: unknown, listField: string): Obj[] | undefined {
  for (const e of errorChain(err)) {
    const response = e.response;
    if (isObj(response) && Array.isArray(response[listField])) return response[listField] as Obj[];
  }
  return undefined;
}

/** Whether the error means no broker could be reached (as opposed to Kafka refusing). */
export function isUnreachable(err: unknown): boolean {
  return errorChain(err).some(
    (e) =>
      e.code === 'PLT_KFK_NETWORK' ||
      e.code === 'PLT_KFK_TIMEOUT' ||
      e.code === 'ECONNREFUSED' ||
      e.code === 'ECONNRESET' ||
      e.code === 'ETIMEDOUT' ||
      e.code === 'EHOSTUNREACH' ||
      e.code === 'ENOTFOUND' ||
      e.code === 'EAI_AGAIN',
  );
}

/**
 * One line describing an error: the distinct leaf messages of its chain
 * (Kafka's server message where there is one), without credentials.
 */
export function describeKafkaError(err: unknown, secrets: readonly string[] = []): string {
  const leaves: string[] = [];
  for (const e of errorChain(err)) {
    if (Array.isArray(e.errors) && e.errors.length > 0) continue;
    const server = typeof e.serverErrorMessage === 'string' ? e.serverErrorMessage : '';
    const msg = server || (typeof e.message === 'string' ? e.message : String(e));
    if (msg && !leaves.includes(msg)) leaves.push(msg);
  }
  if (leaves.length === 0) leaves.push(err instanceof Error ? err.message : String(err));
  return redact(leaves.join('; '), secrets);
}

/** Replaces every occurrence of each secret (of 4 characters or more) with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}
