// Turns check results into a verdict and flags; configurable, pure, and separate from the checks themselves.
import type { CheckResult, Flag, Verdict, VerificationReport } from './result';

/** A registry a verifier trusts: an EVM chain id and the registry contract's address. */
export interface TrustedRegistry {
  readonly chainId: number;
  readonly address: string;
}

/**
 * What a presented credential that cannot be bound to its presenter (HOLDER_NOT_BOUND: no holder proof, or no subject
 * DID) makes of the verdict; it is always flagged `holder-not-bound`. `flag`: never invalid; `require`: always invalid;
 * `when-challenged`: invalid when the verifier asked for a challenge or domain, that is, meant to authenticate the
 * holder. A credential bound to another DID (HOLDER_MISMATCH) is invalid under every policy.
 */
export type HolderBindingPolicy = 'flag' | 'require' | 'when-challenged';

/** What a verifier accepts. */
export interface VerificationPolicy {
  /** Registries whose anchors count. An anchor in any other registry fails the anchor check. */
  readonly trustedRegistries: readonly TrustedRegistry[];
  /** When true, a credential whose batch is not anchored yet can still be `valid` (flagged `pending-anchor`). */
  readonly acceptPendingAnchor: boolean;
  /** When true, an issuer that is not registered and active in the registry makes the credential `invalid`. */
  readonly requireAccreditation: boolean;
  /** Tolerance for validFrom/validUntil against the verifier's clock, in seconds. */
  readonly clockSkewSeconds: number;
  /** Whether a presented credential not bound to its presenter is invalid or only flagged (see HolderBindingPolicy). */
  readonly holderBinding: HolderBindingPolicy;
}

/** The default policy: nothing pending, accreditation required, two minutes of clock skew. */
export const DEFAULT_POLICY: VerificationPolicy = {
  trustedRegistries: [],
  acceptPendingAnchor: false,
  requireAccreditation: true,
  clockSkewSeconds: 120,
  holderBinding: 'when-challenged',
};

/** Check codes that raise a flag. Checks own the codes; the policy only maps them. */
const FLAG_BY_CODE: Readonly<Record<string, Flag>> = {
  VALIDITY_EXPIRED: 'expired',
  VALIDITY_NOT_YET_VALID: 'not-yet-valid',
  REVOCATION_REVOKED: 'revoked',
  REVOCATION_SUSPENDED: 'suspended',
  STATUS_LIST_REVOKED: 'revoked',
  STATUS_LIST_SUSPENDED: 'suspended',
  ANCHOR_PENDING: 'pending-anchor',
  HOLDER_MISMATCH: 'holder-not-bound',
  HOLDER_NOT_BOUND: 'holder-not-bound',
};

/** The status each source reports, by check code; absent when the source said nothing usable. */
const CHAIN_STATUS: Readonly<Record<string, string>> = { REVOCATION_ACTIVE: 'active', REVOCATION_REVOKED: 'revoked', REVOCATION_SUSPENDED: 'suspended' };
const LIST_STATUS: Readonly<Record<string, string>> = { STATUS_LIST_OK: 'active', STATUS_LIST_REVOKED: 'revoked', STATUS_LIST_SUSPENDED: 'suspended' };

/** True when the chain and the status list both answered and disagree (either one revoking already made it invalid). */
function statusSourcesDisagree(checks: readonly CheckResult[]): boolean {
  const chain = checks.find((c) => c.check === 'revocation' && CHAIN_STATUS[c.code] !== undefined);
  const list = checks.find((c) => c.check === 'status-list' && LIST_STATUS[c.code] !== undefined);
  return chain !== undefined && list !== undefined && CHAIN_STATUS[chain.code] !== LIST_STATUS[list.code];
}

/**
 * Decides the verdict. Order of precedence: any `failed` check that counts makes it `invalid`; otherwise any
 * `error` (could not check) or an unacceptable pending anchor makes it `indeterminate`; otherwise `valid`.
 */
export function decide(checks: readonly CheckResult[], policy: VerificationPolicy): VerificationReport {
  const flags = new Set<Flag>();
  let invalid = false;
  let indeterminate = false;

  for (const result of checks) {
    const flag = FLAG_BY_CODE[result.code];
    if (flag !== undefined) flags.add(flag);

    if (result.check === 'accredited-issuer' && result.status === 'failed') {
      flags.add('issuer-not-accredited');
      if (policy.requireAccreditation) invalid = true;
      continue;
    }
    if (result.code === 'HOLDER_NOT_BOUND') {
      if (policy.holderBinding === 'require' || (policy.holderBinding === 'when-challenged' && result.data?.challenged === true)) invalid = true;
      continue;
    }
    if (result.code === 'ANCHOR_PENDING') {
      if (!policy.acceptPendingAnchor) indeterminate = true;
      continue;
    }
    if (result.status === 'failed') invalid = true;
    if (result.status === 'error') indeterminate = true;
  }

  if (statusSourcesDisagree(checks)) flags.add('status-sources-disagree');
  const verdict: Verdict = invalid ? 'invalid' : indeterminate ? 'indeterminate' : 'valid';
  return { verdict, flags: [...flags], checks };
}
