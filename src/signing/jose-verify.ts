// Verifies a VC-JOSE credential or presentation: algorithm allow-list, typ when present, kid bound to the issuer's (holder's) DID; never throws.
import { compactVerify, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import type { DidResolver } from '../did';
import { importPublicJwk } from './key-cache';
import { findVerificationKey, shown } from './verification-key';

/** Algorithms a VC-JOSE credential may use; `none` and HMAC are never accepted. */
export const JOSE_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** `typ` values accepted for a credential (VC-JOSE-COSE § 3.1.1 and the media types it registers); absent is accepted too. */
export const VC_TYPS: readonly string[] = ['vc+jwt', 'application/vc+jwt', 'vc+ld+json+jwt', 'application/vc+ld+json+jwt'];
/** `typ` values accepted for a presentation; absent is accepted too. */
export const VP_TYPS: readonly string[] = ['vp+jwt', 'application/vp+jwt', 'vp+ld+json+jwt', 'application/vp+ld+json+jwt'];

/** Outcome of {@link verifyJose}; `code` is set whenever `verified` is false. */
export interface JoseResult {
  verified: boolean;
  code?: string;
  message?: string;
  /** The decoded payload (present once the JWS parsed, even if verification failed). */
  credential?: Record<string, unknown>;
  header?: ProtectedHeaderParameters;
  /** The verification method that signed: the kid as a DID URL (a fragment or an absent kid resolved against the issuer). */
  verificationMethod?: string;
  /** The DID that controls the verification method. */
  controller?: string;
  /** The issuer id (for a presentation: the holder). */
  issuer?: string;
  /** True only when the key's DID is the issuer and its DID document lists the key for the purpose. */
  controllerIsIssuer?: boolean;
}

/** Options for {@link verifyJose}; without a resolver only did:key and did:jwk resolve. */
export interface VerifyJoseOptions {
  resolver?: DidResolver;
  /** `credential` (default: assertionMethod, typ vc+jwt) or `presentation` (authentication, typ vp+jwt, signer = holder). */
  expect?: 'credential' | 'presentation';
  /**
   * The JWS payload as the caller already decoded it from this very token (JSON of its base64url middle part), so it
   * is not decoded twice; the signature is still checked over the token's own bytes.
   */
  payload?: Record<string, unknown>;
}

function fail(code: string, message: string, extra: Partial<JoseResult> = {}): JoseResult {
  return { verified: false, code, message, ...extra };
}

function decodePayload(jws: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const id = (value as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Verifies a compact JWS VC (or VP with `expect: 'presentation'`). `typ` is checked when present and tolerated when
 * absent; `kid` may be a DID URL, a fragment of the issuer's DID, or absent when the issuer's DID document has exactly
 * one key for the purpose. Codes: ERR_JOSE_MALFORMED, ERR_JOSE_ALG_NOT_ALLOWED, ERR_JOSE_TYP, ERR_JOSE_KID_MISSING,
 * ERR_JOSE_PAYLOAD, ERR_JOSE_KID_NOT_ISSUER, ERR_JOSE_KID_UNKNOWN, ERR_JOSE_KEY_MISMATCH, ERR_JOSE_SIGNATURE, ERR_DID_*.
 */
export async function verifyJose(jws: unknown, options: VerifyJoseOptions = {}): Promise<JoseResult> {
  if (typeof jws !== 'string' || !/^[\w-]+\.[\w-]*\.[\w-]*$/.test(jws.trim())) {
    return fail('ERR_JOSE_MALFORMED', 'A VC-JOSE credential is a compact JWS: three base64url parts separated by dots.');
  }
  const presentation = options.expect === 'presentation';
  const token = jws.trim();
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return fail('ERR_JOSE_MALFORMED', 'The JWS protected header is not valid base64url JSON.');
  }
  const alg = header.alg ?? '';
  if (!(JOSE_ALGORITHMS as readonly string[]).includes(alg)) {
    return fail('ERR_JOSE_ALG_NOT_ALLOWED', `Algorithm ${shown(header.alg)} is not allowed; use one of ${JOSE_ALGORITHMS.join(', ')}.`, { header });
  }
  const typs = presentation ? VP_TYPS : VC_TYPS;
  if (header.typ !== undefined && !typs.includes(header.typ)) {
    return fail('ERR_JOSE_TYP', `The JWS typ ${shown(header.typ)} is not one for a ${presentation ? 'presentation' : 'credential'}; use "${typs[0]!}" or leave typ out.`, { header });
  }
  // b64:false (RFC 7797) signs the payload unencoded: VC-JOSE never uses it, and two readings of one token invite confusion.
  if ('b64' in header && header.b64 !== true) {
    return fail('ERR_JOSE_B64', 'The JWS header sets b64; VC-JOSE credentials use the default base64url payload (remove b64).', { header });
  }
  const payload = options.payload ?? decodePayload(token);
  if (!payload) return fail('ERR_JOSE_PAYLOAD', 'The JWS payload is not a JSON object.', { header });
  const issuer = presentation ? (idOf(payload.holder) ?? (typeof payload.iss === 'string' ? payload.iss : undefined)) : idOf(payload.issuer);
  const found = await findVerificationKey({ form: 'JOSE', kid: header.kid, alg, issuer, presentation, ...(options.resolver ? { resolver: options.resolver } : {}) });
  const withVm: Partial<JoseResult> = { header, credential: payload, ...found.facts };
  if (!('jwk' in found)) return fail(found.code, found.message, withVm);
  const { jwk } = found;
  try {
    const key = await importPublicJwk(jwk, alg);
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    return fail('ERR_JOSE_SIGNATURE', `The JWS signature does not verify with the ${presentation ? 'holder' : 'issuer'} key; it was changed or signed by someone else.`, withVm);
  }
  return { verified: true, ...withVm, controllerIsIssuer: true };
}
