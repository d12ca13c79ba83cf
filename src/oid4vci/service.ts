// The OID4VCI service: metadata, offers, token, nonce and credential endpoints over one store and issuer service.
import type { AuthorizationServerMetadata } from '@openid4vc/oauth2';
import type { CredentialIssuerMetadata } from '@openid4vc/openid4vci';
import type { IssuerService } from '../issuer';
import type { Oid4vciStore } from '../store';
import { requestCredential, requestDeferredCredential, type CredentialAnswer, type CredentialDeps } from './credential';
import { exchangeToken, issueNonce, type TokenRequest } from './exchange';
import { oid4vciLibrary } from './library';
import { issuerMetadataResult } from './metadata';
import { MicrocredError } from '../errors';
import { createOffer, type CreatedOffer, type CredentialOfferInput, type OfferInput } from './offer';
import { recordOfCredential } from './record-of';

/** Dependencies of {@link createOid4vciService}. */
export interface Oid4vciServiceOptions {
  readonly store: Oid4vciStore;
  readonly issuer: Pick<IssuerService, 'issuer' | 'prepare' | 'commit' | 'getCredentialWithAnchor'>;
  /** The issuer's public base URL: the credential issuer identifier wallets see (read at each request). */
  readonly baseUrl: () => string;
  readonly now?: () => Date;
}

/** What the HTTP routes and the CLI call (see docs/delivery.md, "Into the learner's wallet"). */
export interface Oid4vciService {
  /** `/.well-known/openid-credential-issuer`. */
  credentialIssuerMetadata(): CredentialIssuerMetadata;
  /** `/.well-known/oauth-authorization-server`. */
  authorizationServerMetadata(): AuthorizationServerMetadata;
  /** Creates a pre-authorized code offer for a completion record (ERR_INVALID_RECORD for a bad record). */
  createOffer(input: OfferInput): Promise<CreatedOffer>;
  /**
   * Creates an offer of an issued credential's content (a new credential for the wallet's DID; the original stays as
   * it is). ERR_CREDENTIAL_NOT_FOUND; ERR_OFFER_REFUSED when it is revoked, suspended, or its learner was erased.
   */
  createOfferForCredential(input: CredentialOfferInput): Promise<CreatedOffer>;
  /** Token endpoint; throws ERR_OID4VCI_REFUSED with the specification's error. */
  token(request: TokenRequest): Promise<Record<string, unknown>>;
  /** Nonce endpoint. */
  nonce(): { c_nonce: string; c_nonce_expires_in: number };
  /** Credential endpoint (authorization: the request's Authorization header). */
  credential(authorization: string | undefined, body: Record<string, unknown>): Promise<CredentialAnswer>;
  /** Deferred credential endpoint. */
  deferredCredential(authorization: string | undefined, body: Record<string, unknown>): CredentialAnswer;
}

/** Builds the OID4VCI service (pre-authorized code flow, Data Integrity Open Badges bound to the holder's DID). */
export function createOid4vciService(options: Oid4vciServiceOptions): Oid4vciService {
  const library = oid4vciLibrary();
  const now = options.now ?? ((): Date => new Date());
  const metadata = () => issuerMetadataResult(library.issuer, library.server, options.baseUrl(), options.issuer.issuer.profile.name);
  const deps: CredentialDeps = { store: options.store, library, metadata, now, issuer: options.issuer };
  return {
    credentialIssuerMetadata: () => metadata().credentialIssuer,
    authorizationServerMetadata: () => metadata().authorizationServers[0] as AuthorizationServerMetadata,
    createOffer: async (input) => createOffer({ store: options.store, library, metadata: metadata(), now }, input),
    createOfferForCredential: async ({ credentialId, ...rest }) => {
      const row = options.store.getCredential(credentialId);
      if (row === null) throw new MicrocredError('ERR_CREDENTIAL_NOT_FOUND', `No credential ${credentialId} was issued here.`, { details: { credentialId } });
      const learner = row.learnerId === null ? null : options.store.getLearner(row.learnerId);
      return createOffer({ store: options.store, library, metadata: metadata(), now }, { ...rest, record: recordOfCredential(row, learner), sourceCredentialId: credentialId });
    },
    token: (request) => exchangeToken(deps, request),
    nonce: () => issueNonce(deps),
    credential: (authorization, body) => requestCredential(deps, authorization, body),
    deferredCredential: (authorization, body) => requestDeferredCredential(deps, authorization, body),
  };
}
