// Check 8, revocation: the credential's leaf status as its issuer recorded it on chain.
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';

const at = (seconds: number): string | undefined => (seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined);

/**
 * REVOCATION_ACTIVE; failed REVOCATION_REVOKED / REVOCATION_SUSPENDED (data {reason, since}); skipped
 * REVOCATION_NOT_ANCHORED (no usable anchor); error REVOCATION_RPC_UNREACHABLE.
 */
export async function revocationCheck(ctx: CredentialContext): Promise<CheckResult> {
  const s = await ctx.anchor();
  if (s.state === 'unavailable') {
    return checkResult('revocation', 'error', 'REVOCATION_RPC_UNREACHABLE', 'The registry could not be reached, so revocation was not checked.', { cause: s.code });
  }
  if (s.state !== 'read' || s.lookup.anchoredBy === null || !s.lookup.leafInRoot) {
    return checkResult('revocation', 'skipped', 'REVOCATION_NOT_ANCHORED', 'Revocation is recorded against the anchor, and this credential has no confirmed anchor.');
  }
  const { status, statusReason, statusSince } = s.lookup;
  const data = { reason: statusReason, since: at(statusSince) };
  if (status === 'revoked') return checkResult('revocation', 'failed', 'REVOCATION_REVOKED', `The issuer revoked this credential${data.since ? ` on ${data.since}` : ''}.`, data);
  if (status === 'suspended') return checkResult('revocation', 'failed', 'REVOCATION_SUSPENDED', `The issuer suspended this credential${data.since ? ` on ${data.since}` : ''}.`, data);
  return checkResult('revocation', 'passed', 'REVOCATION_ACTIVE', 'The credential is neither revoked nor suspended.', data);
}
