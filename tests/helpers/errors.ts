// The one way tests expect an error: by its stable code (never by message text), thrown, rejected or answered.
import { expect } from 'vitest';
import { isMicrocredError, type ErrorCode } from '../../src/errors';
import { PROBLEM_MEDIA_TYPE } from '../../src/server/problem';

/** The code of what `run` throws: its ERR_* code, 'NOT_MICROCRED' for any other error, undefined when it returns. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error: unknown) {
    return isMicrocredError(error) ? error.code : 'NOT_MICROCRED';
  }
  return undefined;
}

/** What `run` throws; fails the test when it returns. */
export function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('expected an error');
}

/**
 * Expects `run` to throw (or the promise to reject with) a MicrocredError with `code`; with `details`, its details
 * must contain them. Returns the error for further checks.
 */
export function expectCode(run: () => unknown, code: ErrorCode, details?: Record<string, unknown>): unknown;
export function expectCode(run: Promise<unknown>, code: ErrorCode, details?: Record<string, unknown>): Promise<unknown>;
export function expectCode(run: (() => unknown) | Promise<unknown>, code: ErrorCode, details?: Record<string, unknown>): unknown {
  const check = (error: unknown): unknown => {
    expect(isMicrocredError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
    if (details !== undefined && isMicrocredError(error)) expect(error.details).toMatchObject(details);
    return error;
  };
  if (run instanceof Promise) return run.then(() => expect.fail(`expected ${code}, but it resolved`), check);
  return check(caught(run));
}

/** Passes when `run` returns, or throws a MicrocredError whose code matches `codes` (for fuzzed input). */
export function expectCodedOrOk(what: string, run: () => unknown, codes: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isMicrocredError(error), `${what}: threw ${String(error)}`).toBe(true);
    expect((error as { code: string }).code, what).toMatch(codes);
  }
}

/** Expects an RFC 9457 problem-details answer with `status` and `code`, and no stack trace; returns its body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- problem bodies are read loosely by tests
export async function expectProblem(response: Response, status: number, code: string): Promise<any> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM_MEDIA_TYPE);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:microcred:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  return body;
}
