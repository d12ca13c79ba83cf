// What every answer to hostile input must be: below 500, problem+json when 4xx, no stack or path, within a deadline.
import { expect } from 'vitest';
import { PROBLEM_MEDIA_TYPE } from '../../src/server/problem';

/** Deadline of one in-process request; generous for a 2-core machine, far below "hangs". */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Text that betrays internals: a stack frame, a source path, the repository or node_modules, a file URL. */
export const LEAK = /\n\s*at \S|\bat [^\s(]+ \((?:\/|node:|file:)|\.[cm]?[jt]s:\d+:\d+|node_modules|\/work\/|file:\/\/|\/tmp\/microcred-/;

/** Resolves with `promise`, or rejects after `ms` naming `what`, so a hang fails the test instead of stalling it. */
export async function bounded<T>(what: string, promise: Promise<T>, ms = REQUEST_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A checked answer: status, and the body as text and (when JSON) parsed. */
export interface SafeAnswer {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary members
  json: any;
}

/** Runs `request` under the deadline and asserts the answer is safe; `what` names the input in failure messages. */
export async function expectSafeAnswer(what: string, request: () => Response | Promise<Response>, method = 'POST'): Promise<SafeAnswer> {
  const response = await bounded(what, Promise.resolve(request()));
  const text = await bounded(`${what} (body)`, response.text());
  expect(response.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(text, `${what}: the answer leaks internals`).not.toMatch(LEAK);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // A HEAD answer has headers only.
  if (response.status >= 400 && method === 'HEAD') expect(response.headers.get('content-type')).toBe(PROBLEM_MEDIA_TYPE);
  else if (response.status >= 400) {
    expect(response.headers.get('content-type'), `${what}: ${response.status} without problem+json`).toBe(PROBLEM_MEDIA_TYPE);
    const problem = json as { code?: unknown; status?: unknown; type?: unknown };
    expect(typeof problem?.code, `${what}: problem without a code`).toBe('string');
    expect(problem.status).toBe(response.status);
    expect(String(problem.type)).toBe(`urn:microcred:problem:${String(problem.code)}`);
  }
  return { status: response.status, text, json };
}

/** True while nothing has been written onto Object.prototype by a `__proto__` key. */
export function prototypeClean(): boolean {
  const probe: Record<string, unknown> = {};
  return probe.polluted === undefined && probe.reason === undefined && probe.records === undefined && probe['@vocab'] === undefined;
}
