// Shapes a VerificationOutcome as a VC-API verification result (w3c-ccg/vc-api verifier.yml), keeping our full report.
import type { CheckName, CheckResult, Flag, VerificationOutcome } from '../verify';
import { jsonResponse } from './json-response';
import { PROBLEM_CODES, PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX } from './problem';
import { DEFAULT_VC_API_TRUST, REGISTRY_TRUST_CHECKS, isVcApiVerified, vcApiProblems, type VcApiTrustMode } from '../verify';

/** One problem in a VC-API result: RFC 9457 members plus the check and its stable code. */
export interface VcApiProblem {
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly check: CheckName;
  readonly code: string;
  /** Set for a problem of a credential inside a presentation: its index in `verifiableCredential`. */
  readonly credentialIndex?: number;
}

/** What the registry says of the credential, reported whatever the trust mode (the VC-API has no member for it). */
export interface VcApiRegistryTrust {
  /** Which checks decided `verified`: see docs/verifier-api.md. */
  readonly mode: VcApiTrustMode;
  /** microcred's full verdict, as `POST /v1/verify` gives it. */
  readonly verdict: VerificationOutcome['verdict'];
  readonly flags: readonly Flag[];
  /** The registry checks (anchor, accredited issuer) as they came out. */
  readonly checks: readonly Pick<CheckResult, 'check' | 'status' | 'code' | 'message'>[];
}

/** The VC-API answer for a credential (and, with `credentialResults`, for a presentation). */
export interface VcApiVerificationResult {
  /** True only when every check that counts under the trust mode passed (or does not apply). */
  readonly verified: boolean;
  /** Names of the checks that passed (the older VC-API `checks` member). */
  readonly checks: readonly string[];
  /** Flags a person should know of, such as `pending-anchor`, and registry problems that did not decide `verified`. */
  readonly warnings: readonly string[];
  /** One message per problem that made `verified` false; never empty when `verified` is false. */
  readonly errors: readonly string[];
  /** One problem per failed check and per check that could not be done. */
  readonly problemDetails: readonly VcApiProblem[];
  /** Registry trust: anchor and accreditation, and the full verdict. */
  readonly trust: VcApiRegistryTrust;
  /** microcred's full report: verdict, flags, every check, the badge summary. Extension member. */
  readonly verificationReport: VerificationOutcome;
}

/** VC-API presentation answer: the presentation's own result plus one result per credential inside. */
export interface VcApiPresentationResult extends VcApiVerificationResult {
  readonly credentialResults: readonly Omit<VcApiVerificationResult, 'verificationReport'>[];
  /** The presentation, echoed when `options.returnPresentation` was true. */
  readonly verifiablePresentation?: unknown;
}

// The spec writes its error types with this prefix (VC DM 2.0 § 7.1).
const VCDM = 'https://www.w3.org/TR/vc-data-model#';

/** VC Data Model 2.0 verification error types (§ 7.1 "Problem Details"), for checks that have one. */
const VCDM_ERROR_TYPE: Partial<Record<CheckName, string>> = {
  parse: `${VCDM}PARSING_ERROR`,
  schema: `${VCDM}MALFORMED_VALUE_ERROR`,
  signature: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  'issuer-key': `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  presentation: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  'validity-period': `${VCDM}RANGE_ERROR`,
};

/** The VC DM type of a check's problem, or a microcred type carrying the check's code. */
export function problemTypeOf(result: Pick<CheckResult, 'check' | 'code'>): string {
  // A malformed date is a malformed value, not a range problem.
  if (result.code === 'VALIDITY_MALFORMED') return `${VCDM}MALFORMED_VALUE_ERROR`;
  return VCDM_ERROR_TYPE[result.check] ?? `urn:microcred:check:${result.code}`;
}

interface RuleProblem {
  type: string;
  path: string;
  message: string;
}

function ruleProblems(result: CheckResult): RuleProblem[] {
  const list = result.data?.problems;
  return Array.isArray(list) ? (list as unknown[]).filter((p): p is RuleProblem => typeof (p as RuleProblem | null)?.type === 'string') : [];
}

function problemOf(result: CheckResult, credentialIndex?: number): VcApiProblem[] {
  const at = credentialIndex === undefined ? {} : { credentialIndex };
  const rules = ruleProblems(result);
  // One problem detail per violated data-model rule, with the rule's own VC DM error type.
  if (rules.length > 0) {
    return rules.map((rule) => ({ type: `${VCDM}${rule.type}`, title: result.code, detail: `${rule.path || '(root)'} ${rule.message}`, check: result.check, code: result.code, ...at }));
  }
  return [{ type: problemTypeOf(result), title: result.code, detail: result.message, check: result.check, code: result.code, ...at }];
}

function errorText(result: CheckResult): string {
  return result.status === 'error' ? `could not check ${result.check}: ${result.message}` : result.message;
}

function summarise(outcome: VerificationOutcome, mode: VcApiTrustMode): Omit<VcApiVerificationResult, 'verificationReport'> {
  // Defensive: a buggy verifier must not turn a verdict into a 500.
  const checks: readonly CheckResult[] = Array.isArray(outcome.checks) ? (outcome.checks as readonly CheckResult[]) : [];
  const flags: readonly Flag[] = Array.isArray(outcome.flags) ? (outcome.flags as readonly Flag[]) : [];
  const problems = vcApiProblems(outcome, mode);
  const inner = (outcome.credentials ?? []).map((credential) => ({ credential, problems: vcApiProblems(credential, mode) }));
  const verified = isVcApiVerified(outcome, mode);
  const registry = checks.filter((r) => REGISTRY_TRUST_CHECKS.has(r.check));
  const counted = new Set(problems);
  const errors = [
    ...problems.map(errorText),
    ...inner.flatMap(({ problems: p }, index) => p.map((r) => `credential ${index}: ${errorText(r)}`)),
  ];
  const problemDetails = [...problems.flatMap((r) => problemOf(r)), ...inner.flatMap(({ problems: p }, index) => p.flatMap((r) => problemOf(r, index)))];
  if (!verified && errors.length === 0) {
    // Never say "not verified" without a reason, even for an outcome this mapping does not foresee.
    errors.push('The credential could not be verified.');
    problemDetails.push({ type: `${VCDM}PARSING_ERROR`, title: 'NOT_VERIFIED', detail: 'The credential could not be verified.', check: 'parse', code: 'NOT_VERIFIED' });
  }
  return {
    verified,
    checks: checks.filter((r) => r.status === 'passed').map((r) => r.check),
    warnings: [
      ...flags,
      ...registry.filter((r) => (r.status === 'failed' || r.status === 'error') && !counted.has(r)).map((r) => `registry ${r.check}: ${r.message}`),
    ],
    errors,
    problemDetails,
    trust: {
      mode,
      verdict: outcome.verdict,
      flags,
      checks: registry.map(({ check, status, code, message }) => ({ check, status, code, message })),
    },
  };
}

/** VC-API answer for `POST /credentials/verify`. */
export function toVcApiCredentialResult(outcome: VerificationOutcome, mode: VcApiTrustMode = DEFAULT_VC_API_TRUST): VcApiVerificationResult {
  return { ...summarise(outcome, mode), verificationReport: outcome };
}

/** VC-API answer for `POST /presentations/verify`; `presentation` is echoed when given. */
export function toVcApiPresentationResult(outcome: VerificationOutcome, presentation?: unknown, mode: VcApiTrustMode = DEFAULT_VC_API_TRUST): VcApiPresentationResult {
  const credentialResults = (outcome.credentials ?? []).map((inner) => summarise(inner, mode));
  const result: VcApiPresentationResult = { ...summarise(outcome, mode), credentialResults, verificationReport: outcome };
  return presentation === undefined ? result : { ...result, verifiablePresentation: presentation };
}

/**
 * The HTTP answer of a VC-API verification: 200 `application/json` when verified; otherwise RFC 9457 problem details
 * carrying every VC-API member: 400 ERR_NOT_A_CREDENTIAL when the input is not a credential or presentation at all (the
 * VC-API's "invalid input"), 422 ERR_NOT_VERIFIED for one that was read and does not verify.
 */
export function vcApiResponse(result: VcApiVerificationResult): Response {
  if (result.verified) return jsonResponse(result);
  const code = result.verificationReport.kind === 'unknown' ? 'ERR_NOT_A_CREDENTIAL' : 'ERR_NOT_VERIFIED';
  const { status, title } = PROBLEM_CODES[code];
  const problem = { type: `${PROBLEM_TYPE_PREFIX}${code}`, title, status, detail: result.errors.join(' ').slice(0, 2000), code, ...result };
  const body = JSON.stringify(problem, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return new Response(body, { status, headers: { 'content-type': PROBLEM_MEDIA_TYPE } });
}
