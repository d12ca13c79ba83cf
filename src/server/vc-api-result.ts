// Shapes a VerificationOutcome as a VC-API verification result (w3c-ccg/vc-api verifier.yml), keeping our full report.
import type { CheckName, CheckResult, VerificationOutcome } from '../verify/result';

/** One problem in a VC-API result: RFC 9457 members plus the check and its stable code. */
export interface VcApiProblem {
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly check: CheckName;
  readonly code: string;
}

/** The VC-API answer for a credential (and, with `credentialResults`, for a presentation). */
export interface VcApiVerificationResult {
  /** True only when our verdict is `valid`. */
  readonly verified: boolean;
  /** Names of the checks that passed (the older VC-API `checks` member). */
  readonly checks: readonly string[];
  /** Flags a person should know of, such as `pending-anchor`, and checks that could not be done. */
  readonly warnings: readonly string[];
  /** Messages of the checks that failed. */
  readonly errors: readonly string[];
  /** One problem per failed check and per check that could not be done. */
  readonly problemDetails: readonly VcApiProblem[];
  /** microcred's full report: verdict, flags, every check, the badge summary. Extension member. */
  readonly verificationReport: VerificationOutcome;
}

/** VC-API presentation answer: the presentation's own result plus one result per credential inside. */
export interface VcApiPresentationResult extends VcApiVerificationResult {
  readonly credentialResults: readonly Omit<VcApiVerificationResult, 'verificationReport'>[];
  /** The presentation, echoed when `options.returnPresentation` was true. */
  readonly verifiablePresentation?: unknown;
}

/** VC Data Model 2.0 error types, for checks that have one; the rest get a microcred type carrying the code. */
const VCDM_ERROR_TYPE: Partial<Record<CheckName, string>> = {
  parse: 'https://www.w3.org/TR/vc-data-model#PARSING_ERROR',
  schema: 'https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR',
  signature: 'https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR',
  'issuer-key': 'https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR',
  'validity-period': 'https://www.w3.org/TR/vc-data-model#RANGE_ERROR',
};

function problemOf(result: CheckResult): VcApiProblem {
  return {
    type: VCDM_ERROR_TYPE[result.check] ?? `urn:microcred:check:${result.code}`,
    title: result.code,
    detail: result.message,
    check: result.check,
    code: result.code,
  };
}

function summarise(outcome: VerificationOutcome): Omit<VcApiVerificationResult, 'verificationReport'> {
  // Defensive: a buggy verifier must not turn a verdict into a 500.
  const checks: readonly CheckResult[] = Array.isArray(outcome.checks) ? (outcome.checks as readonly CheckResult[]) : [];
  const flags: readonly string[] = Array.isArray(outcome.flags) ? (outcome.flags as readonly string[]) : [];
  const reasons: readonly CheckResult[] = Array.isArray(outcome.reasons) ? (outcome.reasons as readonly CheckResult[]) : [];
  // A reason that is neither failed nor error (a pending anchor, a registry check that did not run) is a problem too,
  // so a result that is not verified always says why.
  const skippedReasons = reasons.filter((r) => r.status === 'skipped' || r.status === 'passed');
  return {
    verified: outcome.verdict === 'valid',
    checks: checks.filter((r) => r.status === 'passed').map((r) => r.check),
    warnings: [
      ...flags,
      ...checks.filter((r) => r.status === 'error').map((r) => `could not check ${r.check}: ${r.message}`),
      ...skippedReasons.map((r) => `${r.check}: ${r.message}`),
    ],
    errors: checks.filter((r) => r.status === 'failed').map((r) => r.message),
    problemDetails: [...checks.filter((r) => r.status === 'failed' || r.status === 'error'), ...skippedReasons].map(problemOf),
  };
}

/** VC-API answer for `POST /credentials/verify`. */
export function toVcApiCredentialResult(outcome: VerificationOutcome): VcApiVerificationResult {
  return { ...summarise(outcome), verificationReport: outcome };
}

/** VC-API answer for `POST /presentations/verify`; `presentation` is echoed when given. */
export function toVcApiPresentationResult(outcome: VerificationOutcome, presentation?: unknown): VcApiPresentationResult {
  const credentialResults = (outcome.credentials ?? []).map(summarise);
  const result: VcApiPresentationResult = { ...summarise(outcome), credentialResults, verificationReport: outcome };
  return presentation === undefined ? result : { ...result, verifiablePresentation: presentation };
}
