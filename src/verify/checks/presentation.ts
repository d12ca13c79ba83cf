// The presentation check: the holder's Data Integrity authentication proof, with the expected challenge and domain.
import { couldNotCheck, findMicrocredError } from '../../errors';
import type { DocumentLoader } from '../../contexts';
import { isObject } from '../../json';
import { jsigs, VERIFICATION_SUITES } from '../../libraries';
import { proofsOf } from '../../signing';
import { checkResult, type CheckResult, type VerifyOptions } from '../result';


function domainMatches(domain: unknown, expected: string): boolean {
  return domain === expected || (Array.isArray(domain) && domain.includes(expected));
}

/**
 * PRESENTATION_PROOF_VALID; skipped PRESENTATION_UNSIGNED (no proof, none asked for); failed PRESENTATION_UNSIGNED (a
 * challenge or domain was asked for), PRESENTATION_CHALLENGE_MISMATCH, PRESENTATION_DOMAIN_MISMATCH,
 * PRESENTATION_HOLDER_MISMATCH, PRESENTATION_PROOF_INVALID; error PRESENTATION_KEY_UNRESOLVED.
 */
export async function presentationCheck(presentation: Record<string, unknown>, options: VerifyOptions, loader: DocumentLoader): Promise<CheckResult> {
  const proofs = proofsOf(presentation).filter(isObject);
  const holder = typeof presentation.holder === 'string' ? presentation.holder : isObject(presentation.holder) && typeof presentation.holder.id === 'string' ? presentation.holder.id : undefined;
  const asked = options.challenge !== undefined || options.domain !== undefined;
  if (proofs.length === 0) {
    return asked
      ? checkResult('presentation', 'failed', 'PRESENTATION_UNSIGNED', 'The presentation has no holder proof, but a challenge or domain was required.')
      : checkResult('presentation', 'skipped', 'PRESENTATION_UNSIGNED', 'The presentation has no holder proof, so who presented it is not confirmed.');
  }
  const proof = proofs[0]!;
  if (options.challenge !== undefined && proof.challenge !== options.challenge) {
    return checkResult('presentation', 'failed', 'PRESENTATION_CHALLENGE_MISMATCH', 'The holder’s proof was made for another challenge: it may be a replay.');
  }
  if (options.domain !== undefined && !domainMatches(proof.domain, options.domain)) {
    return checkResult('presentation', 'failed', 'PRESENTATION_DOMAIN_MISMATCH', 'The holder’s proof was made for another verifier (domain).');
  }
  const purpose =
    typeof proof.challenge === 'string'
      ? new jsigs.purposes.AuthenticationProofPurpose({
          challenge: proof.challenge,
          ...(options.domain !== undefined ? { domain: options.domain } : {}),
        })
      : new jsigs.purposes.ControllerProofPurpose({ term: 'authentication' });
  let outcome: Awaited<ReturnType<typeof jsigs.verify>>;
  try {
    outcome = await jsigs.verify(presentation, { suite: VERIFICATION_SUITES, purpose, documentLoader: loader });
  } catch (error) {
    const known = findMicrocredError(error);
    return checkResult('presentation', 'error', 'PRESENTATION_KEY_UNRESOLVED', `The holder’s proof could not be checked: ${known?.message ?? String(error)}`);
  }
  const first = outcome.results?.[0];
  const controller = first?.purposeResult?.controller?.id ?? first?.verificationMethod?.controller;
  const data = { holder, controller, verificationMethod: first?.verificationMethod?.id };
  if (!outcome.verified) {
    const known = findMicrocredError(first?.error ?? outcome.error);
    if (known && couldNotCheck(known.code)) {
      return checkResult('presentation', 'error', 'PRESENTATION_KEY_UNRESOLVED', `The holder’s proof could not be checked: ${known.message}`, { ...data, cause: known.code });
    }
    return checkResult('presentation', 'failed', 'PRESENTATION_PROOF_INVALID', 'The holder’s proof does not verify: the presentation was changed, or signed with a key the holder does not use for authentication.', data);
  }
  if (holder !== undefined && controller !== holder) {
    return checkResult('presentation', 'failed', 'PRESENTATION_HOLDER_MISMATCH', `The presentation names holder ${holder}, but was signed by ${String(controller)}.`, data);
  }
  return checkResult('presentation', 'passed', 'PRESENTATION_PROOF_VALID', 'The holder’s proof is valid' + (asked ? ' for this challenge and domain.' : '.'), data);
}
