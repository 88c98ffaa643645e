// Reading a local broker's log file (pure functions over its text).

/** The line the launcher writes into a broker's log before each start. */
export function brokerStartMarker(nodeId: number): string {
  return `--- starting broker ${nodeId}`;
}

/**
 * The ERROR/FATAL lines of the broker's last run, without timestamp and
 * thread, each once, at most `max`: why it stopped, where the tail of the
 * log is only shutdown chatter.
 */
export function lastRunErrors(log: string, max = 5): string[] {
  const start = log.lastIndexOf('--- starting broker');
  const run = start >= 0 ? log.slice(start) : log;
  const errors = run
    .split('\n')
    .filter((l) => / (ERROR|FATAL) /.test(l))
    .map((l) => l.replace(/^\S+ \[[^\]]*\] /, ''));
  return [...new Set(errors)].slice(0, max);
}
