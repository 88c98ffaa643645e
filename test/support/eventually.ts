// Polls an assertion until it passes, for tests against a real, eventually
// consistent API server. The last failure is rethrown on timeout, so the test
// reports what was still wrong rather than "timed out".
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 60_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(intervalMs);
  }
}
