// What a baked image or a certificate carries: a credential split into the Open Badges carrier and microcred's anchor proof.
import { attachAnchorProof, findAnchorProof, isEnvelope, unwrapEnvelope, type AnchorProof } from '../anchoring';
import { MicrocredError } from '../errors';

/** PNG iTXt keyword and SVG element the Open Badges 3.0 specification names for a baked credential. */
export const OB3_PNG_KEYWORD = 'openbadgecredential';
/** The `xmlns:openbadges` namespace the Open Badges 3.0 specification names for SVG baking. */
export const OB3_SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
/**
 * Where a VC-JOSE credential's anchor proof travels beside the spec's carrier (a PNG iTXt keyword, an SVG element in
 * its own namespace): the spec puts only the compact JWS in the image, and the anchor proof would otherwise be lost.
 */
export const ANCHOR_PNG_KEYWORD = 'microcred-anchor-proof';
/** Namespace of the SVG element that carries a VC-JOSE credential's anchor proof. */
export const ANCHOR_SVG_NAMESPACE = 'urn:microcred:anchor-proof';

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A credential ready to bake: JSON (Data Integrity, anchor proof inside) or a compact JWS with its anchor proof apart. */
export type BakePayload = { readonly kind: 'json'; readonly json: string } | { readonly kind: 'jws'; readonly jws: string; readonly anchorProof?: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Splits a credential for baking. Accepts a Data Integrity credential (object or JSON text), an anchored VC-JOSE
 * envelope (object or JSON text) or a bare compact JWS. Throws ERR_BAKE_CREDENTIAL for anything else.
 */
export function toPayload(credential: Record<string, unknown> | string): BakePayload {
  let value: unknown = credential;
  if (typeof credential === 'string') {
    const text = credential.trim();
    if (JWS.test(text)) return { kind: 'jws', jws: text };
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new MicrocredError('ERR_BAKE_CREDENTIAL', 'The credential to bake is neither JSON nor a compact JWS; give the anchored credential file.', { cause });
    }
  }
  if (!isObject(value)) throw new MicrocredError('ERR_BAKE_CREDENTIAL', 'The credential to bake must be a JSON object or a compact JWS.');
  if (isEnvelope(value)) {
    let unwrapped: ReturnType<typeof unwrapEnvelope>;
    try {
      unwrapped = unwrapEnvelope(value);
    } catch (cause) {
      throw new MicrocredError('ERR_BAKE_CREDENTIAL', 'The envelope to bake does not hold a compact JWS.', { cause });
    }
    return unwrapped.anchorProof === undefined ? { kind: 'jws', jws: unwrapped.jws } : { kind: 'jws', jws: unwrapped.jws, anchorProof: JSON.stringify(unwrapped.anchorProof) };
  }
  const type = value.type;
  const isCredential = type === 'VerifiableCredential' || (Array.isArray(type) && type.includes('VerifiableCredential'));
  if (!isCredential) throw new MicrocredError('ERR_BAKE_CREDENTIAL', 'The JSON to bake is not a Verifiable Credential (its type lacks VerifiableCredential).');
  return { kind: 'json', json: JSON.stringify(value) };
}

/**
 * The verifier's input rebuilt from what an image carried: the JSON as is, a JWS with an anchor proof as the anchored
 * envelope, or the bare JWS. The anchor proof is not checked here: the verifier does that.
 */
export function fromCarriers(credentialText: string, anchorProofText: string | undefined): string {
  const text = credentialText.trim();
  if (anchorProofText === undefined || !JWS.test(text)) return text;
  let proof: unknown;
  try {
    proof = JSON.parse(anchorProofText);
  } catch (cause) {
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The anchor proof baked beside the credential is not JSON; the image was altered.', { cause });
  }
  return JSON.stringify(attachAnchorProof('jose', text, proof as AnchorProof));
}

/** True when the payload carries its anchor proof: the final form a learner should be given (see docs/delivery.md). */
export function isAnchoredPayload(payload: BakePayload): boolean {
  return payload.kind === 'jws' ? payload.anchorProof !== undefined : findAnchorProof(JSON.parse(payload.json)) !== undefined;
}
