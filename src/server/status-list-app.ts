// The public status list route: GET /status/{list} serves the issuer's signed Bitstring Status List, cacheable by ETag.
import { Hono } from 'hono';
import type { StatusListPublisher } from '../status';
import { problemErrorHandler, problemNotFound } from './error-handler';
import { ProblemError } from './problem';

/** Options of {@link createStatusListApp}. */
export interface StatusListAppOptions {
  readonly publisher: StatusListPublisher;
  /** Called with every error that became a 5xx (default: console.error). */
  readonly onUnexpected?: (error: unknown) => void;
}

const LIST_ID = /^(di|jose)-[1-9]\d{0,8}-(revocation|suspension)$/;

/** True when an If-None-Match header names `etag` (or is `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === etag;
  });
}

/**
 * `GET /status/{list}` (public, no token, any origin): the signed list with `Cache-Control: public, max-age=<ttl>` and
 * a strong ETag; `If-None-Match` gives 304. 404 ERR_NOT_FOUND for an unknown list.
 */
export function createStatusListApp(options: StatusListAppOptions): Hono {
  const app = new Hono();
  app.onError(problemErrorHandler(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}));
  app.notFound(problemNotFound());
  app.get('/status/:list', async (c) => {
    const id = c.req.param('list');
    const published = LIST_ID.test(id) ? await options.publisher.get(id) : null;
    if (published === null) throw new ProblemError('ERR_NOT_FOUND', `No status list ${id} is published here.`);
    const headers: Record<string, string> = {
      'Cache-Control': `public, max-age=${Math.floor(published.ttlMs / 1000)}`,
      ETag: published.etag,
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'ETag',
    };
    if (matches(c.req.header('if-none-match'), published.etag)) return c.body(null, 304, headers);
    return c.body(published.body, 200, { ...headers, 'Content-Type': published.contentType });
  });
  return app;
}
