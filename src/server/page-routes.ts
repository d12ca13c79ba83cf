// Serves the employer's verification page: a fixed set of files from src/server/page/, read once at start-up.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';

/** Folder of the page's HTML, CSS, JS and icon. */
export const PAGE_DIR = path.join(__dirname, 'page');

/** URL path → file and media type. A fixed table, so no request path ever reaches the file system. */
const PAGE_FILES: ReadonlyArray<{ route: string; file: string; type: string; cache: string }> = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8', cache: 'no-cache' },
  { route: '/assets/verify.css', file: 'verify.css', type: 'text/css; charset=utf-8', cache: 'public, max-age=300' },
  { route: '/assets/words.js', file: 'words.js', type: 'text/javascript; charset=utf-8', cache: 'public, max-age=300' },
  { route: '/assets/verify.js', file: 'verify.js', type: 'text/javascript; charset=utf-8', cache: 'public, max-age=300' },
  { route: '/assets/icon.svg', file: 'icon.svg', type: 'image/svg+xml', cache: 'public, max-age=86400' },
];

/**
 * The page's Content-Security-Policy: scripts and styles only from this origin (no inline code), badge images only
 * from https or data URLs, requests only back to this origin, and no framing.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A registry the page names as the one it checks against. */
export interface PageRegistry {
  readonly chainId: number;
  readonly address: string;
}

/** Options of {@link addPageRoutes}. */
export interface PageOptions {
  /** The registries the verifier trusts, shown with every result ("checked against …"); none: the page says it does not know. */
  readonly registries?: readonly PageRegistry[];
}

/**
 * `<meta>` tags naming the trusted registries, put into the page once at start-up. Only validated integers and
 * addresses reach the HTML, so nothing in them needs escaping.
 */
export function registryMetaTags(registries: readonly PageRegistry[]): string {
  return registries
    .filter((r) => Number.isSafeInteger(r.chainId) && r.chainId > 0 && /^0x[0-9a-fA-F]{40}$/.test(r.address))
    .map((r) => `<meta name="microcred-registry" content="${r.chainId} ${r.address}">`)
    .join('\n  ');
}

/** Adds `GET /` and `GET /assets/*` for the page to `app`. */
export function addPageRoutes(app: Hono, options: PageOptions = {}): void {
  const meta = registryMetaTags(options.registries ?? []);
  for (const { route, file, type, cache } of PAGE_FILES) {
    const raw = readFileSync(path.join(PAGE_DIR, file));
    const content = file === 'index.html' ? raw.toString('utf8').replace('<!-- microcred:registries -->', meta) : raw;
    app.get(route, () =>
      new Response(content, {
        headers: {
          'content-type': type,
          'cache-control': cache,
          'content-security-policy': PAGE_CSP,
          'referrer-policy': 'no-referrer',
        },
      }),
    );
  }
}
