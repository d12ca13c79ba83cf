// The credential and deferred credential endpoints: proof of possession in, one holder-bound credential per offer out.
import { decodeJwt } from '@openid4vc/oauth2';
import type { IssuerService } from '../issuer';
import type { OfferRow } from '../store';
import { issueNonce, type ExchangeDeps } from './exchange';
import { newSecret, secretHash } from './library';
import { DEFERRED_INTERVAL_SECONDS } from './metadata';
import { holderDidOf } from './proof-key';
import { refusalOf, refused } from './refusal';

/** Dependencies of the credential endpoints: the exchange's, and the issuer service that signs and stores. */
export interface CredentialDeps extends ExchangeDeps {
  readonly issuer: Pick<IssuerService, 'prepare' | 'commit' | 'getCredentialWithAnchor'>;
}

/** An endpoint's answer: 200 with the credential, or 202 with a transaction id while its batch is not anchored. */
export interface CredentialAnswer {
  readonly status: 200 | 202;
  readonly body: Record<string, unknown>;
}

/** The offer an `Authorization: Bearer` access token belongs to; invalid_token (401) otherwise. */
function offerOfToken(deps: CredentialDeps, authorization: string | undefined): OfferRow {
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? '');
  const offer = match === null ? null : deps.store.offers.byTokenHash(secretHash(match[1] as string));
  if (offer === null || offer.tokenExpiresAt === null || new Date(offer.tokenExpiresAt) < deps.now()) {
    throw refused('invalid_token', 'The access token is missing, unknown or expired; redeem the offer at the token endpoint.', { status: 401 });
  }
  return offer;
}

/** The holder DID the request's single JWT proof stands for, after checking its nonce (used up here) and signature. */
async function holderOf(deps: CredentialDeps, jwts: readonly string[] | undefined): Promise<string> {
  if (jwts === undefined || jwts.length !== 1) throw refused('invalid_proof', 'Send exactly one proof of type jwt (openid4vci-proof+jwt).');
  const jwt = jwts[0] as string;
  let nonce: unknown;
  try {
    nonce = decodeJwt({ jwt }).payload.nonce;
  } catch (error) {
    throw refusalOf(error, 'invalid_proof', 'The proof is not a readable JWT.');
  }
  const nonceHash = typeof nonce === 'string' ? secretHash(nonce) : null;
  if (nonceHash === null || deps.store.offers.nonceState(nonceHash) !== 'fresh') {
    throw refused('invalid_nonce', 'The proof carries no c_nonce of this issuer, or one that expired or was used; sign a new proof with the c_nonce given here.', { c_nonce: issueNonce(deps).c_nonce });
  }
  let verified;
  try {
    verified = await deps.library.issuer.verifyCredentialRequestJwtProof({ issuerMetadata: deps.metadata(), jwt, expectedNonce: nonce as string, now: deps.now() });
  } catch {
    throw refused('invalid_proof', 'The proof does not verify: it must be an openid4vci-proof+jwt for this issuer (aud), signed with EdDSA or ES256 by the did:key, did:jwk or jwk it names.');
  }
  // Used up only now, so a proof refused for its signature does not burn a good nonce; a replay finds it used.
  if (!deps.store.offers.useNonce(nonceHash)) {
    throw refused('invalid_nonce', 'This proof was used already; sign a new proof with the c_nonce given here.', { c_nonce: issueNonce(deps).c_nonce });
  }
  return holderDidOf(verified.signer);
}

/** The parsed credential request the answer goes to; absent for the deferred endpoint. */
type ParsedRequest = ReturnType<CredentialDeps['library']['issuer']['parseCredentialRequest']>;

/**
 * The answer for the offer's bound credential: the anchored form once its batch is anchored, else a transaction id.
 * Built and validated by the library (credential response, or deferred credential response).
 */
function answerFor(deps: CredentialDeps, offerId: string, credentialId: string, transactionId: string | undefined, request: ParsedRequest | undefined): CredentialAnswer {
  const view = deps.issuer.getCredentialWithAnchor(credentialId);
  const { issuer } = deps.library;
  if (view.anchored !== null) {
    const credentials = [{ credential: view.anchored }];
    return { status: 200, body: request === undefined ? issuer.createDeferredCredentialResponse({ credentials }) : issuer.createCredentialResponse({ credentialRequest: request, credentials }) };
  }
  const id = transactionId ?? newSecret();
  if (transactionId === undefined) deps.store.offers.setTransaction(offerId, secretHash(id));
  const pending = { transactionId: id, interval: DEFERRED_INTERVAL_SECONDS };
  return { status: 202, body: request === undefined ? issuer.createDeferredCredentialResponse(pending) : issuer.createCredentialResponse({ credentialRequest: request, ...pending }) };
}

/**
 * Issues the offer's credential to the holder whose proof the request carries, once: a retry (after a crash or a lost
 * answer) by the same holder gets the same credential, any other key credential_request_denied. Only the anchored form
 * leaves the issuer, so until the batch is anchored the answer is deferred (202, transaction_id).
 */
export async function requestCredential(deps: CredentialDeps, authorization: string | undefined, body: Record<string, unknown>): Promise<CredentialAnswer> {
  const offer = offerOfToken(deps, authorization);
  let parsed;
  try {
    parsed = deps.library.issuer.parseCredentialRequest({ issuerMetadata: deps.metadata(), credentialRequest: body });
  } catch (error) {
    throw refusalOf(error, 'invalid_credential_request', 'The credential request is malformed.');
  }
  if (parsed.credentialConfigurationId !== offer.configurationId) {
    throw refused('unknown_credential_configuration', `This offer is for credential_configuration_id "${offer.configurationId}".`);
  }
  const holderDid = await holderOf(deps, parsed.proofs?.jwt);
  const current = deps.store.offers.get(offer.id) as OfferRow;
  if (current.credentialId !== null) return answerAgain(deps, current, holderDid, parsed);
  const record = JSON.parse(current.record as string) as { learner: { email?: string; name?: string } } & Record<string, unknown>;
  const { email, name } = record.learner;
  const prepared = await deps.issuer.prepare({ ...record, learner: { did: holderDid, ...(name === undefined ? {} : { name }) } }, { format: 'di', actor: `offer:${offer.id}` });
  // The learner row keeps the email (erasable); the credential names only the holder's DID.
  const withLearner = { ...prepared, learner: email === undefined ? null : { email, ...(name === undefined ? {} : { name }) } };
  const transactionId = newSecret();
  const bound = deps.store.transaction(() => {
    if (deps.store.offers.get(offer.id)?.credentialId !== null) return false;
    deps.issuer.commit(withLearner);
    return deps.store.offers.bindCredential(offer.id, holderDid, prepared.credentialId, secretHash(transactionId));
  });
  // A concurrent request bound the offer first: this one's signed credential was never stored.
  if (!bound) return answerAgain(deps, deps.store.offers.get(offer.id) as OfferRow, holderDid, parsed);
  return answerFor(deps, offer.id, prepared.credentialId, transactionId, parsed);
}

function answerAgain(deps: CredentialDeps, offer: OfferRow, holderDid: string, request: ParsedRequest): CredentialAnswer {
  if (offer.holderDid !== holderDid) throw refused('credential_request_denied', 'The credential of this offer was issued to another key already.');
  return answerFor(deps, offer.id, offer.credentialId as string, undefined, request);
}

/** The deferred credential endpoint: the anchored credential, or 202 again with the same transaction id. */
export function requestDeferredCredential(deps: CredentialDeps, authorization: string | undefined, body: Record<string, unknown>): CredentialAnswer {
  const offer = offerOfToken(deps, authorization);
  let transactionId: string;
  try {
    transactionId = deps.library.issuer.parseDeferredCredentialRequest({ deferredCredentialRequest: body }).deferredCredentialRequest.transaction_id;
  } catch (error) {
    throw refusalOf(error, 'invalid_request', 'The deferred credential request is malformed.');
  }
  const bound = deps.store.offers.byTransactionHash(secretHash(transactionId));
  if (bound === null || bound.id !== offer.id || bound.credentialId === null) throw refused('invalid_transaction_id', 'The transaction_id is not known for this access token.');
  return answerFor(deps, offer.id, bound.credentialId, transactionId, undefined);
}
