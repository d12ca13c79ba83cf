// Signing keys (Ed25519, P-256): generate, serialise with the private part apart, load; never print key material.
import { createECDH, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { MicrocredError } from '../errors';
import { jwkToMultikey, multikeyToJwk, type KeyAlgorithm, type PublicJwk } from '../did';

import type { VerificationMethod } from '../did';

export type { KeyAlgorithm, PublicJwk } from '../did';
export type { VerificationMethod } from '../did';

/** JOSE `alg` for each key algorithm. */
export type JwsAlgorithm = 'EdDSA' | 'ES256';

/** A key as stored: public facts in the clear, the secret under `private` so a store can encrypt just that part. */
export interface SerializedKey {
  format: 'microcred-key-v1';
  algorithm: KeyAlgorithm;
  /** Verification method id (DID URL) once the key is bound to a DID. */
  id?: string;
  /** The DID controlling the key once bound. */
  controller?: string;
  publicKeyMultibase: string;
  /** Secret part: JWK `d` (base64url); for Ed25519 the 32-byte seed. Encrypt at rest. */
  private: { d: string };
}

/** A signer in the shape @digitalbazaar Data Integrity suites expect. */
export interface DataIntegritySigner {
  algorithm: 'Ed25519';
  id: string;
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}

/**
 * The public point that a private key really gives. Node derives it for Ed25519, but imports a P-256 private JWK with
 * whatever x/y it is handed, so for P-256 the point is computed from `d` itself.
 */
function derivedPublicPoint(algorithm: KeyAlgorithm, privateKey: KeyObject, d: string): { x?: string; y?: string } {
  if (algorithm !== 'P-256') return createPublicKey(privateKey).export({ format: 'jwk' });
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(d, 'base64url'));
  const point = ecdh.getPublicKey(); // 0x04 || x || y
  return { x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
}

/** A private signing key. Its secret lives in a private field and never shows in logs, JSON or inspect. */
export class SigningKey {
  readonly algorithm: KeyAlgorithm;
  readonly publicKeyMultibase: string;
  readonly publicJwk: PublicJwk;
  /** Verification method id once bound (`did#fragment`). */
  readonly id: string | undefined;
  readonly controller: string | undefined;
  readonly #privateKey: KeyObject;
  readonly #d: string;

  private constructor(algorithm: KeyAlgorithm, publicJwk: PublicJwk, d: string, id?: string, controller?: string) {
    this.algorithm = algorithm;
    this.publicJwk = publicJwk;
    this.publicKeyMultibase = jwkToMultikey(publicJwk);
    this.#d = d;
    this.#privateKey = createPrivateKey({ key: { ...publicJwk, d }, format: 'jwk' });
    this.id = id;
    this.controller = controller;
  }

  /** Makes a fresh random key. */
  static generate(algorithm: KeyAlgorithm = 'Ed25519'): SigningKey {
    const pair = algorithm === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = pair.privateKey.export({ format: 'jwk' });
    if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
      throw new MicrocredError('ERR_KEY_FORMAT', 'Key generation returned no JWK; check the Node.js crypto build.');
    }
    return new SigningKey(algorithm, publicJwkOf(jwk as PublicJwk), jwk.d);
  }

  /** Loads a key written by `serialize()`; checks that the secret matches the public key. */
  static load(serialized: SerializedKey): SigningKey {
    if (serialized?.format !== 'microcred-key-v1' || typeof serialized.private?.d !== 'string') {
      throw new MicrocredError('ERR_KEY_FORMAT', 'Not a microcred key (expected format "microcred-key-v1" with private.d).');
    }
    const publicJwk = multikeyToJwk(serialized.publicKeyMultibase);
    let key: SigningKey;
    try {
      key = new SigningKey(serialized.algorithm, publicJwk, serialized.private.d, serialized.id, serialized.controller);
    } catch (cause) {
      throw new MicrocredError('ERR_KEY_FORMAT', 'The stored private key could not be imported; the key file is damaged.', { cause: stripped(cause) });
    }
    const derived = derivedPublicPoint(serialized.algorithm, key.#privateKey, serialized.private.d);
    if (derived.x !== publicJwk.x || derived.y !== publicJwk.y) {
      throw new MicrocredError('ERR_KEY_MISMATCH', 'The stored private key does not match its public key; the key file is damaged.');
    }
    return key;
  }

  /** Builds a signing key from a private JWK (Ed25519 `d` = 32-byte seed). */
  static fromPrivateJwk(jwk: PublicJwk & { d: string }): SigningKey {
    const algorithm: KeyAlgorithm = jwk.crv === 'Ed25519' ? 'Ed25519' : 'P-256';
    return SigningKey.load({ format: 'microcred-key-v1', algorithm, publicKeyMultibase: jwkToMultikey(jwk), private: { d: jwk.d } });
  }

  /** Serialises for storage; the caller encrypts `private`. */
  serialize(): SerializedKey {
    const out: SerializedKey = { format: 'microcred-key-v1', algorithm: this.algorithm, publicKeyMultibase: this.publicKeyMultibase, private: { d: this.#d } };
    if (this.id !== undefined) out.id = this.id;
    if (this.controller !== undefined) out.controller = this.controller;
    return out;
  }

  /** The same key bound to a controller DID and a verification method id (default `did#publicKeyMultibase`). */
  bind(controller: string, id = `${controller}#${this.publicKeyMultibase}`): SigningKey {
    return new SigningKey(this.algorithm, this.publicJwk, this.#d, id, controller);
  }

  /** JOSE algorithm this key signs with. */
  get jwsAlgorithm(): JwsAlgorithm {
    return this.algorithm === 'Ed25519' ? 'EdDSA' : 'ES256';
  }

  /** The public verification method (Multikey) of a bound key. */
  verificationMethod(): VerificationMethod {
    const { id, controller } = this.requireBound();
    return { id, type: 'Multikey', controller, publicKeyMultibase: this.publicKeyMultibase };
  }

  /** node:crypto private key for jose; keep it inside the signing code. */
  privateKeyObject(): KeyObject {
    return this.#privateKey;
  }

  /** A Data Integrity signer (Ed25519 only), signing with node:crypto directly. */
  dataIntegritySigner(): DataIntegritySigner {
    if (this.algorithm !== 'Ed25519') {
      throw new MicrocredError('ERR_KEY_ALGORITHM', 'Data Integrity eddsa-rdfc-2022 needs an Ed25519 key; use VC-JOSE (ES256) for P-256 keys.');
    }
    const { id } = this.requireBound();
    const privateKey = this.#privateKey;
    return {
      algorithm: 'Ed25519',
      id,
      sign: ({ data }) => Promise.resolve(cryptoSign(null, data, privateKey)),
    };
  }

  /** Only public facts, so a key that ends up in a log line or a JSON error says nothing secret. */
  toJSON(): Record<string, unknown> {
    return { algorithm: this.algorithm, id: this.id, publicKeyMultibase: this.publicKeyMultibase };
  }

  /** Same as toJSON, for console.log and util.inspect. */
  [inspect.custom](): string {
    return `SigningKey ${JSON.stringify(this.toJSON())}`;
  }

  /** Same as toJSON, so string interpolation shows no secret. */
  toString(): string {
    return this[inspect.custom]();
  }

  private requireBound(): { id: string; controller: string } {
    if (this.id === undefined || this.controller === undefined) {
      throw new MicrocredError('ERR_KEY_UNBOUND', 'The key is not bound to a DID yet; call bind(did) or build an issuer first.');
    }
    return { id: this.id, controller: this.controller };
  }
}

function publicJwkOf(jwk: PublicJwk): PublicJwk {
  return jwk.kty === 'OKP' ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

// node:crypto import errors can echo input; keep only the message class so no key bytes travel on.
function stripped(cause: unknown): Error {
  return new Error(cause instanceof Error ? cause.name : 'key import failed');
}
