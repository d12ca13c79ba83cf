// The public share links: GET /c/{shareId} shows the verification page already verifying the stored anchored
// credential, with its downloads; an unknown or disabled link gets one plain 404, the same for both.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { SHARE_FILES, type ShareFileName, type ShareService, type SharedCredential } from '../issuer';
import { PAGE_CSP, PAGE_DIR, registryMetaTags, type PageRegistry } from './page-routes';

/** Options of {@link createShareApp}. */
export interface ShareAppOptions {
  readonly share: Pick<ShareService, 'open' | 'file'>;
  /** The registries the page names (as on the verification page). */
  readonly registries?: readonly PageRegistry[];
  /** Called with an error that became a 500 (default: console.error). */
  readonly onUnexpected?: (error: unknown) => void;
}

/**
 * Headers of every share answer: no search-engine indexing, no Referer sent onwards (the link is the secret), no
 * caching (a disabled link stops working at once), and the page's Content-Security-Policy.
 */
export const SHARE_HEADERS: Readonly<Record<string, string>> = {
  'x-robots-tag': 'noindex, nofollow, noarchive',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': PAGE_CSP,
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** A small page of its own (404, not ready), styled like the verification page. */
function plainPage(title: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <meta name="robots" content="noindex, nofollow">
  <title>${escapeHtml(title)} · microcred</title>
  <link rel="stylesheet" href="/assets/verify.css">
</head>
<body>
  <main class="wrap" id="main">
    <h1>${escapeHtml(title)}</h1>
    <p class="lead">${escapeHtml(text)}</p>
  </main>
</body>
</html>
`;
}

/** One body for an unknown and a disabled link, so the answer tells nothing about which it is. */
const NOT_FOUND_PAGE = plainPage('Link not found', 'This credential link does not exist or has been turned off. Ask the holder for the credential file, or for a new link.');
const NOT_READY_PAGE = plainPage(
  'This credential is not ready yet',
  'The credential has been issued but is not yet recorded on the registry. It is handed out only in its final form; try this link again in a few minutes.',
);

function html(body: string, status: number): Response {
  return new Response(body, { status, headers: { ...SHARE_HEADERS, 'content-type': 'text/html; charset=utf-8' } });
}

/** The share section put into the verification page: what was shared, the downloads and the LinkedIn link. */
function shareSection(shareId: string, shared: Extract<SharedCredential, { state: 'ready' }>): string {
  const base = `/c/${shareId}`;
  const { facts } = shared;
  const who = facts?.learnerName === undefined ? '' : ` to ${escapeHtml(facts.learnerName)}`;
  const issuedBy = facts === null ? '' : `Issued by ${escapeHtml(facts.institution)}${who}. `;
  const link = (file: ShareFileName, label: string): string => `<li><a class="button" href="${base}/${file}" download>${label}</a></li>`;
  return `<section class="card share" aria-labelledby="share-heading">
      <h2 id="share-heading">${escapeHtml(facts?.achievement ?? 'Shared credential')}</h2>
      <p>${issuedBy}This page checks the credential as it opens; the result is below.</p>
      <ul class="downloads" aria-label="Downloads">
        ${link('credential.json', 'Download the credential (JSON)')}
        ${link('badge.png', 'Download the badge (PNG)')}
        ${link('badge.svg', 'Download the badge (SVG)')}
        ${facts === null ? '' : link('certificate.pdf', 'Download the certificate (PDF)')}
      </ul>
      ${shared.linkedinUrl === null ? '' : `<p><a class="button linkedin" href="${escapeHtml(shared.linkedinUrl)}" rel="noopener noreferrer" target="_blank">Add to LinkedIn profile</a></p>`}
    </section>`;
}

/** Builds the share app: `GET /c/{shareId}` and `GET /c/{shareId}/{credential.json|badge.png|badge.svg|certificate.pdf}`. */
export function createShareApp(options: ShareAppOptions): Hono {
  const template = readFileSync(path.join(PAGE_DIR, 'index.html'), 'utf8').replace('<!-- microcred:registries -->', registryMetaTags(options.registries ?? []));
  const app = new Hono();
  const onUnexpected = options.onUnexpected ?? ((error: unknown) => console.error(error));
  app.onError((error) => {
    onUnexpected(error);
    return html(plainPage('Something went wrong', 'This page could not be shown; try again later.'), 500);
  });
  app.notFound(() => html(NOT_FOUND_PAGE, 404));

  app.get('/c/:shareId', (c: Context) => {
    const shareId = c.req.param('shareId') ?? '';
    const shared = options.share.open(shareId);
    if (shared === null) return html(NOT_FOUND_PAGE, 404);
    if (shared.state === 'not-ready') return html(NOT_READY_PAGE, 200);
    const page = template
      .replace('<meta name="referrer" content="no-referrer">', `<meta name="referrer" content="no-referrer">\n  <meta name="robots" content="noindex, nofollow">\n  <meta name="microcred-share" content="/c/${shareId}/credential.json">`)
      .replace('<title>Verify a micro-credential · microcred</title>', `<title>${escapeHtml(shared.facts?.achievement ?? 'Shared credential')} · microcred</title>`)
      .replace('<!-- microcred:share -->', shareSection(shareId, shared));
    return html(page, 200);
  });

  app.get('/c/:shareId/:file', async (c: Context) => {
    const name = c.req.param('file') ?? '';
    if (!Object.hasOwn(SHARE_FILES, name)) return html(NOT_FOUND_PAGE, 404);
    const file = await options.share.file(c.req.param('shareId') ?? '', name as ShareFileName);
    if (file === null) return html(NOT_FOUND_PAGE, 404);
    if (file === 'not-ready') return html(NOT_READY_PAGE, 409);
    return new Response(file.bytes, {
      status: 200,
      headers: { ...SHARE_HEADERS, 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.fileName}"` },
    });
  });
  return app;
}
