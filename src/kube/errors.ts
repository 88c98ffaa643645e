// Errors the runtime distinguishes: API errors by HTTP status/reason, and
// TerminalError, which tells the work queue not to retry.

/** metav1.Status, the body of every API error response. */
export interface Status {
  kind?: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { message?: string; field?: string }[] };
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly reason: string;
  readonly status: Status | undefined;
  readonly method: string;
  readonly path: string;

  constructor(
    method: string,
    path: string,
    statusCode: number,
    status: Status | undefined,
    fallbackText = '',
  ) {
    const reason = status?.reason ?? '';
    super(
      `${method} ${path}: ${statusCode}${reason ? ` ${reason}` : ''}: ${status?.message ?? fallbackText}`,
    );
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.reason = reason;
    this.status = status;
    this.method = method;
    this.path = path;
  }
}

function code(err: unknown): number | undefined {
  return err instanceof ApiError ? err.statusCode : undefined;
}

export const isNotFound = (err: unknown): boolean => code(err) === 404;
export const isConflict = (err: unknown): boolean => code(err) === 409 && !isAlreadyExists(err);
export const isAlreadyExists = (err: unknown): boolean =>
  err instanceof ApiError && err.statusCode === 409 && err.reason === 'AlreadyExists';
/** 410 Gone / Expired: the resourceVersion we asked for was compacted away; relist. */
export const isGone = (err: unknown): boolean => code(err) === 410;
export const isForbidden = (err: unknown): boolean => code(err) === 403;
export const isInvalid = (err: unknown): boolean => code(err) === 422;

/**
 * Thrown from a reconcile when retrying cannot help (bad user input, say): it
 * is logged, counted and recorded, but the key is not requeued until the
 * object changes again.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export function isTerminal(err: unknown): boolean {
  return err instanceof TerminalError;
}

/** The RESTMapper knows no resource for this kind (not installed, or not yet). */
export class NoKindMatchError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`no resource for kind ${kind} in ${apiVersion} (is its CRD installed?)`);
    this.name = 'NoKindMatchError';
  }
}

/** Refused locally: this process is no longer leader, so it must not write. */
export class NotLeaderError extends Error {
  constructor(what: string) {
    super(`refusing ${what}: leader election lease lost`);
    this.name = 'NotLeaderError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
