// Serves the issuer API and the verifier (API and page) from one port, each app keeping its own middleware.
import { Hono } from 'hono';
import type { FetchHandler } from '../server';

/** Paths the issuer app answers; everything else goes to the verifier app (its API, the page, its 404s). */
const ISSUER_PATHS: readonly RegExp[] = [
  /^\/v1\/credentials(\/|$)/,
  /^\/v1\/batches(\/|$)/,
  /^\/credentials\/issue$/,
  /^\/openapi\.json$/,
  /^\/\.well-known\/did\.json$/,
  /^\/healthz$/,
];

/** True when `path` belongs to the issuer API. */
function isIssuerPath(path: string): boolean {
  return ISSUER_PATHS.some((pattern) => pattern.test(path));
}

/**
 * One app in front of both. Dispatching by path, rather than merging routes with `app.route`, keeps each app's
 * middleware (bearer auth, rate limits, body limits) on its own routes only. The Node bindings in `c.env` are passed
 * on so that client-address lookups keep working.
 */
export function combineApps(apps: { issuer?: FetchHandler; verifier?: FetchHandler }): Hono {
  const fallback = apps.verifier ?? apps.issuer;
  if (fallback === undefined) throw new TypeError('combineApps needs at least one app');
  const combined = new Hono();
  combined.all('*', (c) => {
    const target = apps.issuer !== undefined && isIssuerPath(c.req.path) ? apps.issuer : fallback;
    return target.fetch(c.req.raw, c.env);
  });
  return combined;
}
