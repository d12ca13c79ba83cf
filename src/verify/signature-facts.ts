// Verifies a parsed credential's signature once and keeps the facts both the signature and issuer-key checks read.
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { DocumentLoader } from '../contexts';
import { didOf, findVerificationMethod, multikeyToJwk, resolveDid, type DidResolver, type PublicJwk } from '../did';
import { JOSE_ALGORITHMS, importPublicJwk, verifyCose, verifyDataIntegrity, verifyJose } from '../signing';
import type { ParsedCredential } from './input';

/** What signature verification found, whichever securing form. */
export interface SignatureFacts {
  /** Whether the signature verifies with the key its proof or header names. */
  readonly verified: boolean;
  /** The signing layer's ERR_* code when `verified` is false, or when the key is not the issuer's. */
  readonly code?: string;
  readonly message?: string;
  readonly verificationMethod?: string;
  readonly controller?: string;
  readonly issuer?: string;
  /** true: the key's controller is the issuer and lists it under assertionMethod; false: it is not; undefined: unknown. */
  readonly controllerIsIssuer?: boolean;
  /** Proof types of a Data Integrity credential, or the JWS `alg`. */
  readonly proofTypes?: readonly string[];
}

/** Where keys come from. */
export interface SignatureDeps {
  readonly loader: DocumentLoader;
  readonly didResolver?: DidResolver;
}

/**
 * A JWS whose `kid` is not the issuer's (or not an assertionMethod) is refused by verifyJose before the signature is
 * looked at. The verifier still reports whether the signature itself is sound, so it checks it against the kid's key
 * here; the issuer-key check then reports the binding separately.
 */
async function verifyWithKid(jws: string, deps: SignatureDeps): Promise<boolean> {
  try {
    const header = decodeProtectedHeader(jws);
    const alg = header.alg ?? '';
    const kid = header.kid;
    if (!(JOSE_ALGORITHMS as readonly string[]).includes(alg) || typeof kid !== 'string') return false;
    const did = didOf(kid);
    const document = await resolveDid(did, deps.didResolver);
    const vm = findVerificationMethod(document, kid);
    if (!vm) return false;
    const jwk = typeof vm.publicKeyMultibase === 'string' ? multikeyToJwk(vm.publicKeyMultibase) : (vm.publicKeyJwk as PublicJwk | undefined);
    if (!jwk) return false;
    const key = await importPublicJwk(jwk, alg);
    await compactVerify(jws, key, { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}

/** The facts of a VC-COSE credential; a kid that is not the issuer's is reported as such, its signature not tried. */
async function coseFacts(cose: Uint8Array, deps: SignatureDeps): Promise<SignatureFacts> {
  const result = await verifyCose(cose, deps.didResolver ? { resolver: deps.didResolver } : {});
  const facts = {
    ...(result.verificationMethod !== undefined ? { verificationMethod: result.verificationMethod } : {}),
    ...(result.controller !== undefined ? { controller: result.controller } : {}),
    ...(result.issuer !== undefined ? { issuer: result.issuer } : {}),
    ...(result.alg !== undefined ? { proofTypes: [`COSE/${result.alg}`] } : {}),
    ...(result.controllerIsIssuer !== undefined ? { controllerIsIssuer: result.controllerIsIssuer } : {}),
  };
  if (result.verified) return { verified: true, ...facts, controllerIsIssuer: true };
  return { verified: false, code: result.code ?? 'ERR_COSE_SIGNATURE', message: result.message ?? '', ...facts };
}

/** Verifies the signature of `parsed` (Data Integrity, VC-JOSE or VC-COSE). Never throws. */
export async function signatureFacts(parsed: ParsedCredential, deps: SignatureDeps): Promise<SignatureFacts> {
  try {
    if (parsed.securing === 'data-integrity') {
      const result = await verifyDataIntegrity(parsed.credential, { loader: deps.loader });
      return { ...result, ...(result.proofTypes ? { proofTypes: result.proofTypes } : {}) };
    }
    if (parsed.securing === 'vc-cose-envelope') return coseFacts(parsed.cose ?? new Uint8Array(), deps);
    const jws = parsed.jws ?? '';
    // parseInput decoded the payload from this JWS already (the same JSON.parse of the same base64url part).
    const result = await verifyJose(jws, { payload: parsed.credential, ...(deps.didResolver ? { resolver: deps.didResolver } : {}) });
    const proofTypes = result.header?.alg ? [`JWS/${result.header.alg}`] : undefined;
    const facts = {
      ...(result.verificationMethod !== undefined ? { verificationMethod: result.verificationMethod } : {}),
      ...(result.controller !== undefined ? { controller: result.controller } : {}),
      ...(result.issuer !== undefined ? { issuer: result.issuer } : {}),
      ...(proofTypes ? { proofTypes } : {}),
    };
    if (result.verified) return { verified: true, controllerIsIssuer: true, ...facts };
    if (result.code === 'ERR_JOSE_KID_NOT_ISSUER' || result.code === 'ERR_JOSE_KID_UNKNOWN') {
      const verified = await verifyWithKid(jws, deps);
      return { verified, code: verified ? result.code : 'ERR_JOSE_SIGNATURE', message: result.message ?? '', controllerIsIssuer: false, ...facts };
    }
    return { verified: false, code: result.code ?? 'ERR_JOSE_SIGNATURE', message: result.message ?? '', ...facts };
  } catch (error) {
    return { verified: false, code: 'ERR_VERIFY_UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
  }
}
