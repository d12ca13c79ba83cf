// Caps the request body: rejects early on a too-large Content-Length and counts the bytes of the stream itself.
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problem';
import { requireInteger } from './options';

/** Default cap: 256 KiB, far above any single credential or presentation. */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/** Options of {@link bodyLimit}. */
export interface BodyLimitOptions {
  /** Largest accepted body, in bytes. */
  readonly maxBytes: number;
}

/**
 * Factory for a body-size limit. Unlike hono's own bodyLimit, it counts the stream even when a Content-Length is
 * present, so a body longer than its header claims is cut off too. The buffered body replaces the request's stream,
 * so handlers read it as usual. Throws ProblemError ERR_BODY_TOO_LARGE (413).
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const maxBytes = requireInteger('bodyLimit.maxBytes', options.maxBytes, 1, 64 * 1024 * 1024);
  const tooLarge = () => new ProblemError('ERR_BODY_TOO_LARGE', `The body must be at most ${maxBytes} bytes.`, { details: { maxBytes } });

  return async (c, next) => {
    const body = c.req.raw.body;
    if (body === null) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) {
      await body.cancel().catch(() => undefined);
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch {
        // The client hung up or was cut off (request timeout) mid-body: its fault, not the server's, so no 5xx.
        throw new ProblemError('ERR_INVALID_REQUEST', 'The request body ended before it was complete; send the whole body again.');
      }
      const { done, value } = chunk;
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    const buffered = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      buffered.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: buffered });
    return next();
  };
}
