import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, decide, type VerificationPolicy } from '../../src/verify/policy';
import { policyFromJson } from '../../src/verify/policy-presets';
import { checkResult, type CheckName, type CheckResult, type CheckStatus } from '../../src/verify/result';

const passed = (check: CheckName): CheckResult => checkResult(check, 'passed', 'OK', 'fine');
const allPassed: CheckResult[] = [
  passed('parse'), passed('schema'), passed('signature'), passed('issuer-key'), passed('validity-period'),
  passed('anchor'), passed('accredited-issuer'), passed('revocation'),
  checkResult('status-list', 'skipped', 'STATUS_LIST_ABSENT', 'no status list'),
];

/** The checks of a fully valid credential with one of them replaced. */
function withCheck(check: CheckName, status: CheckStatus, code: string): CheckResult[] {
  return allPassed.map((r) => (r.check === check ? checkResult(check, status, code, 'x') : r));
}

/** A holder-binding result; `challenged` says whether the verifier asked for a challenge. */
const holder = (status: CheckStatus, code: string, challenged: boolean): CheckResult => checkResult('holder-binding', status, code, 'x', { challenged });

const lenient: VerificationPolicy = { ...DEFAULT_POLICY, acceptPendingAnchor: true, requireAccreditation: false };

describe('decide (the verification policy)', () => {
  it.each([
    // [case, checks, policy, verdict, flags]
    ['all passed', allPassed, DEFAULT_POLICY, 'valid', []],
    ['bad signature', withCheck('signature', 'failed', 'SIGNATURE_INVALID'), DEFAULT_POLICY, 'invalid', []],
    ['unparseable', withCheck('parse', 'failed', 'PARSE_UNKNOWN_FORMAT'), DEFAULT_POLICY, 'invalid', []],
    ['expired', withCheck('validity-period', 'failed', 'VALIDITY_EXPIRED'), DEFAULT_POLICY, 'invalid', ['expired']],
    ['not yet valid', withCheck('validity-period', 'failed', 'VALIDITY_NOT_YET_VALID'), DEFAULT_POLICY, 'invalid', ['not-yet-valid']],
    ['revoked on chain', withCheck('revocation', 'failed', 'REVOCATION_REVOKED'), DEFAULT_POLICY, 'invalid', ['revoked']],
    ['suspended on chain', withCheck('revocation', 'failed', 'REVOCATION_SUSPENDED'), DEFAULT_POLICY, 'invalid', ['suspended']],
    ['revoked in status list', withCheck('status-list', 'failed', 'STATUS_LIST_REVOKED'), DEFAULT_POLICY, 'invalid', ['revoked']],
    ['RPC unreachable', withCheck('anchor', 'error', 'ANCHOR_RPC_UNAVAILABLE'), DEFAULT_POLICY, 'indeterminate', []],
    ['pending anchor, strict', withCheck('anchor', 'skipped', 'ANCHOR_PENDING'), DEFAULT_POLICY, 'indeterminate', ['pending-anchor']],
    ['pending anchor, lenient', withCheck('anchor', 'skipped', 'ANCHOR_PENDING'), lenient, 'valid', ['pending-anchor']],
    ['issuer suspended, strict', withCheck('accredited-issuer', 'failed', 'ISSUER_NOT_ACTIVE'), DEFAULT_POLICY, 'invalid', ['issuer-not-accredited']],
    ['issuer suspended, lenient', withCheck('accredited-issuer', 'failed', 'ISSUER_NOT_ACTIVE'), lenient, 'valid', ['issuer-not-accredited']],
    ['presented by its holder', [...allPassed, holder('passed', 'HOLDER_BOUND', true)], DEFAULT_POLICY, 'valid', []],
    ['someone else’s credential, flag policy', [...allPassed, holder('failed', 'HOLDER_MISMATCH', false)], { ...DEFAULT_POLICY, holderBinding: 'flag' }, 'invalid', ['holder-not-bound']],
    ['not bindable, no challenge, default', [...allPassed, holder('failed', 'HOLDER_NOT_BOUND', false)], DEFAULT_POLICY, 'valid', ['holder-not-bound']],
    ['not bindable, challenge, default', [...allPassed, holder('failed', 'HOLDER_NOT_BOUND', true)], DEFAULT_POLICY, 'invalid', ['holder-not-bound']],
    ['not bindable, challenge, flag', [...allPassed, holder('failed', 'HOLDER_NOT_BOUND', true)], { ...DEFAULT_POLICY, holderBinding: 'flag' }, 'valid', ['holder-not-bound']],
    ['not bindable, no challenge, require', [...allPassed, holder('failed', 'HOLDER_NOT_BOUND', false)], { ...DEFAULT_POLICY, holderBinding: 'require' }, 'invalid', ['holder-not-bound']],
  ] as const)('%s', (_name, checks, policy, verdict, flags) => {
    const report = decide(checks, policy);
    expect(report.verdict).toBe(verdict);
    expect([...report.flags].sort()).toEqual([...flags].sort());
    expect(report.checks).toBe(checks);
  });

  it('a failed check outranks a check that could not be done', () => {
    const checks = withCheck('signature', 'failed', 'SIGNATURE_INVALID').map((r) =>
      r.check === 'revocation' ? checkResult('revocation', 'error', 'REVOCATION_RPC_UNAVAILABLE', 'x') : r,
    );
    expect(decide(checks, DEFAULT_POLICY).verdict).toBe('invalid');
  });

  it('an expired and revoked credential carries both flags', () => {
    const checks = withCheck('validity-period', 'failed', 'VALIDITY_EXPIRED').map((r) =>
      r.check === 'revocation' ? checkResult('revocation', 'failed', 'REVOCATION_REVOKED', 'x') : r,
    );
    expect([...decide(checks, DEFAULT_POLICY).flags].sort()).toEqual(['expired', 'revoked']);
  });
});

describe('decide: no check is skipped into a pass', () => {
  it('a pending anchor is acceptable only with the issuer accredited and the revocation read', () => {
    const pending = withCheck('anchor', 'skipped', 'ANCHOR_PENDING');
    expect(decide(pending, lenient).verdict).toBe('valid');
    const issuerUnknown = pending.map((r) => (r.check === 'accredited-issuer' ? checkResult('accredited-issuer', 'failed', 'ISSUER_NOT_REGISTERED', 'x') : r));
    expect(decide(issuerUnknown, lenient)).toMatchObject({ verdict: 'indeterminate', flags: ['pending-anchor', 'issuer-not-in-registry'] });
    const revocationNotRead = pending.map((r) => (r.check === 'revocation' ? checkResult('revocation', 'error', 'REVOCATION_RPC_UNREACHABLE', 'x') : r));
    expect(decide(revocationNotRead, lenient).verdict).toBe('indeterminate');
  });

  it('a skipped registry check keeps the verdict from valid; a skipped status list does not', () => {
    for (const check of ['anchor', 'accredited-issuer', 'revocation'] as const) {
      const report = decide(withCheck(check, 'skipped', 'SOMETHING_NOT_CHECKED'), lenient);
      expect(report.verdict, check).toBe('indeterminate');
      expect(report.reasons.map((r) => r.check)).toEqual([check]);
    }
    expect(decide(allPassed, DEFAULT_POLICY)).toMatchObject({ verdict: 'valid', reasons: [] });
  });

  it('allowUnchecked lets exactly the named gap through, flagged not-checked', () => {
    const gap = withCheck('status-list', 'error', 'STATUS_LIST_UNAVAILABLE');
    expect(decide(gap, DEFAULT_POLICY).verdict).toBe('indeterminate');
    expect(decide(gap, { ...DEFAULT_POLICY, allowUnchecked: ['status-list'] })).toMatchObject({ verdict: 'valid', flags: ['not-checked'] });
    expect(decide(gap, { ...DEFAULT_POLICY, allowUnchecked: ['revocation'] }).verdict).toBe('indeterminate');
  });

  it('an invalid verdict never carries pending-anchor, and its reasons are the failures', () => {
    const both = withCheck('anchor', 'skipped', 'ANCHOR_PENDING').map((r) => (r.check === 'signature' ? checkResult('signature', 'failed', 'SIGNATURE_INVALID', 'x') : r));
    const report = decide(both, lenient);
    expect(report).toMatchObject({ verdict: 'invalid', flags: [] });
    expect(report.reasons.map((r) => r.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('policy files take allowUnchecked (check names only) and nodeLagWindowSeconds', () => {
    expect(policyFromJson({ allowUnchecked: ['status-list'], nodeLagWindowSeconds: 60 })).toMatchObject({ allowUnchecked: ['status-list'], nodeLagWindowSeconds: 60 });
    expect(() => policyFromJson({ allowUnchecked: ['everything'] })).toThrow(expect.objectContaining({ code: 'ERR_POLICY_INVALID' }));
  });
});
