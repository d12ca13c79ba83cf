// Which checks decide `verified` on the VC-API routes: cryptography and status (the VC-API's meaning), or microcred's full trust verdict.
import type { CheckName, CheckResult, VerificationOutcome } from './result';

/**
 * `crypto-and-status` (default, as the VC-API means "verified"): the credential parses, has the VC shape, its
 * signature verifies with the issuer's key, it is within its validity period and no status source marks it revoked or
 * suspended. The registry (anchor, accredited issuer) is reported beside it and does not decide `verified`.
 * `registry`: `verified` is microcred's full verdict (`valid`), so an unanchored or unaccredited credential fails.
 */
export const VC_API_TRUST_MODES = ['crypto-and-status', 'registry'] as const;

/** One VC-API trust mode. */
export type VcApiTrustMode = (typeof VC_API_TRUST_MODES)[number];

/** The default VC-API trust mode. */
export const DEFAULT_VC_API_TRUST: VcApiTrustMode = 'crypto-and-status';

/** Checks that only say whether the registry vouches for the credential; reported as trust under `crypto-and-status`. */
export const REGISTRY_TRUST_CHECKS: ReadonlySet<CheckName> = new Set<CheckName>(['anchor', 'accredited-issuer']);

/**
 * Results that only say "this verifier has no registry": with none configured, the chain's revocation record is
 * registry trust too, and status is the status list's to tell (check 9).
 */
const NO_REGISTRY_CODES: ReadonlySet<string> = new Set(['REVOCATION_NO_READER', 'ISSUER_NO_READER']);

/** True when this check result decides `verified` under `mode`. */
export function countsForVcApi(result: CheckResult, mode: VcApiTrustMode): boolean {
  return mode === 'registry' || (!REGISTRY_TRUST_CHECKS.has(result.check) && !NO_REGISTRY_CODES.has(result.code));
}

/** The check results that make the credential not verified under `mode`: failed, or could not be checked. */
export function vcApiProblems(outcome: VerificationOutcome, mode: VcApiTrustMode): CheckResult[] {
  const checks: readonly CheckResult[] = Array.isArray(outcome.checks) ? outcome.checks : [];
  if (mode === 'registry' && outcome.verdict !== 'valid') {
    // Under the registry mode a pending anchor or an unaccredited issuer is a problem even though the check is `skipped`.
    return checks.filter((r) => r.status === 'failed' || r.status === 'error' || r.code === 'ANCHOR_PENDING');
  }
  return checks.filter((r) => (r.status === 'failed' || r.status === 'error') && countsForVcApi(r, mode));
}

/** Whether the outcome counts as verified on the VC-API routes under `mode` (a presentation also needs every credential). */
export function isVcApiVerified(outcome: VerificationOutcome, mode: VcApiTrustMode): boolean {
  if (mode === 'registry') return outcome.verdict === 'valid';
  if (outcome.kind === 'unknown') return false;
  if (vcApiProblems(outcome, mode).length > 0) return false;
  return (outcome.credentials ?? []).every((inner) => isVcApiVerified(inner, mode));
}
