// Which delivery channels a configuration turns on: the one rule the server and `microcred anchor` share.
import type { MicrocredConfig } from '../config';
import type { DeliveryChannel } from '../store';

/**
 * `webhook` when a webhook URL is set; `email` when an SMTP server is set, or in the embedded default (its local
 * mail catcher). Jobs are queued only for these, when a batch is anchored.
 */
export function deliveryChannelsOf(config: MicrocredConfig): DeliveryChannel[] {
  const channels: DeliveryChannel[] = [];
  if (config.delivery.webhook.url !== undefined) channels.push('webhook');
  if (config.delivery.smtp.host !== undefined || config.chain.mode === 'embedded') channels.push('email');
  return channels;
}
