// Multikey encoding (multicodec prefix + base58btc) for Ed25519 and P-256 public keys, and their JWK form.
import { ECDH } from 'node:crypto';
import { decodeBase58, encodeBase58, toBeArray } from 'ethers';
import { MicrocredError } from '../errors';

/** Signature key algorithms microcred can hold. */
export type KeyAlgorithm = 'Ed25519' | 'P-256';

/** A public JWK as jose and node:crypto accept it. */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
}

// multicodec varint prefixes: ed25519-pub 0xed, p256-pub 0x1200.
const PREFIX: Record<KeyAlgorithm, Uint8Array> = {
  Ed25519: Uint8Array.of(0xed, 0x01),
  'P-256': Uint8Array.of(0x80, 0x24),
};

function fromBase58(text: string): Uint8Array {
  const leadingZeros = /^1*/.exec(text)?.[0].length ?? 0;
  const body = text.slice(leadingZeros);
  const bytes = body === '' ? new Uint8Array() : toBeArray(decodeBase58(body));
  return Uint8Array.from([...new Uint8Array(leadingZeros), ...bytes]);
}

/** Encodes a raw public key (32 bytes Ed25519, 33 bytes compressed P-256) as `publicKeyMultibase`. */
export function encodeMultikey(algorithm: KeyAlgorithm, publicKey: Uint8Array): string {
  return 'z' + encodeBase58(Uint8Array.from([...PREFIX[algorithm], ...publicKey]));
}

/** Decodes `publicKeyMultibase` into its algorithm and raw public key bytes. */
export function decodeMultikey(publicKeyMultibase: string): { algorithm: KeyAlgorithm; publicKey: Uint8Array } {
  if (typeof publicKeyMultibase !== 'string' || !publicKeyMultibase.startsWith('z')) {
    throw new MicrocredError('ERR_KEY_FORMAT', 'publicKeyMultibase must be a base58btc multibase string starting with "z".');
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase58(publicKeyMultibase.slice(1));
  } catch (cause) {
    throw new MicrocredError('ERR_KEY_FORMAT', 'publicKeyMultibase is not valid base58btc.', { cause });
  }
  for (const algorithm of ['Ed25519', 'P-256'] as const) {
    const prefix = PREFIX[algorithm];
    const expected = algorithm === 'Ed25519' ? 32 : 33;
    if (bytes[0] === prefix[0] && bytes[1] === prefix[1] && bytes.length === prefix.length + expected) {
      return { algorithm, publicKey: bytes.slice(prefix.length) };
    }
  }
  throw new MicrocredError('ERR_KEY_FORMAT', 'publicKeyMultibase is neither an Ed25519 nor a P-256 Multikey.');
}

/** The public JWK of a Multikey (P-256 points are decompressed). */
export function multikeyToJwk(publicKeyMultibase: string): PublicJwk {
  const { algorithm, publicKey } = decodeMultikey(publicKeyMultibase);
  if (algorithm === 'Ed25519') return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') };
  const point = ECDH.convertKey(publicKey, 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
  return {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
  };
}

/** The `publicKeyMultibase` of a public JWK (P-256 points are compressed, as the Multikey spec requires). */
export function jwkToMultikey(jwk: PublicJwk): string {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return encodeMultikey('Ed25519', Buffer.from(jwk.x, 'base64url'));
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.y !== undefined) {
    const uncompressed = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
    const compressed = ECDH.convertKey(uncompressed, 'prime256v1', undefined, undefined, 'compressed') as Buffer;
    return encodeMultikey('P-256', compressed);
  }
  throw new MicrocredError('ERR_KEY_FORMAT', 'Only Ed25519 (OKP) and P-256 (EC) public JWKs are supported.');
}
