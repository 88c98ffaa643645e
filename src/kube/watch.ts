// One watch request: streams newline-delimited JSON events until the server
// ends the stream, the signal aborts, or an error occurs. It reports how it
// ended and leaves "what next" (rewatch, relist, back off) to the informer.
import { ApiError, errorMessage, type Status } from './errors.ts';
import type { Query, Transport } from './transport.ts';
import type { KubeObject } from './types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  /** Collection path, e.g. /api/v1/namespaces/x/configmaps. */
  path: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side timeout; the server then closes the stream cleanly. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/**
 * Runs one watch. Resolves when the stream ends normally (server timeout, or
 * the signal aborted). Rejects with ApiError for an HTTP error or an ERROR
 * event (410 Gone included), or with the network error.
 */
export async function watchOnce<T extends KubeObject>(
  transport: Transport,
  options: WatchOptions,
  onEvent: (event: WatchEvent<T>) => void,
): Promise<void> {
  const timeoutSeconds = options.timeoutSeconds ?? 300;
  // Our own deadline a little after the server's: a half-open connection
  // (server gone without a FIN) must not hang the informer forever.
  const deadline = AbortSignal.timeout((timeoutSeconds + 30) * 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const query: Query = {
    watch: 'true',
    allowWatchBookmarks: 'true',
    resourceVersion: options.resourceVersion,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    timeoutSeconds,
  };
  const req = { method: 'GET' as const, path: options.path, query, signal };
  let res: Awaited<ReturnType<Transport['stream']>>;
  try {
    res = await transport.stream(req);
  } catch (err) {
    if (options.signal?.aborted) return;
    throw err;
  }
  res.setEncoding('utf8');
  let buffered = '';
  try {
    // Leaving this loop early (an ERROR event, an abort) destroys the response and its connection.
    for await (const chunk of res as AsyncIterable<string>) {
      buffered += chunk;
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) dispatch(line, req.method, options.path, onEvent);
        nl = buffered.indexOf('\n');
      }
    }
    const rest = buffered.trim();
    if (rest) dispatch(rest, req.method, options.path, onEvent);
  } catch (err) {
    if (options.signal?.aborted) return;
    if (deadline.aborted)
      throw new Error(`watch ${options.path}: no end of stream within ${timeoutSeconds + 30}s`);
    // A connection lost mid-stream ("aborted", ECONNRESET): say which watch, keep the code.
    if (typeof (err as { code?: unknown }).code === 'string')
      throw new Error(`watch ${options.path}: ${errorMessage(err)}`, { cause: err });
    throw err;
  } finally {
    res.destroy();
  }
}

function dispatch<T extends KubeObject>(
  line: string,
  method: string,
  path: string,
  onEvent: (event: WatchEvent<T>) => void,
): void {
  const event = JSON.parse(line) as { type: string; object: unknown };
  if (event.type === 'ERROR') {
    const status = event.object as Status;
    throw new ApiError(method, path, status.code ?? 500, status);
  }
  onEvent(event as WatchEvent<T>);
}
