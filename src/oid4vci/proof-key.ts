// The holder's key behind a proof of possession: did:key / did:jwk `kid` or a bare `jwk`, EdDSA or ES256 only.
import { compactVerify, importJWK, type JWK } from 'jose';
import type { Jwk, JwtSigner, VerifyJwtCallback } from '@openid4vc/oauth2';
import { didJwkFromJwk, didOf, findVerificationMethod, multikeyToJwk, resolveDid } from '../did';

/** Proof algorithms microcred accepts (the holder keys its verifier can bind in presentations). */
export const PROOF_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** How a wallet may name its key in a proof: a did:key or did:jwk DID URL, or a JWK in the header. */
export const BINDING_METHODS = ['did:key', 'did:jwk', 'jwk'] as const;

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y'] as const;

/** The public members of a JWK, in a fixed order (a did:jwk made from it is then the same whatever the wallet sent). */
function publicJwk(jwk: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of PUBLIC_MEMBERS) if (typeof jwk[member] === 'string') out[member] = jwk[member];
  return out;
}

/** The key a signer names, or null when it names none microcred accepts (x5c, federation, did:web, ...). */
async function keyOf(signer: JwtSigner): Promise<Record<string, unknown> | null> {
  if (signer.method === 'jwk') return publicJwk(signer.publicJwk);
  if (signer.method !== 'did') return null;
  const did = didOf(signer.didUrl);
  if (!did.startsWith('did:key:') && !did.startsWith('did:jwk:')) return null;
  const doc = await resolveDid(did);
  // A kid without a fragment names the DID; did:key and did:jwk documents hold exactly one key.
  const first = doc.verificationMethod?.[0]?.id;
  const method = findVerificationMethod(doc, signer.didUrl.includes('#') || typeof first !== 'string' ? signer.didUrl : first);
  if (method === undefined) return null;
  if (typeof method.publicKeyMultibase === 'string') return publicJwk(multikeyToJwk(method.publicKeyMultibase) as unknown as Record<string, unknown>);
  if (typeof method.publicKeyJwk === 'object' && method.publicKeyJwk !== null) return publicJwk(method.publicKeyJwk as Record<string, unknown>);
  return null;
}

/** The holder DID a verified signer stands for: the DID of its `kid`, or the did:jwk of its bare JWK. */
export function holderDidOf(signer: JwtSigner & { publicJwk: Jwk }): string {
  if (signer.method === 'did') return didOf(signer.didUrl);
  return didJwkFromJwk(publicJwk(signer.publicJwk));
}

/**
 * The library's verifyJwt callback: resolves the signer's key offline and checks the signature with jose. Refuses
 * (verified: false) every algorithm but EdDSA and ES256 and every key it cannot resolve, never throws on bad input.
 */
export const verifyProofJwt: VerifyJwtCallback = async (signer, jwt) => {
  try {
    if (!(PROOF_ALGORITHMS as readonly string[]).includes(signer.alg) || jwt.header.alg !== signer.alg) return { verified: false };
    const jwk = await keyOf(signer);
    if (jwk === null) return { verified: false };
    await compactVerify(jwt.compact, await importJWK(jwk as JWK, signer.alg), { algorithms: [signer.alg] });
    return { verified: true, signerJwk: jwk as Jwk };
  } catch {
    return { verified: false };
  }
};
