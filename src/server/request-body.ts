// Reads a request body as strict UTF-8 JSON or text, by media type, and refuses JSON nested deeper than a credential is.
import type { Context } from 'hono';
import { ProblemError } from './problem';

/** JSON media types a verifier accepts (VC Data Model 2.0 `application/vc` and `application/vp` included). */
export const JSON_MEDIA_TYPES: readonly string[] = [
  'application/json',
  'application/ld+json',
  'application/vc',
  'application/vp',
  'application/vc+ld+json',
  'application/vp+ld+json',
];

/** Media types whose body is a compact JWS as text (VC-JOSE `application/vc+jwt` and friends). */
export const JWS_MEDIA_TYPES: readonly string[] = ['text/plain', 'application/vc+jwt', 'application/vp+jwt', 'application/jwt'];

/** Deepest JSON nesting accepted. Credentials are about 6 levels deep; recursion in later code must stay safe. */
export const MAX_JSON_DEPTH = 64;

/** A body read according to its media type. */
export type ReadBody = { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'text'; readonly value: string };

/** The bare media type of the request (`application/json` for `Application/JSON; charset=utf-8`), or undefined. */
export function mediaTypeOf(c: Context): { type: string; charset?: string } | undefined {
  const header = c.req.header('content-type');
  if (header === undefined) return undefined;
  const [type = '', ...params] = header.split(';');
  const charsetParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  const charset = charsetParam?.slice('charset='.length).replace(/^"|"$/g, '');
  return charset === undefined ? { type: type.trim().toLowerCase() } : { type: type.trim().toLowerCase(), charset };
}

/**
 * Reads the body: JSON for a JSON media type and, when `acceptText` is set, text for a JWS media type. Anything else
 * is ERR_UNSUPPORTED_MEDIA_TYPE (415); bytes that are not UTF-8 are ERR_MALFORMED_BODY; bad JSON is ERR_MALFORMED_JSON;
 * too deep is ERR_JSON_TOO_DEEP.
 */
export async function readBody(c: Context, options: { acceptText: boolean }): Promise<ReadBody> {
  const media = mediaTypeOf(c);
  const accepted = options.acceptText ? [...JSON_MEDIA_TYPES, ...JWS_MEDIA_TYPES] : JSON_MEDIA_TYPES;
  if (media === undefined || !accepted.includes(media.type)) {
    throw new ProblemError(
      'ERR_UNSUPPORTED_MEDIA_TYPE',
      `Send the body as ${accepted.join(', ')}${media === undefined ? ' (no Content-Type was given)' : `, not ${media.type.slice(0, 100)}`}.`,
      { details: { accepted } },
    );
  }
  if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
    throw new ProblemError('ERR_UNSUPPORTED_MEDIA_TYPE', 'The body must be UTF-8; drop the charset parameter or set charset=utf-8.', {
      details: { accepted },
    });
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ProblemError('ERR_MALFORMED_BODY', 'The body contains bytes that are not valid UTF-8; send UTF-8 text.');
  }
  if (!JSON_MEDIA_TYPES.includes(media.type)) return { kind: 'text', value: text };

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.slice(0, 200) : 'unreadable JSON';
    throw new ProblemError('ERR_MALFORMED_JSON', `The body is not well-formed JSON (${reason}); check the pasted text.`);
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) {
    throw new ProblemError('ERR_JSON_TOO_DEEP', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep; no credential is.`, {
      details: { maxDepth: MAX_JSON_DEPTH },
    });
  }
  return { kind: 'json', value };
}

/** True when `value` nests arrays/objects deeper than `max`. Iterative, so the check itself cannot overflow the stack. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}
