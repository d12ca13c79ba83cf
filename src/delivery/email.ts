// The email channel: builds the learner's message and hands it to an SMTP server with nodemailer.
import nodemailer from 'nodemailer';
import { MicrocredError } from '../errors';
import { emailMessage } from './email-message';
import type { DeliverySender } from './sender';

/** SMTP settings (config `delivery.smtp`). */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user?: string;
  readonly pass?: string;
  /** The sender, e.g. `Example Medical School <credentials@example.edu>`. */
  readonly from: string;
}

/** Options of {@link createEmailSender}. */
export interface EmailSenderOptions {
  readonly smtp: SmtpSettings;
  /** The credential's share link (see DeliveryWorkerOptions.shareUrlFor). */
  readonly shareUrlFor: (credentialId: string) => Promise<string>;
  /** The PDF certificate of a printable credential, its QR code opening the share link (the share service makes it). */
  readonly certificateFor: (credentialId: string) => Promise<Uint8Array>;
  /** A single-use wallet offer link (OID4VCI) for a printable credential; left out of the message when absent or undefined. */
  readonly walletOfferFor?: (credentialId: string) => Promise<string | undefined>;
  readonly now?: () => Date;
  readonly timeoutMs?: number;
}

/** The domain of the sender address, for Message-IDs; ERR_DELIVERY_OPTIONS when there is none. */
function senderDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  if (match?.[1] === undefined) throw new MicrocredError('ERR_DELIVERY_OPTIONS', `The sender "${from.slice(0, 200)}" has no address with a domain; set MICROCRED_MAIL_FROM, e.g. "School <credentials@example.edu>".`);
  return match[1].toLowerCase();
}

/** An SMTP reply code of 5xx means the server refused for good (no such mailbox, policy): retrying will not help. */
function permanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Builds the email sender. The message goes out only when the learner (still) has an email address. */
export function createEmailSender(options: EmailSenderOptions): DeliverySender {
  const { smtp } = options;
  const domain = senderDomain(smtp.from);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user === undefined || smtp.pass === undefined ? {} : { auth: { user: smtp.user, pass: smtp.pass } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return async (item) => {
    const address = item.learner.email;
    if (address === null) {
      throw new MicrocredError('ERR_DELIVERY_NO_RECIPIENT', `The learner of ${item.credentialId} has no email address (erased?); nothing was sent.`, { details: { credentialId: item.credentialId, permanent: true } });
    }
    const pdf = item.printable ? await options.certificateFor(item.credentialId) : undefined;
    const walletOffer = item.printable && options.walletOfferFor !== undefined ? await options.walletOfferFor(item.credentialId) : undefined;
    const message = emailMessage(item, { address, shareUrl: await options.shareUrlFor(item.credentialId), senderDomain: domain, ...(pdf ? { pdf } : {}), ...(walletOffer ? { walletOffer } : {}) });
    try {
      await transport.sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
        attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
    } catch (cause) {
      throw new MicrocredError('ERR_EMAIL_SEND', `The SMTP server ${smtp.host}:${smtp.port} did not accept the message for ${item.credentialId}: ${(cause as Error).message}`, {
        cause,
        details: { credentialId: item.credentialId, permanent: permanent(cause) },
      });
    }
  };
}
