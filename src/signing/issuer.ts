// The issuer keyring: DID, Open Badges profile, current signing key and every published verification method; rotation.
import { MicrocredError } from '../errors';
import type { DidDocument } from '../did';
import { resolveDidKey } from '../did';
import { buildDidWebDocument, didWebFor } from '../did';
import { SigningKey, type SerializedKey, type VerificationMethod } from './keys';

/** The issuer as it appears in credentials (Open Badges Profile; `id` is added from the DID). */
export interface IssuerProfileInput {
  name: string;
  url: string;
}

/** Open Badges 3.0 issuer Profile. */
export interface IssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
}

/** Everything needed to sign as an issuer. `verificationMethods` lists every published key, newest (signing) first. */
export interface IssuerKeyring {
  did: string;
  profile: IssuerProfile;
  signingKey: SigningKey;
  verificationMethods: VerificationMethod[];
}

/** Alias: an issuer is its keyring. */
export type Issuer = IssuerKeyring;

/** Stored form of a keyring; the caller encrypts `signingKey.private`. */
export interface SerializedIssuer {
  did: string;
  profile: IssuerProfile;
  signingKey: SerializedKey;
  verificationMethods: VerificationMethod[];
}

function profileFor(did: string, input: IssuerProfileInput): IssuerProfile {
  return { id: did, type: ['Profile'], name: input.name, url: input.url };
}

/** An issuer whose DID is the did:key of `key` (development; rotating means a new DID). */
export function createDidKeyIssuer(key: SigningKey, profile: IssuerProfileInput): IssuerKeyring {
  const did = `did:key:${key.publicKeyMultibase}`;
  const bound = key.bind(did);
  return { did, profile: profileFor(did, profile), signingKey: bound, verificationMethods: [bound.verificationMethod()] };
}

/** An issuer with a did:web DID for `domain` (+ optional path); serve {@link issuerDidDocument} at its URL. */
export function createDidWebIssuer(key: SigningKey, input: { domain: string; path?: string; profile: IssuerProfileInput }): IssuerKeyring {
  const did = didWebFor(input.domain, input.path);
  const bound = key.bind(did);
  return { did, profile: profileFor(did, input.profile), signingKey: bound, verificationMethods: [bound.verificationMethod()] };
}

/** The DID document to publish (did:web) or that resolves offline (did:key). */
export async function issuerDidDocument(issuer: IssuerKeyring): Promise<DidDocument> {
  if (issuer.did.startsWith('did:key:')) return resolveDidKey(issuer.did);
  return buildDidWebDocument(issuer.did, issuer.verificationMethods);
}

/**
 * Makes `newKey` the signing key; older verification methods stay published and in assertionMethod, so credentials
 * signed before keep verifying. did:key cannot rotate (its DID is the key): ERR_ROTATE_DID_KEY.
 */
export function rotate(issuer: IssuerKeyring, newKey: SigningKey = SigningKey.generate(issuer.signingKey.algorithm)): IssuerKeyring {
  if (issuer.did.startsWith('did:key:')) {
    throw new MicrocredError('ERR_ROTATE_DID_KEY', 'A did:key DID is its key: rotating means creating a new issuer DID (and registering it); use did:web to rotate in place.');
  }
  const bound = newKey.bind(issuer.did);
  if (issuer.verificationMethods.some((vm) => vm.id === bound.id)) {
    throw new MicrocredError('ERR_ROTATE_SAME_KEY', 'The new key is already published for this issuer; generate a fresh key.');
  }
  return { ...issuer, signingKey: bound, verificationMethods: [bound.verificationMethod(), ...issuer.verificationMethods] };
}

/** Serialises a keyring for storage. */
export function serializeIssuer(issuer: IssuerKeyring): SerializedIssuer {
  return { did: issuer.did, profile: issuer.profile, signingKey: issuer.signingKey.serialize(), verificationMethods: issuer.verificationMethods };
}

/** Loads a keyring written by {@link serializeIssuer}. */
export function loadIssuer(serialized: SerializedIssuer): IssuerKeyring {
  const signingKey = SigningKey.load(serialized.signingKey);
  if (signingKey.controller !== serialized.did) {
    throw new MicrocredError('ERR_KEY_MISMATCH', 'The stored signing key is not bound to the stored issuer DID.');
  }
  return { did: serialized.did, profile: serialized.profile, signingKey, verificationMethods: serialized.verificationMethods };
}
