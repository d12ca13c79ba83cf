// The webhook channel: POSTs "credential.anchored" to the LMS, signed as Standard Webhooks specify (HMAC-SHA256).
import { Webhook } from 'standardwebhooks';
import { MicrocredError } from '../errors';
import type { DeliveryItem } from './delivery-item';
import type { DeliverySender } from './sender';
import { checkWebhookUrl } from './webhook-url';

/** The JSON body the LMS receives. */
export interface WebhookPayload {
  readonly event: 'credential.anchored';
  readonly credentialId: string;
  readonly learnerName: string | null;
  readonly achievement: string;
  /** The credential's status now: active, revoked or suspended. */
  readonly state: string;
  readonly links: { readonly share: string };
}

/** The payload for one anchored credential. */
export function webhookPayload(item: DeliveryItem, shareUrl: string): WebhookPayload {
  return { event: 'credential.anchored', credentialId: item.credentialId, learnerName: item.learner.name, achievement: item.achievement, state: item.status, links: { share: shareUrl } };
}

/**
 * The message id (`webhook-id`, also sent as `Idempotency-Key`): one per credential and event, the same on every
 * retry and after a restart, so the receiver can process each credential exactly once.
 */
export function webhookMessageId(credentialId: string): string {
  return `msg_anchored_${credentialId.replace(/^urn:uuid:/, '')}`;
}

/** Options of {@link createWebhookSender}. */
export interface WebhookSenderOptions {
  readonly url: string;
  /** `whsec_` + base64 of the HMAC key (Standard Webhooks). */
  readonly secret: string;
  /** Development allows http and loopback receivers (see checkWebhookUrl). */
  readonly development: boolean;
  /** The credential's share link (see DeliveryWorkerOptions.shareUrlFor). */
  readonly shareUrlFor: (credentialId: string) => Promise<string>;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  /** Injected for tests of something else; default the global fetch. */
  readonly fetch?: typeof fetch;
}

/** Builds the webhook sender; ERR_DELIVERY_OPTIONS for an unusable URL or secret (checked now, not at the first send). */
export function createWebhookSender(options: WebhookSenderOptions): DeliverySender {
  const url = checkWebhookUrl(options.url, { development: options.development });
  let signer: Webhook;
  try {
    signer = new Webhook(options.secret);
  } catch (cause) {
    throw new MicrocredError('ERR_DELIVERY_OPTIONS', 'The webhook secret is not whsec_ followed by base64; set MICROCRED_WEBHOOK_SECRET.', { cause });
  }
  const now = options.now ?? ((): Date => new Date());
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (item) => {
    const body = JSON.stringify(webhookPayload(item, await options.shareUrlFor(item.credentialId)));
    const id = webhookMessageId(item.credentialId);
    const at = now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'microcred-webhook',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signer.sign(id, at, body),
      'idempotency-key': id,
    };
    let response: Response;
    try {
      // No redirects: a receiver must answer itself, so a redirect cannot carry the credential somewhere else.
      response = await doFetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new MicrocredError('ERR_WEBHOOK_UNREACHABLE', `The webhook receiver ${url.origin} could not be reached (${(cause as Error).message}); retrying later.`, { cause, details: { url: url.origin } });
    }
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) {
      throw new MicrocredError('ERR_WEBHOOK_REJECTED', `The webhook receiver ${url.origin} answered HTTP ${response.status}; retrying later.`, { details: { url: url.origin, status: response.status } });
    }
  };
}
