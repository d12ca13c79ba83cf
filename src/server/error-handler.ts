// The one place where errors become HTTP answers: every error, expected or not, leaves as RFC 9457 problem details.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { MicrocredError, httpStatusOf } from '../errors';
import {
  PROBLEM_CODES,
  ProblemError,
  customProblem,
  isProblemCode,
  problemDetails,
  problemResponse,
  type ProblemCode,
  type ProblemDetails,
} from './problem';

/** Options of {@link problemErrorHandler}. */
export interface ProblemErrorHandlerOptions {
  /** Called with every error that became a 5xx, for the server's log. Default: `console.error`. */
  readonly onUnexpected?: (error: unknown, c: Context) => void;
}

/** Code for an HTTPException raised inside hono itself (for example by a built-in middleware). */
const CODE_BY_HTTP_STATUS: Readonly<Record<number, ProblemCode>> = {
  400: 'ERR_INVALID_REQUEST',
  404: 'ERR_NOT_FOUND',
  405: 'ERR_METHOD_NOT_ALLOWED',
  413: 'ERR_BODY_TOO_LARGE',
  415: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'ERR_RATE_LIMITED',
};

/** Generic titles for statuses of codes that other modules own. */
const TITLE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  503: 'Service unavailable',
};

/**
 * Maps any thrown value to problem details and the headers it needs: a MicrocredError answers with its catalog status
 * (src/errors/catalog.ts); anything else is ERR_INTERNAL. Never exposes a stack trace or a cause.
 */
export function toProblem(error: unknown): { body: ProblemDetails; headers: Record<string, string> } {
  if (error instanceof ProblemError && isProblemCode(error.code)) {
    return { body: problemDetails(error.code, error.message, { ...error.details }), headers: { ...error.headers } };
  }
  if (error instanceof MicrocredError) {
    if (isProblemCode(error.code)) return { body: problemDetails(error.code, error.message, { ...error.details }), headers: {} };
    // The catalog gives each code its status; 500 there means "never answered as itself", so it stays ERR_INTERNAL.
    const status = httpStatusOf(error.code);
    if (status >= 400 && status <= 599 && status !== 500) {
      const title = TITLE_BY_STATUS[status] ?? 'Request failed';
      return {
        body: customProblem({ code: error.code, status, title, detail: error.message, extensions: { ...error.details } }),
        headers: {},
      };
    }
  }
  if (error instanceof HTTPException) {
    const code = CODE_BY_HTTP_STATUS[error.status];
    if (code !== undefined) return { body: problemDetails(code, PROBLEM_CODES[code].title + '.'), headers: {} };
  }
  return {
    body: problemDetails('ERR_INTERNAL', 'The server failed to answer this request. Try again later; if it persists, tell the operator.'),
    headers: {},
  };
}

/** Factory for the app's `onError`: every error becomes a problem-details answer. */
export function problemErrorHandler(options: ProblemErrorHandlerOptions = {}): ErrorHandler {
  const onUnexpected = options.onUnexpected ?? ((error: unknown) => console.error('unexpected error while answering a request:', error));
  return (error, c) => {
    const { body, headers } = toProblem(error);
    if (body.status >= 500) onUnexpected(error, c);
    return problemResponse(body, headers);
  };
}

/** Factory for the app's `notFound`: a problem-details 404 that names no internals. */
export function problemNotFound(): NotFoundHandler {
  return (c) => problemResponse(problemDetails('ERR_NOT_FOUND', `Nothing is served at ${c.req.method} ${c.req.path.slice(0, 200)}.`));
}
