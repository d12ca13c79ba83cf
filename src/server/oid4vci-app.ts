// The OID4VCI endpoints for wallets (public, rate-limited): metadata, token, nonce, credential and deferred credential.
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { isMicrocredError } from '../errors';
import { OID4VCI_PATHS, type Oid4vciService } from '../oid4vci';
import { problemErrorHandler } from './error-handler';
import { jsonResponse } from './json-response';
import { bodyLimit } from './middleware/body-limit';
import { rateLimit, type RateLimitOptions } from './middleware/rate-limit';
import { readBody } from './request-body';

/** Wallet requests per client and minute: a whole flow takes five, retries included. */
export const DEFAULT_OID4VCI_RATE_LIMIT = { windowMs: 60_000, max: 60 } as const;
/** Token and credential requests are small: a proof JWT and a few fields. */
const OID4VCI_BODY_LIMIT_BYTES = 64 * 1024;

/** Options of {@link createOid4vciApp}. */
export interface Oid4vciAppOptions {
  readonly service: Oid4vciService;
  /** Per-client limit on the token, nonce and credential endpoints; false turns it off (tests of other things). */
  readonly rateLimit?: Pick<RateLimitOptions, 'windowMs' | 'max' | 'maxClients' | 'key'> | false;
  readonly now?: () => Date;
  readonly onUnexpected?: (error: unknown) => void;
}

/** No caching of anything that carries a token, nonce or credential (RFC 6749 §5.1). */
const NO_STORE = { 'cache-control': 'no-store' };

/**
 * A refusal in the shape the specifications define (`{error, error_description, c_nonce?}`), never problem details:
 * wallets read `error`. invalid_token goes with a WWW-Authenticate header (RFC 6750 §3).
 */
function refusalResponse(details: Readonly<Record<string, unknown>>): Response {
  const { status, ...body } = details as { status?: number } & Record<string, unknown>;
  const code = status === 401 ? 401 : 400;
  const headers: Record<string, string> = { ...NO_STORE };
  if (code === 401) headers['www-authenticate'] = `Bearer error="${String(body.error)}"`;
  return jsonResponse(body, code, headers);
}

/** The form fields of an `application/x-www-form-urlencoded` token request (text values only). */
async function formOf(c: Context): Promise<Record<string, unknown>> {
  const form = await c.req.parseBody();
  return Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string'));
}

/** A JSON object body, or {} (the library then says what is missing). */
async function jsonObjectOf(c: Context): Promise<Record<string, unknown>> {
  const body = await readBody(c, { acceptText: false });
  return typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value) ? (body.value as Record<string, unknown>) : {};
}

/** Builds the wallet-facing app; mounted into the issuer app so that the composed server routes it there. */
export function createOid4vciApp(options: Oid4vciAppOptions): Hono {
  const { service } = options;
  const app = new Hono();
  const problems = problemErrorHandler({ ...(options.onUnexpected === undefined ? {} : { onUnexpected: options.onUnexpected }) });
  app.onError((error, c) => (isMicrocredError(error, 'ERR_OID4VCI_REFUSED') ? refusalResponse(error.details) : problems(error, c)));
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  const limits = [
    ...(options.rateLimit === false ? [] : [rateLimit({ ...(options.rateLimit ?? DEFAULT_OID4VCI_RATE_LIMIT), ...(options.now === undefined ? {} : { now: options.now }) })]),
    bodyLimit({ maxBytes: OID4VCI_BODY_LIMIT_BYTES }),
  ];
  for (const path of [OID4VCI_PATHS.token, OID4VCI_PATHS.nonce, OID4VCI_PATHS.credential, OID4VCI_PATHS.deferredCredential]) app.use(path, ...limits);

  app.get(OID4VCI_PATHS.issuerMetadata, () => jsonResponse(service.credentialIssuerMetadata()));
  app.get(OID4VCI_PATHS.authorizationServerMetadata, () => jsonResponse(service.authorizationServerMetadata()));

  app.post(OID4VCI_PATHS.token, async (c) => {
    const form = await formOf(c);
    const answer = await service.token({ form, request: { method: 'POST', url: c.req.url, headers: c.req.raw.headers } });
    return jsonResponse(answer, 200, NO_STORE);
  });

  app.post(OID4VCI_PATHS.nonce, () => jsonResponse(service.nonce(), 200, NO_STORE));

  app.post(OID4VCI_PATHS.credential, async (c) => {
    const answer = await service.credential(c.req.header('authorization'), await jsonObjectOf(c));
    return jsonResponse(answer.body, answer.status, NO_STORE);
  });

  app.post(OID4VCI_PATHS.deferredCredential, async (c) => {
    const answer = service.deferredCredential(c.req.header('authorization'), await jsonObjectOf(c));
    return jsonResponse(answer.body, answer.status, NO_STORE);
  });

  return app;
}
