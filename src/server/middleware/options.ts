// Checks for middleware options, so that a factory rejects a bad option when it is created, not on the first request.
import { MicrocredError } from '../../errors';

/** Throws ERR_INVALID_OPTIONS unless `value` is an integer in [min, max]. */
export function requireInteger(name: string, value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MicrocredError('ERR_INVALID_OPTIONS', `${name} must be an integer from ${min} to ${max}, not ${String(value)}.`);
  }
  return value;
}
