// Checks a webhook URL before anything is sent to it: http(s) only, and outside development https to a non-loopback host.
import { isIP } from 'node:net';
import { isPublicAddress } from '../did';
import { MicrocredError } from '../errors';

/**
 * Parses the webhook URL. In development (the embedded chain) http and loopback receivers are fine (a local LMS or a
 * test server). Otherwise the URL must be https and must not name a loopback, private or link-local address literal
 * or `localhost`, so a mistyped setting cannot post credentials to this machine's own services. ERR_DELIVERY_OPTIONS.
 */
export function checkWebhookUrl(text: string, options: { development: boolean }): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new MicrocredError('ERR_DELIVERY_OPTIONS', `The webhook URL "${text.slice(0, 200)}" is not a URL; set MICROCRED_WEBHOOK_URL to the LMS's http(s) endpoint.`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MicrocredError('ERR_DELIVERY_OPTIONS', `The webhook URL must be http(s), not ${url.protocol}; fix MICROCRED_WEBHOOK_URL.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new MicrocredError('ERR_DELIVERY_OPTIONS', 'The webhook URL must not carry a user name or password; the receiver checks the signature instead (MICROCRED_WEBHOOK_SECRET).');
  }
  if (options.development) return url;
  if (url.protocol !== 'https:') {
    throw new MicrocredError('ERR_DELIVERY_OPTIONS', `The webhook URL ${url.origin} must use https outside development; fix MICROCRED_WEBHOOK_URL.`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && !isPublicAddress(host))) {
    throw new MicrocredError('ERR_DELIVERY_OPTIONS', `The webhook URL names a local address (${url.hostname}); outside development it must be the LMS's public https endpoint.`);
  }
  return url;
}
