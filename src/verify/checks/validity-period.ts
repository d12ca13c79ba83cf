// Check 5, validity period: validFrom/validUntil (VC 1.1: issuanceDate/expirationDate) against the injected clock.
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';

function dateOf(value: unknown): Date | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * VALIDITY_CURRENT, or failed VALIDITY_EXPIRED / VALIDITY_NOT_YET_VALID / VALIDITY_MALFORMED. The policy's clock skew
 * is allowed on both ends. Data: {validFrom, validUntil, checkedAt}.
 */
export function validityPeriodCheck(ctx: CredentialContext): CheckResult {
  const c = ctx.parsed.credential;
  const fromRaw = c.validFrom ?? c.issuanceDate;
  const untilRaw = c.validUntil ?? c.expirationDate;
  const from = dateOf(fromRaw);
  const until = dateOf(untilRaw);
  const now = ctx.deps.now();
  const skewMs = Math.max(0, ctx.deps.policy.clockSkewSeconds) * 1000;
  const data: Record<string, unknown> = { checkedAt: now.toISOString() };
  if (typeof fromRaw === 'string') data.validFrom = fromRaw;
  if (typeof untilRaw === 'string') data.validUntil = untilRaw;
  if (from === null || until === null) {
    return checkResult('validity-period', 'failed', 'VALIDITY_MALFORMED', 'The credential’s validity dates cannot be read.', data);
  }
  if (from && until && until.getTime() < from.getTime()) {
    return checkResult('validity-period', 'failed', 'VALIDITY_MALFORMED', 'The credential ends before it starts.', data);
  }
  if (from && now.getTime() + skewMs < from.getTime()) {
    return checkResult('validity-period', 'failed', 'VALIDITY_NOT_YET_VALID', `The credential is valid only from ${from.toISOString()}.`, data);
  }
  if (until && now.getTime() - skewMs > until.getTime()) {
    return checkResult('validity-period', 'failed', 'VALIDITY_EXPIRED', `The credential expired on ${until.toISOString()}.`, data);
  }
  return checkResult('validity-period', 'passed', 'VALIDITY_CURRENT', until ? `The credential is valid until ${until.toISOString()}.` : 'The credential is valid and has no end date.', data);
}
