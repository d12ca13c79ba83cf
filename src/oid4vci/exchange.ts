// The token and nonce endpoints: a pre-authorized code (and PIN) for an opaque access token, and fresh c_nonces.
import type { RequestLike } from '@openid4vc/oauth2';
import type { IssuerMetadataResult } from '@openid4vc/openid4vci';
import type { Oid4vciStore } from '../store';
import { newSecret, pinHash, secretHash, type Oid4vciLibrary } from './library';
import { refusalOf, refused } from './refusal';

/** Seconds an access token lives: enough for a wallet to retry after the issuer restarts. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Seconds a c_nonce lives. */
export const NONCE_TTL_SECONDS = 300;
/** Wrong PINs an offer takes before it is burnt (a 6-digit PIN then resists guessing). */
export const MAX_PIN_FAILURES = 5;

/** Never equal to a presented PIN: handed to the library when the presented PIN's hash is wrong. */
const WRONG_PIN = '\u0000wrong';

/** Dependencies of the exchange functions. */
export interface ExchangeDeps {
  readonly store: Oid4vciStore;
  readonly library: Oid4vciLibrary;
  readonly metadata: () => IssuerMetadataResult;
  readonly now: () => Date;
}

/** A token request as the HTTP layer read it: the form fields and the request line and headers. */
export interface TokenRequest {
  readonly form: Record<string, unknown>;
  readonly request: RequestLike;
}

/** Makes, stores and returns a fresh c_nonce with its lifetime. */
export function issueNonce(deps: Pick<ExchangeDeps, 'store' | 'now' | 'library'>): { c_nonce: string; c_nonce_expires_in: number } {
  const nonce = newSecret();
  deps.store.offers.addNonce(secretHash(nonce), new Date(deps.now().getTime() + NONCE_TTL_SECONDS * 1000).toISOString());
  const response = deps.library.issuer.createNonceResponse({ cNonce: nonce, cNonceExpiresIn: NONCE_TTL_SECONDS });
  return { c_nonce: response.c_nonce, c_nonce_expires_in: response.c_nonce_expires_in ?? NONCE_TTL_SECONDS };
}

/**
 * Redeems a pre-authorized code (once) for an opaque bearer token bound to its offer. Refusals: invalid_request,
 * unsupported_grant_type, invalid_grant (unknown, expired or used code, wrong PIN, too many wrong PINs).
 * The token is opaque rather than a JWT so that it is single-offer, revocable and needs no signing key of its own.
 */
export async function exchangeToken(deps: ExchangeDeps, input: TokenRequest): Promise<Record<string, unknown>> {
  const metadata = deps.metadata();
  const authorizationServerMetadata = metadata.authorizationServers[0] as IssuerMetadataResult['authorizationServers'][number];
  let parsed;
  try {
    parsed = deps.library.server.parseAccessTokenRequest({ request: input.request, accessTokenRequest: input.form });
  } catch (error) {
    throw refusalOf(error, 'invalid_request', 'The token request is malformed.');
  }
  if (parsed.grant.grantType !== 'urn:ietf:params:oauth:grant-type:pre-authorized_code') {
    throw refused('unsupported_grant_type', 'Only the pre-authorized code grant is supported.');
  }
  const grant = parsed.grant;
  const offer = deps.store.offers.byCodeHash(secretHash(grant.preAuthorizedCode));
  if (offer === null) throw refused('invalid_grant', 'The pre-authorized code is not known.');
  if (offer.redeemedAt !== null) throw refused('invalid_grant', 'The pre-authorized code was used already; ask the issuer for a new offer.');
  if (offer.pinFailures >= MAX_PIN_FAILURES) throw refused('invalid_grant', 'Too many wrong PINs; ask the issuer for a new offer.');
  const pinOk = offer.pinHash !== null && grant.txCode !== undefined && pinHash(grant.preAuthorizedCode, grant.txCode) === offer.pinHash;
  const expectedTxCode = offer.pinHash === null ? undefined : pinOk ? grant.txCode : WRONG_PIN;
  try {
    await deps.library.server.verifyPreAuthorizedCodeAccessTokenRequest({
      authorizationServerMetadata,
      grant,
      accessTokenRequest: parsed.accessTokenRequest,
      request: input.request,
      // Found by its hash, so the presented code is the expected one; the library then judges PIN and expiry.
      expectedPreAuthorizedCode: grant.preAuthorizedCode,
      ...(expectedTxCode === undefined ? {} : { expectedTxCode }),
      preAuthorizedCodeExpiresAt: new Date(offer.expiresAt),
      now: deps.now(),
    });
  } catch (error) {
    if (expectedTxCode === WRONG_PIN && grant.txCode !== undefined) deps.store.offers.notePinFailure(offer.id);
    throw refusalOf(error, 'invalid_grant', 'The pre-authorized code was refused.');
  }
  const accessToken = newSecret();
  const expiresAt = new Date(deps.now().getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString();
  if (!deps.store.offers.redeem(offer.id, secretHash(accessToken), expiresAt)) {
    throw refused('invalid_grant', 'The pre-authorized code was used already; ask the issuer for a new offer.');
  }
  // c_nonce in the token answer is the pre-1.0 way; 1.0 wallets ask the nonce endpoint, and both nonces work.
  return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, ...issueNonce(deps) };
}
