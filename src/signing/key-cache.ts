// Imported public keys, kept by their key material: a bulk run verifies thousands of credentials from one issuer key,
// and importing it again for each (jose's importJWK, node:crypto createPublicKey) cost ~0.1 ms a credential.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { importJWK, type CryptoKey } from 'jose';
import type { PublicJwk } from '../did';

/** Most keys kept in each cache; past it the cache starts over (a verifier meets a handful of issuer keys). */
export const KEY_CACHE_MAX = 1_000;

/** The public key fields that make the key: nothing else of the JWK is imported. */
function keyFields(jwk: PublicJwk): PublicJwk {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) };
}

// Keyed by the key material itself (never by a kid or DID URL), so a key is only ever served for the same bytes: a
// rotated DID document that names a new key under an old id gets the new key.
const materialKey = (jwk: PublicJwk): string => `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y ?? ''}`;

function bounded<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= KEY_CACHE_MAX) cache.clear();
  cache.set(key, value);
  return value;
}

const joseKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();
const nodeKeys = new Map<string, KeyObject>();
const rawEd25519Keys = new Map<string, KeyObject>();

/** jose's importJWK of the key's public fields for `alg`, imported once per key material and algorithm. */
export function importPublicJwk(jwk: PublicJwk, alg: string): Promise<CryptoKey | Uint8Array> {
  const id = `${alg}|${materialKey(jwk)}`;
  const cached = joseKeys.get(id);
  if (cached) return cached;
  const imported = importJWK(keyFields(jwk), alg);
  // A key that does not import is not kept: the next caller gets the same error afresh.
  imported.catch(() => joseKeys.delete(id));
  return bounded(joseKeys, id, imported);
}

/** node:crypto's public KeyObject of the JWK's public fields, made once per key material. Throws as createPublicKey does. */
export function publicKeyObject(jwk: PublicJwk): KeyObject {
  const id = materialKey(jwk);
  return nodeKeys.get(id) ?? bounded(nodeKeys, id, createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) }, format: 'jwk' }));
}

// SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): what @digitalbazaar/ed25519-multikey wraps the bytes in.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** node:crypto's KeyObject of 32 raw Ed25519 public key bytes, made once per key. Throws as createPublicKey does. */
export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('base64');
  return (
    rawEd25519Keys.get(id) ??
    bounded(rawEd25519Keys, id, createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }))
  );
}

/** Empties every key cache (tests). */
export function clearKeyCaches(): void {
  joseKeys.clear();
  nodeKeys.clear();
  rawEd25519Keys.clear();
}
