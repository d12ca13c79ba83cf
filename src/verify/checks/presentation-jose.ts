// The presentation check for a VC-JOSE presentation (vp+jwt): the holder's JWS, with the expected nonce and audience.
import { verifyJose } from '../../signing';
import type { DidResolver } from '../../did';
import { checkResult, type CheckResult, type VerifyOptions } from '../result';

// Signing-layer codes that mean the holder's key could not be obtained (could not check), not a bad signature.
const COULD_NOT_CHECK = /^ERR_DID_(?!VM_NOT_FOUND|KEY_INVALID|JWK_INVALID)/;

function audienceMatches(aud: unknown, expected: string): boolean {
  return aud === expected || (Array.isArray(aud) && aud.includes(expected));
}

/**
 * For a presentation secured as a JWS: PRESENTATION_PROOF_VALID; failed PRESENTATION_CHALLENGE_MISMATCH (`nonce`),
 * PRESENTATION_DOMAIN_MISMATCH (`aud`), PRESENTATION_HOLDER_MISMATCH (kid not the holder's), PRESENTATION_PROOF_INVALID;
 * error PRESENTATION_KEY_UNRESOLVED. `data.cause` is the signing layer's ERR_* code.
 */
export async function josePresentationCheck(jws: string, presentation: Record<string, unknown>, options: VerifyOptions, resolver?: DidResolver): Promise<CheckResult> {
  if (options.challenge !== undefined && presentation.nonce !== options.challenge) {
    return checkResult('presentation', 'failed', 'PRESENTATION_CHALLENGE_MISMATCH', 'The holder’s JWS was made for another challenge (nonce): it may be a replay.');
  }
  if (options.domain !== undefined && !audienceMatches(presentation.aud, options.domain)) {
    return checkResult('presentation', 'failed', 'PRESENTATION_DOMAIN_MISMATCH', 'The holder’s JWS was made for another verifier (aud).');
  }
  const result = await verifyJose(jws, { expect: 'presentation', ...(resolver ? { resolver } : {}) });
  const data = { holder: result.issuer, controller: result.controller, verificationMethod: result.verificationMethod, ...(result.code ? { cause: result.code } : {}) };
  if (result.verified) {
    const asked = options.challenge !== undefined || options.domain !== undefined;
    return checkResult('presentation', 'passed', 'PRESENTATION_PROOF_VALID', 'The holder’s JWS is valid' + (asked ? ' for this challenge and domain.' : '.'), data);
  }
  const code = result.code ?? 'ERR_JOSE_SIGNATURE';
  if (COULD_NOT_CHECK.test(code)) return checkResult('presentation', 'error', 'PRESENTATION_KEY_UNRESOLVED', `The holder’s JWS could not be checked: ${result.message ?? code}`, data);
  if (code === 'ERR_JOSE_KID_NOT_ISSUER') return checkResult('presentation', 'failed', 'PRESENTATION_HOLDER_MISMATCH', result.message ?? 'The presentation was signed by someone other than its holder.', data);
  return checkResult('presentation', 'failed', 'PRESENTATION_PROOF_INVALID', `The holder’s JWS does not verify: ${result.message ?? code}`, data);
}
