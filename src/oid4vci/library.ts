// The OpenWallet Foundation's OID4VCI and OAuth 2.0 libraries, given microcred's callbacks (hashing, randomness, JWTs).
import { createHash, randomBytes } from 'node:crypto';
import { clientAuthenticationAnonymous, HashAlgorithm, Oauth2AuthorizationServer, type CallbackContext } from '@openid4vc/oauth2';
import { Openid4vciIssuer } from '@openid4vc/openid4vci';
import { MicrocredError } from '../errors';
import { verifyProofJwt } from './proof-key';

const HASHES: Record<HashAlgorithm, string> = { [HashAlgorithm.Sha256]: 'sha256', [HashAlgorithm.Sha384]: 'sha384', [HashAlgorithm.Sha512]: 'sha512' };

/** Server-side callbacks: microcred verifies proofs but signs no JWT (its access tokens are opaque, see exchange.ts). */
const callbacks: Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'> = {
  hash: (data, alg) => createHash(HASHES[alg]).update(data).digest(),
  generateRandom: (length) => randomBytes(length),
  verifyJwt: verifyProofJwt,
  signJwt: () => {
    throw new MicrocredError('ERR_INTERNAL', 'The OID4VCI issuer signs no JWT of its own; this call is a programming error.');
  },
  clientAuthentication: clientAuthenticationAnonymous(),
};

/** The library's issuer and authorization server, both with the callbacks above. */
export interface Oid4vciLibrary {
  readonly issuer: Openid4vciIssuer;
  readonly server: Oauth2AuthorizationServer;
}

/** Builds the library objects (cheap; they hold only the callbacks). */
export function oid4vciLibrary(): Oid4vciLibrary {
  return { issuer: new Openid4vciIssuer({ callbacks }), server: new Oauth2AuthorizationServer({ callbacks }) };
}

/** A random secret: 32 bytes, base64url (codes, access tokens, nonces, transaction ids). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a secret: what the database keeps instead of it (256 random bits need no slow hash). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The stored form of a PIN: keyed by its offer's code, so the table alone does not reveal a 6-digit PIN. */
export function pinHash(code: string, pin: string): string {
  return secretHash(`${code}:${pin}`);
}
