// Check 10, endorsement: the credential's embedded endorsements, and whether the policy's required accrediting body endorsed it.
import type { EndorsementReport } from '../endorsements';
import type { VerificationPolicy } from '../policy';
import { checkResult, type CheckResult } from '../result';

/**
 * ENDORSEMENT_NONE (skipped: none carried, none required); ENDORSEMENTS_VERIFIED / ENDORSEMENTS_PARTLY_VERIFIED
 * (passed: reported, none required; those that do not verify do not count); with `requireEndorsementBy`:
 * ENDORSEMENT_REQUIRED_PRESENT (passed), ENDORSEMENT_REQUIRED_UNCHECKED (error: one from a required body could not be
 * checked) or ENDORSEMENT_REQUIRED_MISSING (failed). Data: endorsers verified, and the counts.
 */
export function endorsementCheck(reports: readonly EndorsementReport[], policy: Pick<VerificationPolicy, 'requireEndorsementBy'>): CheckResult {
  const required = policy.requireEndorsementBy;
  const verified = reports.filter((r) => r.verified);
  const data = { total: reports.length, verified: verified.length, endorsers: verified.map((r) => r.endorser ?? null) };
  if (required.length > 0) {
    const fromRequired = (r: EndorsementReport): boolean => r.endorser !== undefined && required.includes(r.endorser);
    if (verified.some(fromRequired)) return checkResult('endorsement', 'passed', 'ENDORSEMENT_REQUIRED_PRESENT', 'It is endorsed by an accrediting body the verifier requires, and that endorsement verifies.', { ...data, required });
    if (reports.some((r) => fromRequired(r) && r.verdict === 'indeterminate')) {
      return checkResult('endorsement', 'error', 'ENDORSEMENT_REQUIRED_UNCHECKED', 'The endorsement by the required accrediting body could not be checked right now; try again later.', { ...data, required });
    }
    return checkResult('endorsement', 'failed', 'ENDORSEMENT_REQUIRED_MISSING', 'It carries no verified endorsement by the accrediting body the verifier requires.', { ...data, required });
  }
  if (reports.length === 0) return checkResult('endorsement', 'skipped', 'ENDORSEMENT_NONE', 'It carries no endorsements, and none is required.');
  if (verified.length === reports.length) return checkResult('endorsement', 'passed', 'ENDORSEMENTS_VERIFIED', `Every endorsement it carries (${reports.length}) verifies.`, data);
  return checkResult('endorsement', 'passed', 'ENDORSEMENTS_PARTLY_VERIFIED', `${verified.length} of its ${reports.length} endorsements verify; the others do not count.`, data);
}
