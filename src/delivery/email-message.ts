// The learner's email: a plain, accessible message (text and HTML) with the share link, the PDF and the JSON attached.
import type { DeliveryItem } from './delivery-item';

/** One attachment of the message. */
export interface EmailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** The message, ready for any SMTP client. */
export interface EmailMessage {
  readonly to: { readonly name: string; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Deterministic per credential (see emailMessageId). */
  readonly messageId: string;
  readonly attachments: readonly EmailAttachment[];
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/**
 * The Message-ID: one per credential, the same on every retry, so a receiving system that drops duplicate
 * Message-IDs shows a resent message once (docs/delivery.md says exactly when a resend can happen).
 */
export function emailMessageId(credentialId: string, senderDomain: string): string {
  return `<credential-${credentialId.replace(/^urn:uuid:/, '')}@${senderDomain}>`;
}

/** A file name from the learner's name and the achievement (letters, digits and dashes only). */
function fileStem(item: DeliveryItem): string {
  const words = `${item.learner.name ?? 'credential'} ${item.achievement}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return words.slice(0, 80) || 'credential';
}

/** Builds the message for one credential; `pdf` is the certificate (left out for a credential that has none). */
export function emailMessage(item: DeliveryItem, options: { address: string; shareUrl: string; senderDomain: string; pdf?: Uint8Array; walletOffer?: string }): EmailMessage {
  const name = item.learner.name ?? '';
  const stem = fileStem(item);
  const greeting = name === '' ? 'Hello,' : `Hello ${name},`;
  const lines = [
    greeting,
    '',
    `${item.institution} has issued you a verifiable credential: ${item.achievement}.`,
    '',
    'Open it, check it and share it with an employer at this link:',
    options.shareUrl,
    '',
    ...(options.walletOffer === undefined ? [] : ['To keep it in your digital wallet (an OpenID for Verifiable Credential Issuance wallet), open this link on the device that has the wallet; it works once:', options.walletOffer, '']),
    'Attached are:',
    ...(options.pdf === undefined ? [] : [`- ${stem}.pdf, a certificate to print or share; the signed credential is inside it.`]),
    `- ${stem}.json, the signed credential itself. Keep it: anyone can verify it without asking ${item.institution}.`,
    '',
    `Credential id: ${item.credentialId}`,
  ];
  const html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(item.achievement)}</title></head>
<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a26; max-width: 40em;">
<h1 style="font-size: 1.4em;">Your credential: ${escapeHtml(item.achievement)}</h1>
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(item.institution)} has issued you a verifiable credential: <strong>${escapeHtml(item.achievement)}</strong>.</p>
<p><a href="${escapeHtml(options.shareUrl)}">Open, check and share your credential</a></p>
${options.walletOffer === undefined ? '' : `<p><a href="${escapeHtml(options.walletOffer)}">Add it to your digital wallet</a> (open this link on the device that has the wallet; it works once).</p>\n`}<p>Attached are:</p>
<ul>
${options.pdf === undefined ? '' : `<li>${escapeHtml(stem)}.pdf, a certificate to print or share; the signed credential is inside it.</li>\n`}<li>${escapeHtml(stem)}.json, the signed credential itself. Keep it: anyone can verify it without asking ${escapeHtml(item.institution)}.</li>
</ul>
<p>Credential id: ${escapeHtml(item.credentialId)}</p>
</body>
</html>
`;
  const attachments: EmailAttachment[] = [];
  if (options.pdf !== undefined) attachments.push({ filename: `${stem}.pdf`, contentType: 'application/pdf', content: Buffer.from(options.pdf) });
  attachments.push({ filename: `${stem}.json`, contentType: 'application/json', content: Buffer.from(JSON.stringify(item.anchored, null, 2), 'utf8') });
  return {
    to: { name, address: options.address },
    subject: `Your credential: ${item.achievement}`,
    text: `${lines.join('\n')}\n`,
    html,
    messageId: emailMessageId(item.credentialId, options.senderDomain),
    attachments,
  };
}
