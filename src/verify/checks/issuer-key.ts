// Check 4, issuer key: the signing key's controller is the credential's issuer and lists the key under assertionMethod.
import type { CredentialContext } from '../context';
import { issuerIdOf } from '../input';
import { checkResult, type CheckResult } from '../result';

/**
 * ISSUER_KEY_BOUND, or failed ISSUER_KEY_MISMATCH (the key belongs to someone else) / ISSUER_KEY_NOT_ASSERTION_METHOD
 * (the issuer does not list the key for issuing); skipped ISSUER_KEY_UNCHECKED when the signature gave no key to compare.
 */
export async function issuerKeyCheck(ctx: CredentialContext): Promise<CheckResult> {
  const facts = await ctx.signature();
  const issuer = facts.issuer ?? issuerIdOf(ctx.parsed.credential);
  const data = { issuer, controller: facts.controller, verificationMethod: facts.verificationMethod };
  if (facts.controllerIsIssuer === true) return checkResult('issuer-key', 'passed', 'ISSUER_KEY_BOUND', 'The signing key belongs to the issuer.', data);
  if (facts.code === 'ERR_JOSE_KID_UNKNOWN') {
    return checkResult('issuer-key', 'failed', 'ISSUER_KEY_NOT_ASSERTION_METHOD', 'The issuer does not list the signing key as one it issues credentials with.', data);
  }
  // Without a known controller there is nothing to compare (the signing layer then says false, meaning "not shown").
  if (facts.controllerIsIssuer === false && facts.controller !== undefined) {
    return checkResult('issuer-key', 'failed', 'ISSUER_KEY_MISMATCH', `The signing key belongs to ${String(facts.controller ?? 'someone else')}, not to the issuer ${String(issuer)}.`, data);
  }
  return checkResult('issuer-key', 'skipped', 'ISSUER_KEY_UNCHECKED', 'The signing key could not be compared with the issuer, because the signature could not be verified.', data);
}
