/** Base of every error microcred throws on purpose: a stable `code` that callers and tests match on. */
import type { ErrorCode } from './errors/catalog';

export { ERROR_CATALOG, EXIT_CODES, couldNotCheck, exitCodeOf, httpStatusOf, isErrorCode, type ErrorCode, type ErrorEntry, type ExitCode } from './errors/catalog';

/** An error with a stable machine-readable code from the catalog (src/errors/catalog.ts). Codes are added, never renamed. */
export class MicrocredError extends Error {
  /** Stable code such as `ERR_CONTEXT_NOT_BUNDLED`; match on this, never on the message. */
  readonly code: ErrorCode;
  /** Extra facts for the caller (never secrets). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `value` is a MicrocredError, optionally with the given code. */
export function isMicrocredError(value: unknown, code?: ErrorCode): value is MicrocredError {
  return value instanceof MicrocredError && (code === undefined || value.code === code);
}
