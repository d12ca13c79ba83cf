// Serves the issuer API and the verifier (API and page) from one port, each app keeping its own middleware.
import { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { FetchHandler } from '../server';

/** Public status lists, served by their own app (no token, cacheable). */
const STATUS_PATH = /^\/status\//;
/** Development pages (the caught mail), served only when the embedded default composes them in. */
const DEV_PATH = /^\/dev\//;
/** Public share links (`/c/{shareId}` and its files), served by their own app (no token, never cached). */
const SHARE_PATH = /^\/c\//;

/** An app that can say which paths it answers: hono's `routes` (what `app.get(...)` and friends registered). */
export interface RoutedApp extends FetchHandler {
  readonly routes: readonly { readonly method: string; readonly path: string }[];
}

/**
 * A test for "does this app have a route for this path" (any method, so a wrong method still gets the app's own
 * 405). Middleware mounted with `app.use` (method ALL, wildcard path) claims no path; only real routes do.
 */
function pathMatcher(app: RoutedApp): (path: string) => boolean {
  const router = new TrieRouter<true>();
  for (const route of app.routes) {
    if (route.method === 'ALL' && route.path.includes('*')) continue;
    router.add('ALL', route.path, true);
  }
  return (path) => router.match('GET', path)[0].length > 0;
}

/**
 * One app in front of both. Dispatching by path, rather than merging routes with `app.route`, keeps each app's
 * middleware (bearer auth, rate limits, body limits) on its own routes only. The issuer's paths are read from its own
 * routes, so a route added there is served here without a second list. The Node bindings in `c.env` are passed on so
 * that client-address lookups keep working.
 */
export function combineApps(apps: { issuer?: RoutedApp; verifier?: FetchHandler; status?: FetchHandler; dev?: FetchHandler; share?: FetchHandler }): Hono {
  const fallback = apps.verifier ?? apps.issuer;
  if (fallback === undefined) throw new TypeError('combineApps needs at least one app');
  const isIssuerPath = apps.issuer === undefined ? () => false : pathMatcher(apps.issuer);
  const combined = new Hono();
  combined.all('*', (c) => {
    const path = c.req.path;
    const target =
      apps.status !== undefined && STATUS_PATH.test(path)
        ? apps.status
        : apps.share !== undefined && SHARE_PATH.test(path)
          ? apps.share
          : apps.dev !== undefined && DEV_PATH.test(path)
            ? apps.dev
            : apps.issuer !== undefined && isIssuerPath(path)
              ? apps.issuer
              : fallback;
    return target.fetch(c.req.raw, c.env);
  });
  return combined;
}
