// The issuer's public base URL: the configured one, or (the embedded default) the local server's own address.
import type { MicrocredConfig } from './schema';

/** `publicBaseUrl` when set; otherwise `http://<host>:<port>`, the URL the local server answers on. */
export function publicBaseUrlOf(config: Pick<MicrocredConfig, 'publicBaseUrl' | 'host' | 'port'>): string {
  if (config.publicBaseUrl !== undefined) return config.publicBaseUrl.replace(/\/+$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}
