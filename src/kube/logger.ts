// Structured JSON logs (pino). Controllers get child loggers that carry
// controller, key and reconcileID on every line, so one reconcile can be
// followed through the logs with a single filter.
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export interface LoggerOptions {
  name?: string;
  /** Default: $LOG_LEVEL, else 'info'. */
  level?: string;
  /** Default: stdout. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = {
    name: options.name,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    // ISO time reads better in `kubectl logs` than epoch millis.
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** A logger that drops everything (unit tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
