// Cross-origin access for the public API: which web origins may call it from a browser.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { MicrocredError } from '../../errors';

/** Options of {@link apiCors}. */
export interface ApiCorsOptions {
  /** Allowed origins such as `https://employer.example`, or `'*'` for any origin (the default for a public verifier). */
  readonly origins: readonly string[] | '*';
}

/**
 * Factory for CORS on the API routes (hono/cors), without credentials: the verifier is public and needs no cookies.
 * Rejects an origin that is not a bare `http(s)://host[:port]` when created.
 */
export function apiCors(options: ApiCorsOptions): MiddlewareHandler {
  const { origins } = options;
  if (origins !== '*') {
    if (!Array.isArray(origins) || origins.length === 0) {
      throw new MicrocredError('ERR_INVALID_OPTIONS', "cors.origins must be '*' or a non-empty list of origins.");
    }
    for (const origin of origins as readonly unknown[]) {
      if (typeof origin !== 'string') throw new MicrocredError('ERR_INVALID_OPTIONS', 'cors.origins entries must be strings.');
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
        throw new MicrocredError('ERR_INVALID_OPTIONS', `cors.origins entry "${origin}" must be an origin like https://example.org, without path or trailing slash.`);
      }
    }
  }
  return cors({
    origin: origins === '*' ? '*' : [...(origins as readonly string[])],
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowHeaders: ['content-type', 'accept'],
    exposeHeaders: ['retry-after'],
    maxAge: 600,
  });
}
