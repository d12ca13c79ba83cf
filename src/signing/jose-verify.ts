// Verifies a VC-JOSE credential or presentation: algorithm allow-list, typ when present, kid bound to the issuer's (holder's) DID; never throws.
import { compactVerify, decodeProtectedHeader, importJWK, type ProtectedHeaderParameters } from 'jose';
import { isMicrocredError } from '../errors';
import { didOf, findVerificationMethod, resolveDid, multikeyToJwk, type DidDocument, type DidResolver, type PublicJwk } from '../did';

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

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const id = (value as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function absolute(id: string, did: string): string {
  return id.startsWith('#') ? did + id : id;
}

/** The ids of the document's verification relationship (`assertionMethod` or `authentication`). */
function relationship(doc: DidDocument, name: 'assertionMethod' | 'authentication'): string[] {
  const entries = doc[name] ?? [];
  return entries.map((entry) => (typeof entry === 'string' ? absolute(entry, doc.id) : typeof entry.id === 'string' ? absolute(entry.id, doc.id) : '')).filter((id) => id !== '');
}

/** A printable form of a header value, so a message never says "undefined". */
function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value.slice(0, 60)}"` : JSON.stringify(value)?.slice(0, 60) ?? 'absent';
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
  const payload = decodePayload(token);
  if (!payload) return fail('ERR_JOSE_PAYLOAD', 'The JWS payload is not a JSON object.', { header });
  const issuer = presentation ? (idOf(payload.holder) ?? (typeof payload.iss === 'string' ? payload.iss : undefined)) : idOf(payload.issuer);
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) return fail('ERR_JOSE_KID_MISSING', 'The JWS kid must be a non-empty string when present.', { header, credential: payload });
  // A DID URL names its controller; a fragment or an absent kid is resolved against the issuer's (holder's) DID.
  const controller = typeof kid === 'string' && kid.startsWith('did:') ? didOf(kid) : issuer;
  const facts: Partial<JoseResult> = { header, credential: payload, ...(issuer !== undefined ? { issuer } : {}), ...(controller !== undefined ? { controller } : {}) };
  if (controller === undefined || !controller.startsWith('did:')) {
    const who = presentation ? 'holder' : 'issuer';
    return kid === undefined || !String(kid).startsWith('did:')
      ? fail(issuer === undefined ? 'ERR_JOSE_PAYLOAD' : 'ERR_JOSE_KID_MISSING', `Without a DID URL in kid, the ${who} must be a DID whose document names the key.`, facts)
      : fail('ERR_JOSE_PAYLOAD', `The ${presentation ? 'presentation' : 'credential'} has no ${who} id.`, facts);
  }
  if (issuer === undefined && !presentation) return fail('ERR_JOSE_PAYLOAD', 'The credential has no issuer id.', facts);
  if (issuer !== undefined && controller !== issuer) {
    return fail('ERR_JOSE_KID_NOT_ISSUER', `The kid ${shown(kid)} belongs to "${controller}", not to the ${presentation ? 'holder' : 'issuer'} "${issuer}".`, {
      ...facts,
      verificationMethod: String(kid),
      controllerIsIssuer: false,
    });
  }
  let didDocument: DidDocument;
  try {
    didDocument = await resolveDid(controller, options.resolver);
  } catch (error) {
    const code = isMicrocredError(error) ? error.code : 'ERR_DID_RESOLUTION';
    return fail(code, `The ${presentation ? 'holder' : 'issuer'}'s DID document could not be resolved: ${(error as Error).message}`, facts);
  }
  const purpose = presentation ? 'authentication' : 'assertionMethod';
  const allowed = relationship(didDocument, purpose);
  let vmId: string;
  if (typeof kid === 'string') {
    vmId = kid.startsWith('did:') ? kid : kid.startsWith('#') ? `${controller}${kid}` : `${controller}#${kid}`;
  } else if (allowed.length === 1) {
    vmId = allowed[0]!;
  } else {
    return fail('ERR_JOSE_KID_MISSING', `The JWS has no kid and the DID document of "${controller}" lists ${allowed.length} keys for ${purpose}; name one in kid.`, facts);
  }
  const withVm = { ...facts, verificationMethod: vmId };
  const vm = findVerificationMethod(didDocument, vmId);
  if (!vm || !allowed.includes(vmId)) {
    return fail('ERR_JOSE_KID_UNKNOWN', `The key "${vmId}" is not listed under ${purpose} in the DID document of "${controller}".`, { ...withVm, controllerIsIssuer: false });
  }
  let jwk: PublicJwk;
  try {
    jwk = typeof vm.publicKeyMultibase === 'string' ? multikeyToJwk(vm.publicKeyMultibase) : (vm.publicKeyJwk as PublicJwk);
    if (!jwk || !keyMatchesAlg(jwk, alg)) throw new Error('mismatch');
  } catch {
    return fail('ERR_JOSE_KEY_MISMATCH', `The verification method "${vmId}" is not a key for algorithm ${alg}.`, withVm);
  }
  try {
    const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) }, alg);
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    return fail('ERR_JOSE_SIGNATURE', `The JWS signature does not verify with the ${presentation ? 'holder' : 'issuer'} key; it was changed or signed by someone else.`, withVm);
  }
  return { verified: true, ...withVm, controllerIsIssuer: true };
}
