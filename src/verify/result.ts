// The shape every verification check returns, and the verdict the policy makes of them.
import type { EndorsementReport } from './endorsements';

/** The independent checks, in the order they run (DESIGN.md "Verification"). */
export const CHECK_NAMES = [
  'parse',
  'schema',
  'signature',
  'issuer-key',
  'validity-period',
  'anchor',
  'accredited-issuer',
  'revocation',
  'status-list',
  // Added for presentations: the holder's proof (challenge, domain, holder binding). Only a presentation's own report has it.
  'presentation',
  // Added for credentials inside a presentation: is the credential's subject the presenter? Only their reports have it.
  'holder-binding',
  // Added with the module catalog (issue 21): the accrediting bodies' endorsements the achievement carries.
  'endorsement',
] as const;

/** Name of one check. */
export type CheckName = (typeof CHECK_NAMES)[number];

/**
 * `passed`: checked and right. `failed`: checked and wrong. `skipped`: not applicable to this input.
 * `error`: could not be checked (for example the RPC endpoint is unreachable); never the same as `failed`.
 */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'error';

/** What one check found. Checks never throw: every outcome is one of these. */
export interface CheckResult {
  readonly check: CheckName;
  readonly status: CheckStatus;
  /** Stable code such as `SIGNATURE_VALID` or `ANCHOR_ROOT_NOT_FOUND`; match on this, not on the message. */
  readonly code: string;
  /** One sentence in plain words, for a person. */
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The overall answer. `indeterminate` means something could not be checked; it is never reported as `invalid`. */
export type Verdict = 'valid' | 'invalid' | 'indeterminate';

/** Facts a person needs beside the verdict. */
export const FLAGS = [
  'expired',
  'not-yet-valid',
  'revoked',
  'suspended',
  'pending-anchor',
  'issuer-not-accredited',
  'holder-not-bound',
  // The chain and the issuer's status list say different things (e.g. revoked on one only): the worse one counts.
  'status-sources-disagree',
  // Added with registry v2 (issue 14): a genuine signature by an issuer the trusted registry does not list.
  'issuer-not-in-registry',
  // The registry node answered from an older block than the anchor proof names: ask again later or another node.
  'registry-node-behind',
  // A check could not run and the policy explicitly allowed that gap (allowUnchecked).
  'not-checked',
] as const;

/** One flag. */
export type Flag = (typeof FLAGS)[number];

/** The words each interface shows for a flag (docs/verification.md lists them; the page and the CLI reuse them). */
export const FLAG_WORDS: Readonly<Record<Flag, string>> = {
  expired: 'The credential has expired.',
  'not-yet-valid': 'The credential is not valid yet.',
  revoked: 'The issuer revoked this credential.',
  suspended: 'The issuer suspended this credential.',
  'pending-anchor': 'The issuer is registered, and the batch this credential belongs to is not anchored yet.',
  'issuer-not-accredited': 'The issuer is registered but suspended by the accreditation body.',
  'issuer-not-in-registry': 'The signature is genuine, but this registry does not know who issued it.',
  'registry-node-behind': 'This registry node is behind: it has not seen the block that anchored this credential yet.',
  'not-checked': 'A check could not be run, and the verifier’s policy accepts that.',
  'holder-not-bound': 'The credential could not be tied to the person who presented it.',
  'status-sources-disagree': 'The registry and the issuer’s status list report different statuses; the stricter one was applied.',
};

/** The verdict with its reasons, check by check. */
export interface VerificationReport {
  readonly verdict: Verdict;
  readonly flags: readonly Flag[];
  readonly checks: readonly CheckResult[];
  /**
   * The checks that made the verdict what it is: for `invalid` the failures, for `indeterminate` what could not be
   * checked, for `valid` whatever raised a flag. Never empty unless the verdict is `valid` with no flag.
   */
  readonly reasons: readonly CheckResult[];
}

/** Builds a CheckResult; keeps call sites short and the shape uniform. */
export function checkResult(
  check: CheckName,
  status: CheckStatus,
  code: string,
  message: string,
  data?: Record<string, unknown>,
): CheckResult {
  return data === undefined ? { check, status, code, message } : { check, status, code, message, data };
}

/** What a person sees of the badge: taken from the credential, with the issuer's name as registered on chain. */
export interface BadgeSummary {
  readonly credentialId?: string;
  readonly achievementName?: string;
  readonly achievementDescription?: string;
  readonly image?: string;
  /** The issuer's name as the registry records it, when the anchor could be read; else undefined. */
  readonly registeredIssuerName?: string;
  /** The issuer's name as the credential states it. */
  readonly issuerName?: string;
  readonly issuerId?: string;
  /** The recipient as given: a DID, a display name, or "hashed email". */
  readonly recipient?: string;
  /** The recipient's display name, when the credential gives one in plain text. */
  readonly recipientName?: string;
  /** The recipient's DID (the subject `id`), when there is one. */
  readonly recipientDid?: string;
  /** The salted email hash (Open Badges IdentityObject), so a verifier can check an email it is given without sending it. */
  readonly recipientEmailHash?: { readonly identityHash: string; readonly salt?: string };
  /** How the achievement is earned: the criteria narrative, or its URL. */
  readonly criteria?: string;
  /** The recipient's results (grade, status), as the credential states them. */
  readonly results?: ReadonlyArray<{ readonly value?: string; readonly status?: string; readonly achievedLevel?: string }>;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly creditsAvailable?: number;
  /** `data-integrity`, `vc-jose`, `vc-jose-envelope` or `vc-cose-envelope`. */
  readonly securing?: string;
  /** Names of the accrediting bodies whose endorsements of the achievement verify ("Accredited by …"). */
  readonly accreditedBy?: readonly string[];
}

/** The outcome of verifying one input: a credential's report, or a presentation's with one report per credential. */
export interface VerificationOutcome extends VerificationReport {
  readonly kind: 'credential' | 'presentation' | 'unknown';
  readonly summary?: BadgeSummary;
  /** For a presentation: one outcome per credential inside, in order. */
  readonly credentials?: readonly VerificationOutcome[];
  /** The endorsements the achievement carries, each verified like a credential; only `verified` ones count. */
  readonly endorsements?: readonly EndorsementReport[];
}

/** Options for one verification call. */
export interface VerifyOptions {
  /** Expected presentation challenge (nonce), when the verifier issued one. */
  readonly challenge?: string;
  /** Expected presentation domain. */
  readonly domain?: string;
}

/** Anything that verifies: the real Verifier, or a stand-in in a unit test of the HTTP layer. */
export interface CredentialVerifier {
  verify(input: unknown, options?: VerifyOptions): Promise<VerificationOutcome>;
}
