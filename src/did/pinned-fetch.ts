// HTTP fetch that connects only to addresses already checked, so DNS cannot answer differently after the check.
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

/** An address the SSRF guard accepted. */
export interface CheckedAddress {
  readonly address: string;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A `lookup` for the socket layer that answers with the checked addresses whatever name it is asked about. TLS still
 * verifies the certificate against the URL's host name; only the IP the connection goes to is fixed.
 */
export function pinnedLookup(addresses: readonly CheckedAddress[]): (hostname: string, options: { all?: boolean }, callback: LookupCallback) => void {
  const list = addresses.map((a) => ({ address: a.address, family: isIP(a.address) === 6 ? 6 : 4 }));
  return (_hostname, options, callback) => {
    const first = list[0];
    if (first === undefined) {
      callback(Object.assign(new Error('no checked address to connect to'), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (options.all === true) callback(null, list);
    else callback(null, first.address, first.family);
  };
}

/**
 * Fetches `url`, connecting only to `addresses` (no second DNS query: closes the DNS-rebinding gap between the
 * guard's check and the connection), then reads the body with `read` before the connection pool is closed.
 */
export async function fetchPinned<T>(url: URL, addresses: readonly CheckedAddress[], init: { signal: AbortSignal; headers: Record<string, string> }, read: (response: Response) => Promise<T>): Promise<T> {
  const agent = new Agent({ connect: { lookup: pinnedLookup(addresses) } });
  try {
    const response = await undiciFetch(url, { ...init, redirect: 'error', dispatcher: agent });
    return await read(response);
  } finally {
    await agent.close();
  }
}

/**
 * Reads a response body as UTF-8 text, at most `maxBytes`: a larger declared length, or a body that grows past it,
 * cancels the read and throws `tooLarge()` (so a hostile server cannot make the reader buffer without end).
 */
export async function readBodyCapped(response: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  if (Number(response.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge();
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || !value) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
