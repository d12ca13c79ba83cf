/** Base of every error microcred throws on purpose: a stable `code` that callers and tests match on. */
import type { ErrorCode } from './catalog';

export { ERROR_CATALOG, EXIT_CODES, couldNotCheck, exitCodeOf, httpStatusOf, isErrorCode, type ErrorCode, type ErrorEntry, type ExitCode } from './catalog';

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

/** Finds the MicrocredError behind an error that jsonld or jsonld-signatures wrapped (cause, details.cause, arrays). */
export function findMicrocredError(error: unknown, depth = 0): MicrocredError | undefined {
  if (depth > 8 || error === null || typeof error !== 'object') return undefined;
  if (error instanceof MicrocredError) return error;
  if (Array.isArray(error)) {
    for (const e of error) {
      const found = findMicrocredError(e, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const e = error as { cause?: unknown; details?: { cause?: unknown }; errors?: unknown; error?: unknown };
  return (
    findMicrocredError(e.cause, depth + 1) ??
    findMicrocredError(e.details?.cause, depth + 1) ??
    findMicrocredError(e.errors, depth + 1) ??
    findMicrocredError(e.error, depth + 1)
  );
}
