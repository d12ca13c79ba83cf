// Turns check results into a verdict, flags and reasons; configurable, pure, and separate from the checks themselves.
import type { CheckName, CheckResult, Flag, Verdict, VerificationReport } from './result';

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
  /**
   * When true, a credential whose batch is not anchored yet can still be `valid` (flagged `pending-anchor`), but only
   * when its issuer DID is registered and active in the trusted registry and its leaf is neither revoked nor suspended.
   */
  readonly acceptPendingAnchor: boolean;
  /** When true, an issuer that is not registered and active in the registry makes the credential `invalid`. */
  readonly requireAccreditation: boolean;
  /** Tolerance for validFrom/validUntil against the verifier's clock, in seconds. */
  readonly clockSkewSeconds: number;
  /** Whether a presented credential not bound to its presenter is invalid or only flagged (see HolderBindingPolicy). */
  readonly holderBinding: HolderBindingPolicy;
  /**
   * Checks that may fail to run without making the verdict `indeterminate` (the outcome is flagged `not-checked`).
   * Empty by default: every gap is reported. Each entry is a risk the verifier takes on purpose.
   */
  readonly allowUnchecked: readonly CheckName[];
  /**
   * A root the registry does not know, in an anchor proof made less than this many seconds ago, is taken as a node that
   * is behind (`indeterminate`), not as a forged anchor (`invalid`). Also when the node's latest block is below the
   * proof's block, whatever the age.
   */
  readonly nodeLagWindowSeconds: number;
  /**
   * Accrediting bodies (DIDs): when not empty, a credential is `valid` only when its achievement carries a verified
   * endorsement by one of them (the endorsement check). Empty by default: endorsements are reported, never required.
   */
  readonly requireEndorsementBy: readonly string[];
}

/** The default policy: nothing pending, accreditation required, two minutes of clock skew, no gap allowed. */
export const DEFAULT_POLICY: VerificationPolicy = {
  trustedRegistries: [],
  acceptPendingAnchor: false,
  requireAccreditation: true,
  clockSkewSeconds: 120,
  holderBinding: 'when-challenged',
  allowUnchecked: [],
  nodeLagWindowSeconds: 600,
  requireEndorsementBy: [],
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
  ANCHOR_NODE_BEHIND: 'registry-node-behind',
  ISSUER_NOT_ACTIVE: 'issuer-not-accredited',
  ISSUER_DID_MISMATCH: 'issuer-not-accredited',
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
 * Checks that must have run for a credential to be `valid`: each reads the registry, and "skipped" would otherwise
 * turn a missing fact into a pass (issue 14). Only present checks count, so a presentation's own report is unaffected.
 */
const REQUIRED: ReadonlySet<CheckName> = new Set(['anchor', 'accredited-issuer', 'revocation']);

/**
 * Decides the verdict. Any `failed` check that counts makes it `invalid`. Otherwise it is `indeterminate` when a check
 * could not run (`error`, unless `allowUnchecked` names it), when a required registry check was skipped, or when a
 * pending anchor is not acceptable (the policy does not accept pending anchors, or the issuer is not registered and
 * active, or the leaf status is not known to be active). Otherwise `valid`.
 */
export function decide(checks: readonly CheckResult[], policy: VerificationPolicy): VerificationReport {
  const flags = new Set<Flag>();
  const failures: CheckResult[] = [];
  const gaps: CheckResult[] = [];
  const notes: CheckResult[] = [];
  const passed = (name: CheckName) => checks.some((c) => c.check === name && c.status === 'passed');

  for (const result of checks) {
    const flag = FLAG_BY_CODE[result.code];
    if (flag !== undefined) flags.add(flag);

    if (result.check === 'accredited-issuer' && result.status === 'failed') {
      // The flag's words say the signature is genuine, so it is raised only when that is true.
      if (result.code === 'ISSUER_NOT_REGISTERED' && passed('signature') && passed('issuer-key')) flags.add('issuer-not-in-registry');
      if (policy.requireAccreditation) failures.push(result);
      else notes.push(result);
      continue;
    }
    if (result.code === 'HOLDER_NOT_BOUND') {
      if (policy.holderBinding === 'require' || (policy.holderBinding === 'when-challenged' && result.data?.challenged === true)) failures.push(result);
      else notes.push(result);
      continue;
    }
    if (result.code === 'ANCHOR_PENDING') {
      const acceptable = policy.acceptPendingAnchor && passed('accredited-issuer') && passed('revocation');
      if (acceptable) notes.push(result);
      else gaps.push(result);
      continue;
    }
    if (result.status === 'failed') failures.push(result);
    else if (result.status === 'error') {
      if (policy.allowUnchecked.includes(result.check)) {
        flags.add('not-checked');
        notes.push(result);
      } else gaps.push(result);
    } else if (result.status === 'skipped' && REQUIRED.has(result.check)) gaps.push(result);
  }

  if (statusSourcesDisagree(checks)) flags.add('status-sources-disagree');
  const verdict: Verdict = failures.length > 0 ? 'invalid' : gaps.length > 0 ? 'indeterminate' : 'valid';
  // Waiting cannot help a credential that is invalid already, so "pending" would mislead.
  if (verdict === 'invalid') flags.delete('pending-anchor');
  const reasons = verdict === 'invalid' ? failures : verdict === 'indeterminate' ? gaps : notes.concat(checks.filter((c) => FLAG_BY_CODE[c.code] !== undefined && !notes.includes(c)));
  return { verdict, flags: [...flags], checks, reasons };
}
