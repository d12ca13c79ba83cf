// Verifies a VC-COSE credential (a COSE_Sign1, VC-JOSE-COSE § 3.3): algorithm allow-list, typ and cty when present, kid bound to the issuer's DID; never throws.
import { decodeCoseSign1, type CoseAlgorithm, type DecodedSign1 } from '../libraries';
import type { DidResolver } from '../did';
import { isObject } from '../json';
import { JOSE_ALGORITHMS } from './jose-verify';
import { publicKeyObject } from './key-cache';
import { findVerificationKey, shown, type SignerFacts } from './verification-key';

/** `typ` values accepted for a COSE-secured credential; absent is accepted too. */
export const VC_COSE_TYPS: readonly string[] = ['application/vc+cose'];
/** Content types accepted for its payload; absent is accepted too. */
export const VC_COSE_CTYS: readonly string[] = ['application/vc', 'application/vc+ld+json'];

/** Outcome of {@link verifyCose}; `code` is set whenever `verified` is false. */
export interface CoseResult extends SignerFacts {
  verified: boolean;
  code?: string;
  message?: string;
  /** The decoded payload, once it parsed (even if verification failed). */
  credential?: Record<string, unknown>;
  /** The protected `alg` by name. */
  alg?: string;
}

function fail(code: string, message: string, extra: Partial<CoseResult> = {}): CoseResult {
  return { verified: false, code, message, ...extra };
}

/** Decodes the COSE_Sign1 and its JSON payload without verifying; a problem when either cannot be read. */
export function readCose(bytes: Uint8Array): { message: DecodedSign1; credential: Record<string, unknown> } | { code: string; problem: string } {
  let message: DecodedSign1;
  try {
    message = decodeCoseSign1(bytes);
  } catch {
    return { code: 'ERR_COSE_MALFORMED', problem: 'A VC-COSE credential is a COSE_Sign1 (CBOR tag 18); these bytes are not one.' };
  }
  if (message.payload === undefined) return { code: 'ERR_COSE_PAYLOAD', problem: 'The COSE_Sign1 has no embedded payload; VC-COSE carries the credential inside.' };
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message.payload));
    if (isObject(value)) return { message, credential: value };
  } catch {
    // Falls through to the one refusal below.
  }
  return { code: 'ERR_COSE_PAYLOAD', problem: 'The COSE payload is not a JSON credential object.' };
}

/**
 * Verifies COSE_Sign1 bytes that secure a credential. `typ` and the content type are checked when present; `kid`
 * follows the VC-JOSE rules (a DID URL, a fragment of the issuer's DID, or absent when the DID has one assertionMethod
 * key). Codes: ERR_COSE_MALFORMED, ERR_COSE_PAYLOAD, ERR_COSE_ALG_NOT_ALLOWED, ERR_COSE_TYP, ERR_COSE_KID_MISSING,
 * ERR_COSE_KID_NOT_ISSUER, ERR_COSE_KID_UNKNOWN, ERR_COSE_KEY_MISMATCH, ERR_COSE_SIGNATURE, ERR_DID_*.
 */
export async function verifyCose(bytes: Uint8Array, options: { resolver?: DidResolver } = {}): Promise<CoseResult> {
  const read = readCose(bytes);
  if ('problem' in read) return fail(read.code, read.problem);
  const { message, credential } = read;
  if (!(JOSE_ALGORITHMS as readonly unknown[]).includes(message.alg)) {
    return fail('ERR_COSE_ALG_NOT_ALLOWED', `COSE algorithm ${shown(message.alg)} is not allowed; use one of ${JOSE_ALGORITHMS.join(', ')} in the protected header.`, { credential });
  }
  const alg = message.alg as CoseAlgorithm;
  if (message.typ !== undefined && !VC_COSE_TYPS.includes(message.typ as string)) {
    return fail('ERR_COSE_TYP', `The COSE typ ${shown(message.typ)} is not one for a credential; use "${VC_COSE_TYPS[0]!}" or leave typ out.`, { credential, alg });
  }
  if (message.cty !== undefined && !VC_COSE_CTYS.includes(message.cty as string)) {
    return fail('ERR_COSE_TYP', `The COSE content type ${shown(message.cty)} is not a credential's; use "${VC_COSE_CTYS[0]!}" or leave it out.`, { credential, alg });
  }
  const issuerValue = credential.issuer;
  const issuer = typeof issuerValue === 'string' ? issuerValue : isObject(issuerValue) && typeof issuerValue.id === 'string' ? issuerValue.id : undefined;
  const found = await findVerificationKey({ form: 'COSE', kid: message.kid === null ? '' : message.kid, alg, issuer, presentation: false, ...(options.resolver ? { resolver: options.resolver } : {}) });
  const facts: Partial<CoseResult> = { credential, alg, ...found.facts };
  if (!('jwk' in found)) return fail(found.code, found.message, facts);
  const { jwk } = found;
  const key = publicKeyObject(jwk);
  if (!(await message.verify(key, alg))) {
    return fail('ERR_COSE_SIGNATURE', 'The COSE signature does not verify with the issuer key; the credential was changed or signed by someone else.', facts);
  }
  return { verified: true, ...facts, controllerIsIssuer: true };
}
