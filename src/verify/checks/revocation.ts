// Check 8, revocation: the credential's leaf status as its issuer recorded it, read by issuer and leaf (anchor or not).
import { registryUnreachableWords } from '../anchor-state';
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';
import { humanTime, statusReasonWords } from '../words';

/**
 * REVOCATION_ACTIVE; failed REVOCATION_REVOKED / REVOCATION_SUSPENDED (data {reason, reasonCode, reasonWords, since});
 * skipped REVOCATION_NOT_CHECKED (not looked up: no issuer, or the credential fails its anchor already) or
 * REVOCATION_ISSUER_UNKNOWN (no registered issuer could have revoked it); error REVOCATION_RPC_UNREACHABLE /
 * REVOCATION_NO_READER. Removing the anchor proof changes nothing: the leaf and the issuer DID are the same.
 */
export async function revocationCheck(ctx: CredentialContext): Promise<CheckResult> {
  const facts = await ctx.registry();
  const { read } = facts;
  if (read.kind === 'not-read') return checkResult('revocation', 'skipped', 'REVOCATION_NOT_CHECKED', `Revocation was not looked up: ${read.message}`);
  if (read.kind === 'no-reader') {
    return checkResult('revocation', 'error', 'REVOCATION_NO_READER', 'No registry is configured for this verifier, so whether the credential was revoked cannot be checked.');
  }
  if (read.kind === 'unavailable') {
    return checkResult('revocation', 'error', 'REVOCATION_RPC_UNREACHABLE', registryUnreachableWords(facts, 'revocation'), { cause: read.code });
  }
  const { answer } = read;
  if (!answer.issuerRegistered) {
    return checkResult('revocation', 'skipped', 'REVOCATION_ISSUER_UNKNOWN', 'The registry does not know the issuer, so it holds no revocation record for this credential.');
  }
  const since = answer.statusSince > 0 ? new Date(answer.statusSince * 1000).toISOString() : undefined;
  const reason = statusReasonWords(answer.statusReason);
  const data = { reason: answer.statusReason, reasonCode: reason.code, reasonWords: reason.words, ...(since ? { since } : {}) };
  const when = answer.statusSince > 0 ? ` on ${humanTime(answer.statusSince)}` : '';
  if (answer.status === 'revoked') return checkResult('revocation', 'failed', 'REVOCATION_REVOKED', `The issuer revoked this credential${when} (${reason.words}).`, data);
  if (answer.status === 'suspended') return checkResult('revocation', 'failed', 'REVOCATION_SUSPENDED', `The issuer suspended this credential${when} (${reason.words}).`, data);
  return checkResult('revocation', 'passed', 'REVOCATION_ACTIVE', 'The issuer has neither revoked nor suspended this credential.', data);
}
