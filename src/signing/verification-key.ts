// Finds the public key that verifies a VC-JOSE or VC-COSE message: kid as a DID URL, a fragment of the issuer's DID, or absent when the DID has one key for the purpose.
import { isMicrocredError } from '../errors';
import { didOf, findVerificationMethod, resolveDid, multikeyToJwk, type DidDocument, type DidResolver, type PublicJwk } from '../did';

/** Which envelope asks: its codes are `ERR_JOSE_*` or `ERR_COSE_*`, its messages name a JWS or a COSE message. */
export type SecuringForm = 'JOSE' | 'COSE';

/** What a lookup needs: the header's kid and alg, the payload's issuer (holder), the purpose. */
export interface KeyLookup {
  form: SecuringForm;
  kid: unknown;
  alg: string;
  /** The credential's issuer id (a presentation's holder). */
  issuer: string | undefined;
  presentation: boolean;
  resolver?: DidResolver;
}

/** Facts about the signer that the verifier reports whether or not the key was found. */
export interface SignerFacts {
  issuer?: string;
  controller?: string;
  verificationMethod?: string;
  controllerIsIssuer?: boolean;
}

/** The key and its facts, or the code and message of the first reason there is none. */
export type KeyLookupResult = { jwk: PublicJwk; facts: SignerFacts } | { code: string; message: string; facts: SignerFacts };

function keyMatchesAlg(jwk: PublicJwk, alg: string): boolean {
  return (alg === 'EdDSA' && jwk.crv === 'Ed25519') || (alg === 'ES256' && jwk.crv === 'P-256');
}

function absolute(id: string, did: string): string {
  return id.startsWith('#') ? did + id : id;
}

/** The ids of the document's verification relationship (`assertionMethod` or `authentication`). */
function relationship(doc: DidDocument, name: 'assertionMethod' | 'authentication'): string[] {
  const entries = doc[name] ?? [];
  return entries.map((entry) => (typeof entry === 'string' ? absolute(entry, doc.id) : typeof entry.id === 'string' ? absolute(entry.id, doc.id) : '')).filter((id) => id !== '');
}

// Every credential of an issuer names the same Multikey: it is decoded (base58, and a P-256 point decompressed) once.
const multikeyJwks = new Map<string, PublicJwk>();

/** multikeyToJwk, kept per Multikey (bounded); a fresh copy each time, so no caller can change another's. Throws as it does. */
function jwkOfMultikey(publicKeyMultibase: string): PublicJwk {
  let jwk = multikeyJwks.get(publicKeyMultibase);
  if (jwk === undefined) {
    jwk = multikeyToJwk(publicKeyMultibase);
    if (multikeyJwks.size >= 1_000) multikeyJwks.clear();
    if (publicKeyMultibase.length <= 256) multikeyJwks.set(publicKeyMultibase, jwk);
  }
  return { ...jwk };
}

/** A printable form of a header value, so a message never says "undefined". */
export function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value.slice(0, 60)}"` : JSON.stringify(value)?.slice(0, 60) ?? 'absent';
}

/**
 * Resolves the signer's DID and returns the public key the kid names, bound to the issuer (holder) and listed under
 * assertionMethod (authentication). Codes: ERR_<form>_KID_MISSING, ERR_<form>_PAYLOAD, ERR_<form>_KID_NOT_ISSUER,
 * ERR_<form>_KID_UNKNOWN, ERR_<form>_KEY_MISMATCH, ERR_DID_*. Never throws.
 */
export async function findVerificationKey(lookup: KeyLookup): Promise<KeyLookupResult> {
  const { form, kid, alg, issuer, presentation } = lookup;
  const message = form === 'JOSE' ? 'JWS' : 'COSE message';
  const who = presentation ? 'holder' : 'issuer';
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) return { code: `ERR_${form}_KID_MISSING`, message: `The ${message} kid must be a non-empty string when present.`, facts: {} };
  // A DID URL names its controller; a fragment or an absent kid is resolved against the issuer's (holder's) DID.
  const controller = typeof kid === 'string' && kid.startsWith('did:') ? didOf(kid) : issuer;
  const facts: SignerFacts = { ...(issuer !== undefined ? { issuer } : {}), ...(controller !== undefined ? { controller } : {}) };
  if (controller === undefined || !controller.startsWith('did:')) {
    return kid === undefined || !String(kid).startsWith('did:')
      ? { code: issuer === undefined ? `ERR_${form}_PAYLOAD` : `ERR_${form}_KID_MISSING`, message: `Without a DID URL in kid, the ${who} must be a DID whose document names the key.`, facts }
      : { code: `ERR_${form}_PAYLOAD`, message: `The ${presentation ? 'presentation' : 'credential'} has no ${who} id.`, facts };
  }
  if (issuer === undefined && !presentation) return { code: `ERR_${form}_PAYLOAD`, message: 'The credential has no issuer id.', facts };
  if (issuer !== undefined && controller !== issuer) {
    return {
      code: `ERR_${form}_KID_NOT_ISSUER`,
      message: `The kid ${shown(kid)} belongs to "${controller}", not to the ${who} "${issuer}".`,
      facts: { ...facts, verificationMethod: String(kid), controllerIsIssuer: false },
    };
  }
  let didDocument: DidDocument;
  try {
    didDocument = await resolveDid(controller, lookup.resolver);
  } catch (error) {
    const code = isMicrocredError(error) ? error.code : 'ERR_DID_RESOLUTION';
    return { code, message: `The ${who}'s DID document could not be resolved: ${(error as Error).message}`, facts };
  }
  const purpose = presentation ? 'authentication' : 'assertionMethod';
  const allowed = relationship(didDocument, purpose);
  let vmId: string;
  if (typeof kid === 'string') {
    vmId = kid.startsWith('did:') ? kid : kid.startsWith('#') ? `${controller}${kid}` : `${controller}#${kid}`;
  } else if (allowed.length === 1) {
    vmId = allowed[0]!;
  } else {
    return { code: `ERR_${form}_KID_MISSING`, message: `The ${message} has no kid and the DID document of "${controller}" lists ${allowed.length} keys for ${purpose}; name one in kid.`, facts };
  }
  const withVm = { ...facts, verificationMethod: vmId };
  const vm = findVerificationMethod(didDocument, vmId);
  if (!vm || !allowed.includes(vmId)) {
    return { code: `ERR_${form}_KID_UNKNOWN`, message: `The key "${vmId}" is not listed under ${purpose} in the DID document of "${controller}".`, facts: { ...withVm, controllerIsIssuer: false } };
  }
  try {
    const jwk = typeof vm.publicKeyMultibase === 'string' ? jwkOfMultikey(vm.publicKeyMultibase) : (vm.publicKeyJwk as PublicJwk);
    if (!jwk || !keyMatchesAlg(jwk, alg)) throw new Error('mismatch');
    return { jwk, facts: withVm };
  } catch {
    return { code: `ERR_${form}_KEY_MISMATCH`, message: `The verification method "${vmId}" is not a key for algorithm ${alg}.`, facts: withVm };
  }
}
