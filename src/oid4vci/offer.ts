// Creating a pre-authorized code offer for a completion record: the offer link, and a PIN for a second channel.
import { randomInt, randomUUID } from 'node:crypto';
import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import type { IssuerMetadataResult } from '@openid4vc/openid4vci';
import { parseCompletionRecord } from '../credential';
import { MicrocredError } from '../errors';
import type { Oid4vciStore } from '../store';
import { newSecret, pinHash, secretHash, type Oid4vciLibrary } from './library';
import { OPEN_BADGE_CONFIGURATION_ID } from './metadata';

/** Default lifetime of an offer: a week, long enough for an email to be read. */
export const DEFAULT_OFFER_TTL_SECONDS = 7 * 24 * 3600;
/** Longest offer lifetime accepted: 30 days. */
export const MAX_OFFER_TTL_SECONDS = 30 * 24 * 3600;
/** Digits of a transaction code (PIN). */
export const PIN_LENGTH = 6;

/** What to offer: a completion record (its learner.did, if any, is replaced by the wallet's DID). */
export interface OfferInput {
  readonly record: unknown;
  /** Ask the wallet for a PIN, returned here once for a second channel (SMS, a letter, the learner portal). */
  readonly pin?: boolean;
  readonly expiresInSeconds?: number;
  /** Audit actor: `token:<id>`, `cli`, ... */
  readonly actor: string;
}

/** What to offer again: an issued credential, by id (see recordOfCredential). */
export interface CredentialOfferInput extends Omit<OfferInput, 'record'> {
  readonly credentialId: string;
}

/** A created offer. The code and PIN exist only here: the database keeps their hashes. */
export interface CreatedOffer {
  readonly offerId: string;
  /** `openid-credential-offer://?credential_offer=…`: the link for a same-device wallet and the QR code's content. */
  readonly credentialOfferUri: string;
  /** The credential offer object inside the link. */
  readonly credentialOffer: Record<string, unknown>;
  /** The PIN to send by another channel than the link, or null. */
  readonly txCode: string | null;
  readonly expiresAt: string;
  readonly configurationId: string;
}

function ttlOf(seconds: number | undefined): number {
  const ttl = seconds ?? DEFAULT_OFFER_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > MAX_OFFER_TTL_SECONDS) {
    throw new MicrocredError('ERR_INVALID_REQUEST', `An offer lives 60 to ${MAX_OFFER_TTL_SECONDS} seconds (got ${String(seconds)}); set expiresInSeconds (CLI: --expires-in) in that range.`, {
      details: { field: 'expiresInSeconds' },
    });
  }
  return ttl;
}

/** Validates the record, stores the offer (hashes only) and builds its link with the library. */
export async function createOffer(deps: { store: Oid4vciStore; library: Oid4vciLibrary; metadata: IssuerMetadataResult; now: () => Date }, input: OfferInput & { sourceCredentialId?: string }): Promise<CreatedOffer> {
  const ttl = ttlOf(input.expiresInSeconds);
  const record = parseCompletionRecord(input.record);
  // The wallet's DID becomes the subject at issuance; a DID given now would only be overwritten.
  const { did: _did, ...learner } = record.learner;
  const code = newSecret();
  const txCode = input.pin === true ? String(randomInt(0, 10 ** PIN_LENGTH)).padStart(PIN_LENGTH, '0') : null;
  const offerId = randomUUID();
  const expiresAt = new Date(deps.now().getTime() + ttl * 1000).toISOString();
  const { credentialOffer, credentialOfferObject } = await deps.library.issuer.createCredentialOffer({
    issuerMetadata: deps.metadata,
    credentialConfigurationIds: [OPEN_BADGE_CONFIGURATION_ID],
    grants: {
      [preAuthorizedCodeGrantIdentifier]: {
        'pre-authorized_code': code,
        ...(txCode === null ? {} : { tx_code: { input_mode: 'numeric', length: PIN_LENGTH, description: 'The PIN sent to you separately by your institution' } }),
      },
    },
  });
  deps.store.offers.create({
    id: offerId,
    codeHash: secretHash(code),
    pinHash: txCode === null ? null : pinHash(code, txCode),
    configurationId: OPEN_BADGE_CONFIGURATION_ID,
    record: JSON.stringify({ ...record, learner }),
    expiresAt,
    actor: input.actor,
    ...(input.sourceCredentialId === undefined ? {} : { sourceCredentialId: input.sourceCredentialId }),
  });
  return { offerId, credentialOfferUri: credentialOffer, credentialOffer: credentialOfferObject, txCode, expiresAt, configurationId: OPEN_BADGE_CONFIGURATION_ID };
}
