// Verifies a VC-JOSE credential: algorithm allow-list, typ, kid bound to the issuer's DID document; never throws.
import { compactVerify, decodeProtectedHeader, importJWK, type ProtectedHeaderParameters } from 'jose';
import { isMicrocredError } from '../errors';
import { didOf, findVerificationMethod, isAssertionMethod, type DidResolver } from './did-document';
import { resolveDidKey } from './did-key';
import { multikeyToJwk, type PublicJwk } from './multikey';
import { VC_JWT_TYP } from './jose-sign';

/** Algorithms a VC-JOSE credential may use; `none` and HMAC are never accepted. */
export const JOSE_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** Outcome of {@link verifyJose}; `code` is set whenever `verified` is false. */
export interface JoseResult {
  verified: boolean;
  code?: string;
  message?: string;
  /** The decoded payload (present once the JWS parsed, even if verification failed). */
  credential?: Record<string, unknown>;
  header?: ProtectedHeaderParameters;
  /** The `kid`: the verification method that signed. */
  verificationMethod?: string;
  /** The DID that controls the verification method. */
  controller?: string;
  issuer?: string;
  /** True only when the kid's DID is the issuer and the DID document lists the kid under assertionMethod. */
  controllerIsIssuer?: boolean;
}

/** Options for {@link verifyJose}; without a resolver only did:key issuers resolve. */
export interface VerifyJoseOptions {
  resolver?: DidResolver;
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

function keyMatchesAlg(jwk: PublicJwk, alg: string): boolean {
  return (alg === 'EdDSA' && jwk.crv === 'Ed25519') || (alg === 'ES256' && jwk.crv === 'P-256');
}

/**
 * Verifies a compact JWS VC. Codes: ERR_JOSE_MALFORMED, ERR_JOSE_ALG_NOT_ALLOWED, ERR_JOSE_TYP, ERR_JOSE_KID_MISSING,
 * ERR_JOSE_PAYLOAD, ERR_JOSE_KID_NOT_ISSUER, ERR_JOSE_KID_UNKNOWN, ERR_JOSE_KEY_MISMATCH, ERR_JOSE_SIGNATURE, ERR_DID_*.
 */
export async function verifyJose(jws: unknown, options: VerifyJoseOptions = {}): Promise<JoseResult> {
  if (typeof jws !== 'string' || !/^[\w-]+\.[\w-]*\.[\w-]*$/.test(jws.trim())) {
    return fail('ERR_JOSE_MALFORMED', 'A VC-JOSE credential is a compact JWS: three base64url parts separated by dots.');
  }
  const token = jws.trim();
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return fail('ERR_JOSE_MALFORMED', 'The JWS protected header is not valid base64url JSON.');
  }
  const alg = header.alg ?? '';
  if (!(JOSE_ALGORITHMS as readonly string[]).includes(alg)) {
    return fail('ERR_JOSE_ALG_NOT_ALLOWED', `Algorithm "${alg}" is not allowed; use one of ${JOSE_ALGORITHMS.join(', ')}.`, { header });
  }
  if (header.typ !== VC_JWT_TYP) {
    return fail('ERR_JOSE_TYP', `The JWS typ must be "${VC_JWT_TYP}", not "${String(header.typ)}".`, { header });
  }
  // b64:false (RFC 7797) signs the payload unencoded: VC-JOSE never uses it, and two readings of one token invite confusion.
  if ('b64' in header && header.b64 !== true) {
    return fail('ERR_JOSE_B64', 'The JWS header sets b64; VC-JOSE credentials use the default base64url payload (remove b64).', { header });
  }
  const kid = header.kid;
  if (typeof kid !== 'string' || !kid.startsWith('did:') || !kid.includes('#')) {
    return fail('ERR_JOSE_KID_MISSING', 'The JWS header needs a kid that is a DID URL naming the verification method.', { header });
  }
  const credential = decodePayload(token);
  if (!credential) return fail('ERR_JOSE_PAYLOAD', 'The JWS payload is not a JSON credential object.', { header, verificationMethod: kid });
  const rawIssuer = credential.issuer;
  const issuer = typeof rawIssuer === 'string' ? rawIssuer : typeof (rawIssuer as { id?: unknown } | undefined)?.id === 'string' ? (rawIssuer as { id: string }).id : undefined;
  const controller = didOf(kid);
  const facts: Partial<JoseResult> = { header, credential, verificationMethod: kid, controller, issuer };
  if (issuer === undefined) return fail('ERR_JOSE_PAYLOAD', 'The credential has no issuer id.', facts);
  if (controller !== issuer) {
    return fail('ERR_JOSE_KID_NOT_ISSUER', `The kid "${kid}" belongs to "${controller}", not to the issuer "${issuer}".`, { ...facts, controllerIsIssuer: false });
  }
  let didDocument;
  try {
    didDocument = controller.startsWith('did:key:') ? await resolveDidKey(controller) : options.resolver ? await options.resolver.resolve(controller) : undefined;
  } catch (error) {
    const code = isMicrocredError(error) ? error.code : 'ERR_DID_RESOLUTION';
    return fail(code, `The issuer's DID document could not be resolved: ${(error as Error).message}`, facts);
  }
  if (!didDocument) return fail('ERR_DID_METHOD_UNSUPPORTED', `No resolver is configured for "${controller}".`, facts);
  const vm = findVerificationMethod(didDocument, kid);
  if (!vm || !isAssertionMethod(didDocument, kid)) {
    return fail('ERR_JOSE_KID_UNKNOWN', `The kid "${kid}" is not an assertionMethod in the issuer's DID document.`, { ...facts, controllerIsIssuer: false });
  }
  let jwk: PublicJwk;
  try {
    jwk = typeof vm.publicKeyMultibase === 'string' ? multikeyToJwk(vm.publicKeyMultibase) : (vm.publicKeyJwk as PublicJwk);
    if (!jwk || !keyMatchesAlg(jwk, alg)) throw new Error('mismatch');
  } catch {
    return fail('ERR_JOSE_KEY_MISMATCH', `The verification method "${kid}" is not a key for algorithm ${alg}.`, facts);
  }
  try {
    const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) }, alg);
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    return fail('ERR_JOSE_SIGNATURE', 'The JWS signature does not verify with the issuer key; the credential was changed or signed by someone else.', facts);
  }
  return { verified: true, ...facts, controllerIsIssuer: true };
}
