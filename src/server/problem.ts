// RFC 9457 problem details: the one shape every HTTP error of microcred's servers takes, with a stable code.
import { ERROR_CATALOG, MicrocredError } from '../errors';

/** Media type of a problem-details body (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Prefix of every problem `type` URI; the code follows it, so the type is as stable as the code. */
export const PROBLEM_TYPE_PREFIX = 'urn:microcred:problem:';

/** The short title of each problem code the servers answer with. */
const PROBLEM_TITLES = {
  ERR_INVALID_REQUEST: 'The request is not in the expected shape',
  ERR_MALFORMED_JSON: 'The body is not well-formed JSON',
  ERR_MALFORMED_BODY: 'The body is not valid UTF-8 text',
  ERR_JSON_TOO_DEEP: 'The JSON body is nested too deeply',
  ERR_NOT_A_CREDENTIAL: 'The input is not a credential or presentation',
  ERR_NOT_FOUND: 'No such resource',
  ERR_METHOD_NOT_ALLOWED: 'Method not allowed on this resource',
  ERR_BODY_TOO_LARGE: 'The body is too large',
  ERR_UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  ERR_NOT_VERIFIED: 'The credential does not verify',
  ERR_RATE_LIMITED: 'Too many requests',
  ERR_INTERNAL: 'Internal server error',
  ERR_VERIFIER_FAILED: 'The verifier failed unexpectedly',
} as const;

/** Each problem code's status (from the error catalog) and title. */
export const PROBLEM_CODES = Object.fromEntries(
  Object.entries(PROBLEM_TITLES).map(([code, title]) => [code, { status: ERROR_CATALOG[code as keyof typeof PROBLEM_TITLES].http, title }]),
) as { readonly [C in keyof typeof PROBLEM_TITLES]: { readonly status: number; readonly title: (typeof PROBLEM_TITLES)[C] } };

/** A problem code with a known status. */
export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The JSON body of a problem-details answer. `code` is microcred's extension member; match on it. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  /** Extension members, such as `allow` or `retryAfterSeconds`. Never secrets, never stack traces. */
  readonly [extension: string]: unknown;
}

/** An error that is meant to become a problem-details answer: thrown by middleware and handlers, mapped by onError. */
export class ProblemError extends MicrocredError {
  /** HTTP status the answer carries. */
  readonly status: number;
  /** Extra response headers, such as `Retry-After` or `Allow`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { cause?: unknown; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(code, detail, options);
    this.status = PROBLEM_CODES[code].status;
    this.headers = options.headers ?? {};
  }
}

/** True when `code` is one of PROBLEM_CODES. */
export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CODES, code);
}

/** Builds the problem-details body for a known code; `extensions` are copied in as extra members. */
export function problemDetails(code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const { status, title } = PROBLEM_CODES[code];
  return customProblem({ code, status, title, detail, extensions });
}

/** Builds a problem-details body for a code another module owns (for example the issuer API's own codes). */
export function customProblem(fields: {
  code: string;
  status: number;
  title: string;
  detail: string;
  extensions?: Record<string, unknown>;
}): ProblemDetails {
  // Extensions first, so they can never overwrite the standard members.
  return {
    ...fields.extensions,
    type: `${PROBLEM_TYPE_PREFIX}${fields.code}`,
    title: fields.title,
    status: fields.status,
    detail: fields.detail,
    code: fields.code,
  };
}

/** A ready Response carrying a problem-details body with its status and media type. */
export function problemResponse(body: ProblemDetails, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { ...headers, 'content-type': PROBLEM_MEDIA_TYPE },
  });
}
