// The client's network address, the key of per-client limits.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The remote address of the TCP connection (from @hono/node-server), or `unknown` when the app runs without a socket
 * (for example under `app.request` in tests). Forwarded headers are ignored on purpose: any client can forge them.
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
