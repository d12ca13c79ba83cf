// The development mail page (`/dev/mail`, embedded default only): the messages the local mail catcher caught.
import { Hono } from 'hono';
import type { CaughtMail, MailCatcher } from '../delivery';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** No script, nothing fetched: the page is plain HTML with inline styles. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** A caught HTML message is shown sandboxed, with nothing loaded from anywhere. */
const MESSAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; base-uri 'none'; frame-ancestors 'none'";

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em;color:#1a1a26}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4em .6em;border-bottom:1px solid #ccd}pre{white-space:pre-wrap;background:#f4f4f8;padding:1em}</style>
</head>
<body>
<p><strong>Development only.</strong> Mail caught by microcred's local mail catcher; nothing here left this machine.</p>
${body}
</body>
</html>
`;
}

function messagePage(mail: CaughtMail): string {
  const attachments = mail.attachments
    .map((a, i) => `<li><a href="/dev/mail/${mail.id}/attachments/${i}">${escapeHtml(a.filename)}</a> (${escapeHtml(a.contentType)}, ${a.content.length} bytes)</li>`)
    .join('\n');
  return page(
    mail.subject,
    `<p><a href="/dev/mail">All caught mail</a></p>
<h1>${escapeHtml(mail.subject)}</h1>
<dl>
<dt>From</dt><dd>${escapeHtml(mail.from)}</dd>
<dt>To</dt><dd>${escapeHtml(mail.to)}</dd>
<dt>Received</dt><dd><time datetime="${mail.receivedAt}">${mail.receivedAt}</time></dd>
<dt>Message-ID</dt><dd>${escapeHtml(mail.messageId ?? '')}</dd>
</dl>
${mail.html === null ? '' : `<p><a href="/dev/mail/${mail.id}/html">Open the HTML version</a></p>`}
<h2>Text</h2>
<pre>${escapeHtml(mail.text)}</pre>
<h2>Attachments</h2>
<ul>
${attachments}
</ul>`,
  );
}

/** The development mail app: the list, one message, its HTML part (sandboxed) and its attachments. */
export function createDevMailApp(catcher: Pick<MailCatcher, 'list' | 'get'>): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    if (!c.res.headers.has('content-security-policy')) c.header('content-security-policy', PAGE_CSP);
  });
  app.get('/dev/mail', async (c) => {
    const mail = await catcher.list();
    const rows = mail
      .map((m) => `<tr><td>${escapeHtml(m.to)}</td><td><a href="/dev/mail/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td><td><time datetime="${m.receivedAt}">${m.receivedAt}</time></td></tr>`)
      .join('\n');
    return c.html(
      page(
        'Caught mail',
        `<h1>Caught mail</h1>
${mail.length === 0 ? '<p>No mail caught yet. Issue a credential; once it is anchored its email shows up here.</p>' : `<table><thead><tr><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Received</th></tr></thead><tbody>\n${rows}\n</tbody></table>`}`,
      ),
    );
  });
  app.get('/dev/mail/:id', async (c) => {
    const mail = await catcher.get(c.req.param('id'));
    return mail === null ? c.html(page('Not found', '<h1>No such message</h1><p><a href="/dev/mail">All caught mail</a></p>'), 404) : c.html(messagePage(mail));
  });
  app.get('/dev/mail/:id/html', async (c) => {
    const mail = await catcher.get(c.req.param('id'));
    if (mail?.html == null) return c.html(page('Not found', '<h1>No such message</h1>'), 404);
    c.header('content-security-policy', MESSAGE_CSP);
    return c.html(mail.html);
  });
  app.get('/dev/mail/:id/attachments/:n', async (c) => {
    const mail = await catcher.get(c.req.param('id'));
    const attachment = mail?.attachments[Number(c.req.param('n'))];
    if (attachment === undefined || !/^\d{1,3}$/.test(c.req.param('n'))) return c.html(page('Not found', '<h1>No such attachment</h1>'), 404);
    const name = attachment.filename.replace(/[^A-Za-z0-9._-]/g, '_');
    return c.body(new Uint8Array(attachment.content), 200, { 'content-type': attachment.contentType, 'content-disposition': `attachment; filename="${name}"` });
  });
  return app;
}
