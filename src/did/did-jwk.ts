// did:jwk: the DID document of a public JWK carried in the DID itself (base64url JSON), resolved offline.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { MicrocredError } from '../errors';
import type { DidDocument } from './did-document';

/** The W3C JWS 2020 context that defines `JsonWebKey` and `publicKeyJwk`. */
const JWS_2020_CONTEXT = 'https://w3id.org/security/suites/jws-2020/v1';
const DID_V1_CONTEXT = 'https://www.w3.org/ns/did/v1';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

function invalid(did: string, why: string, cause?: unknown): MicrocredError {
  return new MicrocredError('ERR_DID_JWK_INVALID', `"${did.slice(0, 120)}" is not a did:jwk this project can read: ${why}.`, cause === undefined ? {} : { cause });
}

/** The did:jwk DID of a public JWK (members other than the key's own are kept as given). */
export function didJwkFromJwk(jwk: Record<string, unknown>): string {
  return `did:jwk:${Buffer.from(JSON.stringify(jwk), 'utf8').toString('base64url')}`;
}

/**
 * Resolves a did:jwk (no fragment) as the did:jwk method specification says: one verification method `#0` of type
 * JsonWebKey, listed under assertionMethod, authentication, capabilityInvocation and capabilityDelegation (no
 * keyAgreement for signature keys). Throws ERR_DID_JWK_INVALID for a DID that is not a public OKP/EC JWK.
 */
export function resolveDidJwk(did: string): DidDocument {
  const encoded = did.slice('did:jwk:'.length);
  if (!did.startsWith('did:jwk:') || !/^[A-Za-z0-9_-]+$/.test(encoded)) throw invalid(did, 'the part after did:jwk: must be base64url');
  let jwk: unknown;
  try {
    jwk = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(did, 'it does not decode to JSON', cause);
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw invalid(did, 'it does not decode to a JWK object');
  const key = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((member) => member in key)) throw invalid(did, 'it carries private key material');
  if (key.kty !== 'OKP' && key.kty !== 'EC') throw invalid(did, 'only OKP (Ed25519) and EC (P-256) keys are supported');
  try {
    createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    throw invalid(did, 'the key is not a valid public JWK', cause);
  }
  const id = `${did}#0`;
  return {
    '@context': [DID_V1_CONTEXT, JWS_2020_CONTEXT],
    id: did,
    verificationMethod: [{ id, type: 'JsonWebKey', controller: did, publicKeyJwk: key }],
    assertionMethod: [id],
    authentication: [id],
    capabilityInvocation: [id],
    capabilityDelegation: [id],
  };
}
