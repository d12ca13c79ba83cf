// COSE_Sign1 (RFC 9052) through @auth0/cose: the one place its header maps, which hold text values its types do not name, are read and written.
import type { KeyObject } from 'node:crypto';
import { Algorithms, Headers, Sign1 } from '@auth0/cose';

/** The algorithms microcred signs and verifies COSE with. */
export type CoseAlgorithm = 'EdDSA' | 'ES256';

/** COSE header label of `typ` (RFC 9596). */
const TYP_LABEL = 16;

/** The headers microcred writes into a COSE_Sign1 (all protected). */
export interface CoseSign1Headers {
  alg: CoseAlgorithm;
  /** `typ` (label 16), e.g. `application/vc+cose`. */
  typ?: string;
  /** Content type (label 3), e.g. `application/vc`. */
  cty?: string;
  /** Key id (label 4): the verification method's DID URL, as UTF-8 bytes. */
  kid?: string;
}

/** A decoded COSE_Sign1, not yet verified. */
export interface DecodedSign1 {
  /** The protected `alg` by name, or its raw value when it is not one microcred knows (an unprotected alg is ignored). */
  alg: unknown;
  typ: unknown;
  cty: unknown;
  /** The kid as text (protected or unprotected); `null` when it is present but not UTF-8. */
  kid: string | null | undefined;
  /** The embedded payload; undefined for a detached one. */
  payload: Uint8Array | undefined;
  /** Whether the signature verifies with `key` under `alg` (the only algorithm allowed for this call). */
  verify(key: KeyObject, alg: CoseAlgorithm): Promise<boolean>;
}

const ALGORITHM_NAMES = new Map<unknown, CoseAlgorithm>([
  [Algorithms.EdDSA, 'EdDSA'],
  [Algorithms.ES256, 'ES256'],
]);

/** Signs `payload` as a tagged COSE_Sign1 with every header protected. */
export async function coseSign1(headers: CoseSign1Headers, payload: Uint8Array, key: KeyObject): Promise<Uint8Array> {
  const entries: Array<[number, unknown]> = [[Headers.Algorithm, Algorithms[headers.alg]]];
  if (headers.cty !== undefined) entries.push([Headers.ContentType, headers.cty]);
  if (headers.typ !== undefined) entries.push([TYP_LABEL, headers.typ]);
  if (headers.kid !== undefined) entries.push([Headers.KeyID, new TextEncoder().encode(headers.kid)]);
  // The library's header types allow only numbers and bytes, but COSE (and VC-JOSE-COSE) write typ and cty as text.
  const signed = await Sign1.sign(entries as unknown as Parameters<typeof Sign1.sign>[0], undefined, payload, key);
  return signed.encode();
}

function kidText(kid: Uint8Array | undefined): string | null | undefined {
  if (kid === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(kid);
  } catch {
    return null;
  }
}

/** Decodes a tagged or untagged COSE_Sign1; throws on anything else (other COSE structures, bad CBOR). */
export function decodeCoseSign1(bytes: Uint8Array): DecodedSign1 {
  const message = Sign1.decode(bytes);
  const rawAlg = message.protectedHeaders.get(Headers.Algorithm);
  const payload = message.payload instanceof Uint8Array ? message.payload : undefined;
  return {
    alg: ALGORITHM_NAMES.get(rawAlg) ?? rawAlg,
    typ: message.protectedHeaders.get(TYP_LABEL),
    cty: message.protectedHeaders.get(Headers.ContentType),
    kid: kidText(message.kid),
    payload,
    async verify(key, alg) {
      try {
        await message.verify(key, { algorithms: [Algorithms[alg]] });
        return true;
      } catch {
        return false;
      }
    },
  };
}
