// Reads a `POST /v1/verify` body sent as a baked badge image or a PDF certificate: the credential inside is verified.
import type { Context } from 'hono';
import { extractEmbedded } from '../delivery';
import { isMicrocredError } from '../errors';
import type { VerificationOutcome } from '../verify';
import { mediaTypeOf } from './request-body';

/** Media types whose body is a container holding a credential: a baked PNG or SVG badge, or a PDF certificate. */
export const EMBEDDED_MEDIA_TYPES: readonly string[] = ['image/png', 'image/svg+xml', 'application/pdf'];

/** The credential text found in the body, or the parse outcome when the container holds none (never an exception). */
export type EmbeddedBody = { readonly input: string } | { readonly outcome: VerificationOutcome };

const notFound = (code: string, message: string): { outcome: VerificationOutcome } => {
  const parse = { check: 'parse', status: 'failed', code, message } as const;
  return { outcome: { verdict: 'invalid', flags: [], checks: [parse], reasons: [parse], kind: 'unknown' } };
};

/**
 * For an image or PDF media type: the credential inside the body (FILE_NO_CREDENTIAL or FILE_EMBEDDED_MALFORMED as a
 * failed parse check when there is none). Undefined for any other media type, which the JSON/JWS reader handles.
 */
export async function readEmbeddedBody(c: Context): Promise<EmbeddedBody | undefined> {
  const media = mediaTypeOf(c);
  if (media === undefined || !EMBEDDED_MEDIA_TYPES.includes(media.type)) return undefined;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    const found = await extractEmbedded(bytes);
    return found === undefined ? notFound('FILE_NO_CREDENTIAL', `The body is not a ${media.type} file.`) : { input: found.credential };
  } catch (error) {
    if (isMicrocredError(error, 'ERR_EMBEDDED_NONE')) return notFound('FILE_NO_CREDENTIAL', error.message);
    if (isMicrocredError(error, 'ERR_EMBEDDED_MALFORMED')) return notFound('FILE_EMBEDDED_MALFORMED', error.message);
    throw error;
  }
}
