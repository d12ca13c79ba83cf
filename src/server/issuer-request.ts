// Small parsing helpers for the issuer API: query and body schemas, CSV bodies, idempotency request hashes.
import type { Context } from 'hono';
import type { z } from 'zod';
import { recordIssues } from '../credential';
import { hashRequest } from '../store';
import { ProblemError } from './problem';
import { mediaTypeOf } from './request-body';

/** Parses `value` with `schema`, or throws ERR_INVALID_REQUEST (400) naming each bad field in `details.issues`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = recordIssues(parsed.error);
  throw new ProblemError('ERR_INVALID_REQUEST', `The ${what} is not valid: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`, { details: { issues } });
}

/** True when the request body is declared as CSV. */
export function isCsv(c: Context): boolean {
  return mediaTypeOf(c)?.type === 'text/csv';
}

/** The body as strict UTF-8 text (for text/csv); ERR_MALFORMED_BODY otherwise. */
export async function readUtf8(c: Context): Promise<string> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    throw new ProblemError('ERR_MALFORMED_BODY', 'The body contains bytes that are not valid UTF-8; save the CSV as UTF-8.');
  }
}

/** SHA-256 over what makes a request the same request: method, path with query, media type and body bytes. */
export async function requestHash(c: Context): Promise<string> {
  const url = new URL(c.req.url);
  const body = new Uint8Array(await c.req.arrayBuffer());
  return hashRequest(c.req.method, url.pathname + url.search, mediaTypeOf(c)?.type ?? '', body);
}

/** The Idempotency-Key header, or undefined; ERR_INVALID_REQUEST when present but empty or longer than 255. */
export function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  const trimmed = key.trim();
  if (trimmed.length === 0 || trimmed.length > 255) {
    throw new ProblemError('ERR_INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 characters (a UUID is a good choice).');
  }
  return trimmed;
}
