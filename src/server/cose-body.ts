// Reads a `POST /v1/verify` body sent as `application/vc+cose` (VC-JOSE-COSE § 3.3): the COSE_Sign1 bytes themselves.
import type { Context } from 'hono';
import { VC_COSE_ENVELOPE_ID_PREFIX } from '../verify';
import { mediaTypeOf } from './request-body';

/** The media type of a COSE-secured credential sent as bytes. */
export const COSE_MEDIA_TYPE = 'application/vc+cose';

/** For `application/vc+cose`: the bytes as the data URL the verifier reads; undefined for any other media type. */
export async function readCoseBody(c: Context): Promise<{ readonly input: string } | undefined> {
  if (mediaTypeOf(c)?.type !== COSE_MEDIA_TYPE) return undefined;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return { input: `${VC_COSE_ENVELOPE_ID_PREFIX}${Buffer.from(bytes).toString('base64')}` };
}
