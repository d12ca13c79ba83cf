// The public verifier HTTP API and the employer's page: parse the request, call the verifier once, shape the answer.
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { isMicrocredError } from '../errors';
import { REGISTRY_CONFIG_CODES } from '../verify';
import type { CredentialVerifier, VerificationOutcome } from '../verify';
import { readCoseBody } from './cose-body';
import { readEmbeddedBody } from './embedded-body';
import { problemErrorHandler, problemNotFound } from './error-handler';
import { jsonResponse } from './json-response';
import { apiCors, type ApiCorsOptions } from './middleware/cors';
import { DEFAULT_BODY_LIMIT_BYTES, bodyLimit } from './middleware/body-limit';
import { problemMethodNotAllowed } from './middleware/method-not-allowed';
import { rateLimit, type RateLimitOptions } from './middleware/rate-limit';
import { addPageRoutes, type PageRegistry } from './page-routes';
import { ProblemError } from './problem';
import { readBody } from './request-body';
import { toVcApiCredentialResult, toVcApiPresentationResult, vcApiResponse } from './vc-api-result';
import { DEFAULT_VC_API_TRUST, VC_API_TRUST_MODES, type VcApiTrustMode } from '../verify';
import { MicrocredError } from '../errors';
import { parseV1Request, parseVcApiCredentialRequest, parseVcApiPresentationRequest, type VerifyRequest } from './verify-request';

/** Default per-client rate: 120 verifications a minute, bursts of up to 120. */
export const DEFAULT_VERIFIER_RATE_LIMIT = { windowMs: 60_000, max: 120 } as const;

/** Bytes of request body that count as one request for the rate limit (a 200 KiB body costs 7). */
export const RATE_LIMIT_BYTES_PER_REQUEST = 32 * 1024;

/** A verification's cost for the rate limit: one, plus one per started 32 KiB of body beyond the first. */
export function verificationCost(c: Context): number {
  const bytes = Number(c.req.header('content-length') ?? '0');
  return Number.isFinite(bytes) && bytes > 0 ? 1 + Math.floor(bytes / RATE_LIMIT_BYTES_PER_REQUEST) : 1;
}

/** Options of {@link createVerifierApp}. */
export interface VerifierAppOptions {
  /** The verifier: the real one, or a stand-in in tests of this layer. */
  readonly verifier: CredentialVerifier;
  /** Largest accepted body in bytes. Default 256 KiB. */
  readonly bodyLimitBytes?: number;
  /**
   * Per-client limit on the API routes, or `false` for none (load tests). `key` picks the client (default: the TCP
   * peer address; behind a trusted proxy, read the proxy's header here).
   */
  readonly rateLimit?: Pick<RateLimitOptions, 'windowMs' | 'max' | 'maxClients' | 'key' | 'cost'> | false;
  /** Origins allowed to call the API from a browser. Default `'*'`: the verifier is public. */
  readonly cors?: ApiCorsOptions;
  /** The clock, for the rate limit. */
  readonly now?: () => Date;
  /** Registries the page names as checked against (default: the verifier's trusted registries, when it has a policy). */
  readonly registries?: readonly PageRegistry[];
  /** Called with every error that became a 5xx (default: console.error). */
  readonly onUnexpected?: (error: unknown) => void;
  /**
   * What `verified` means on the VC-API routes (default `crypto-and-status`: signature, shape, dates and status; the
   * registry is reported in `trust`). `registry`: microcred's full verdict. `/v1/verify` always gives the full verdict.
   */
  readonly vcApiTrust?: VcApiTrustMode;
}

/** The API routes, which take CORS, a rate limit and a body limit. */
const API_PATHS = ['/v1/*', '/credentials/*', '/presentations/*'] as const;

/** The real verifier exposes its policy; a stand-in may not, and then the page names no registry. */
function trustedRegistriesOf(verifier: CredentialVerifier): readonly PageRegistry[] {
  const policy = (verifier as { policy?: { trustedRegistries?: readonly PageRegistry[] } }).policy;
  const registries: unknown = policy?.trustedRegistries;
  return Array.isArray(registries) ? (registries as readonly PageRegistry[]) : [];
}


async function runVerifier(verifier: CredentialVerifier, request: VerifyRequest): Promise<VerificationOutcome> {
  try {
    return await verifier.verify(request.input, request.options);
  } catch (error) {
    if (isMicrocredError(error) && REGISTRY_CONFIG_CODES.has(error.code)) throw error;
    // The verifier promises never to throw on input, so this is a bug in it: say so, without its details.
    throw new ProblemError('ERR_VERIFIER_FAILED', 'The verifier failed on this input; this is a bug. Report it to the operator.', {
      cause: error,
    });
  }
}

/**
 * Builds the verifier app: `POST /v1/verify`, VC-API `POST /credentials/verify` and `POST /presentations/verify`,
 * `GET /healthz`, and the page at `GET /` with its `/assets/*`. Every error is problem details (see docs/verifier-api.md).
 * Throws ERR_INVALID_OPTIONS on a bad option.
 */
export function createVerifierApp(options: VerifierAppOptions): Hono {
  const { verifier } = options;
  const trust = options.vcApiTrust ?? DEFAULT_VC_API_TRUST;
  if (!(VC_API_TRUST_MODES as readonly string[]).includes(trust)) {
    throw new MicrocredError('ERR_INVALID_OPTIONS', `vcApiTrust must be one of ${VC_API_TRUST_MODES.join(', ')}, not "${String(trust)}".`);
  }
  const app = new Hono();
  const onUnexpected = options.onUnexpected;
  app.onError(problemErrorHandler({ ...(onUnexpected === undefined ? {} : { onUnexpected: (error) => onUnexpected(error) }) }));
  app.notFound(problemNotFound());

  // Built before any route so that a bad option fails here, not on the first request.
  const limits = [
    apiCors(options.cors ?? { origins: '*' }),
    ...(options.rateLimit === false
      ? []
      : [rateLimit({ cost: verificationCost, ...(options.rateLimit ?? DEFAULT_VERIFIER_RATE_LIMIT), ...(options.now === undefined ? {} : { now: options.now }) })]),
    bodyLimit({ maxBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES }),
  ];

  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use(problemMethodNotAllowed(app));
  for (const path of API_PATHS) app.use(path, ...limits);

  app.post('/v1/verify', async (c) => {
    // A baked badge image or a PDF certificate: the credential inside it is what is verified; COSE bytes are one credential.
    const embedded = (await readCoseBody(c)) ?? (await readEmbeddedBody(c));
    if (embedded !== undefined && 'outcome' in embedded) return jsonResponse(embedded.outcome);
    const request = embedded !== undefined ? { input: embedded.input, options: {} } : parseV1Request(await readBody(c, { acceptText: true }));
    return jsonResponse(await runVerifier(verifier, request));
  });
  app.post('/credentials/verify', async (c) => {
    const request = parseVcApiCredentialRequest(await readBody(c, { acceptText: false }));
    const result = toVcApiCredentialResult(await runVerifier(verifier, request), trust);
    return vcApiResponse(result);
  });
  app.post('/presentations/verify', async (c) => {
    const request = parseVcApiPresentationRequest(await readBody(c, { acceptText: false }));
    const outcome = await runVerifier(verifier, request);
    const result = toVcApiPresentationResult(outcome, request.returnPresentation === true ? request.input : undefined, trust);
    return vcApiResponse(result);
  });
  app.get('/healthz', () => jsonResponse({ status: 'ok' }));
  addPageRoutes(app, { registries: options.registries ?? trustedRegistriesOf(verifier) });
  return app;
}
