// Check 7, accredited issuer: the anchoring address is registered and active, and bound to the credential's issuer DID.
import type { CredentialContext } from '../context';
import { issuerIdOf } from '../input';
import { checkResult, type CheckResult } from '../result';

/**
 * ISSUER_ACCREDITED (data {address, did, name}); failed ISSUER_NOT_REGISTERED / ISSUER_NOT_ACTIVE /
 * ISSUER_DID_MISMATCH; skipped ISSUER_NOT_ANCHORED (no usable anchor); error ISSUER_RPC_UNREACHABLE.
 */
export async function accreditedIssuerCheck(ctx: CredentialContext): Promise<CheckResult> {
  const s = await ctx.anchor();
  if (s.state === 'unavailable') {
    return checkResult('accredited-issuer', 'error', 'ISSUER_RPC_UNREACHABLE', 'The registry could not be reached, so the issuer’s accreditation was not checked.', { cause: s.code });
  }
  if (s.state !== 'read' || s.lookup.anchoredBy === null || !s.lookup.leafInRoot) {
    return checkResult('accredited-issuer', 'skipped', 'ISSUER_NOT_ANCHORED', 'The issuer’s accreditation is read from the anchor, and this credential has no confirmed anchor.');
  }
  const { lookup } = s;
  const issuer = issuerIdOf(ctx.parsed.credential);
  const data = { address: lookup.anchoredBy, did: lookup.issuerDid, name: lookup.issuerName, credentialIssuer: issuer };
  if (!lookup.issuerRegistered) {
    return checkResult('accredited-issuer', 'failed', 'ISSUER_NOT_REGISTERED', 'The address that anchored this credential is not a registered issuer.', data);
  }
  if (!lookup.issuerActive) {
    return checkResult('accredited-issuer', 'failed', 'ISSUER_NOT_ACTIVE', `The issuer ${lookup.issuerName} is suspended by the accreditation body.`, data);
  }
  if (lookup.issuerDid !== issuer) {
    return checkResult('accredited-issuer', 'failed', 'ISSUER_DID_MISMATCH', `The credential names issuer ${String(issuer)}, but it was anchored by ${lookup.issuerName} (${lookup.issuerDid}).`, data);
  }
  return checkResult('accredited-issuer', 'passed', 'ISSUER_ACCREDITED', `The issuer ${lookup.issuerName} is registered and active.`, data);
}
