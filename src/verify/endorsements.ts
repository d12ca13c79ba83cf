// Endorsements embedded in a credential's achievement, each verified like a credential of its own and reported.
import { isObject } from '../json';
import type { CheckResult, Flag, Verdict, VerificationOutcome } from './result';
import { checkResult } from './result';

/** Most endorsements one credential gets checked (more are reported as not checked): each costs a signature and a lookup. */
export const MAX_ENDORSEMENTS = 10;

/** What the verifier found of one endorsement. */
export interface EndorsementReport {
  readonly id?: string;
  /** The accrediting body's DID (the endorsement's issuer). */
  readonly endorser?: string;
  /** Its name as the registry records it, else as the endorsement states it. */
  readonly endorserName?: string;
  readonly comment?: string;
  readonly verdict: Verdict;
  readonly flags: readonly Flag[];
  /** Why it does not verify (empty when it does). */
  readonly reasons: readonly CheckResult[];
  /** True only when it verifies (valid, anchored) and endorses this credential's achievement: only then does it count. */
  readonly verified: boolean;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, 2000) : undefined);

/** The achievement of a credential's (first) subject, or undefined. */
function achievementOf(credential: Record<string, unknown>): Record<string, unknown> | undefined {
  const subject = list(credential.credentialSubject).find(isObject);
  return subject !== undefined && isObject(subject.achievement) ? subject.achievement : undefined;
}

/** The endorsements a credential carries in `credentialSubject.achievement.endorsement`. */
export function embeddedEndorsements(credential: Record<string, unknown>): { achievementId?: string; endorsements: unknown[] } {
  const achievement = achievementOf(credential);
  const achievementId = text(achievement?.id);
  return { ...(achievementId === undefined ? {} : { achievementId }), endorsements: list(achievement?.endorsement) };
}

/**
 * Verifies each endorsement with `verifyOne` (the full credential checks: signature, anchor, issuer in the registry,
 * revocation, validity) and reports it; an endorsement about another achievement, or of another type, never counts.
 */
export async function verifyEndorsements(credential: Record<string, unknown>, verifyOne: (endorsement: unknown) => Promise<VerificationOutcome>): Promise<EndorsementReport[]> {
  const { achievementId, endorsements } = embeddedEndorsements(credential);
  const reports: EndorsementReport[] = [];
  for (const [index, endorsement] of endorsements.entries()) {
    const document = isObject(endorsement) ? endorsement : {};
    const issuer = document.issuer;
    const endorser = typeof issuer === 'string' ? issuer : isObject(issuer) ? text(issuer.id) : undefined;
    const stated = isObject(issuer) ? text(issuer.name) : undefined;
    const subject = list(document.credentialSubject).find(isObject);
    const base = {
      ...(text(document.id) === undefined ? {} : { id: text(document.id) }),
      ...(endorser === undefined ? {} : { endorser }),
      ...(text(subject?.endorsementComment) === undefined ? {} : { comment: text(subject?.endorsementComment) }),
    };
    if (index >= MAX_ENDORSEMENTS) {
      const skipped = checkResult('parse', 'skipped', 'ENDORSEMENT_NOT_CHECKED', `Only the first ${MAX_ENDORSEMENTS} endorsements are checked.`);
      reports.push({ ...base, ...(stated === undefined ? {} : { endorserName: stated }), verdict: 'indeterminate', flags: [], reasons: [skipped], verified: false });
      continue;
    }
    const outcome = await verifyOne(endorsement);
    const name = outcome.summary?.registeredIssuerName ?? stated;
    const isEndorsement = list(document.type).includes('EndorsementCredential');
    const aboutThis = achievementId !== undefined && subject?.id === achievementId;
    const mismatch = !isEndorsement || !aboutThis
      ? [checkResult('schema', 'failed', 'ENDORSEMENT_NOT_ABOUT_ACHIEVEMENT', isEndorsement ? 'This endorsement is about another achievement.' : 'This is not an EndorsementCredential.', { subject: text(subject?.id) ?? null, achievementId: achievementId ?? null })]
      : [];
    const verified = mismatch.length === 0 && outcome.kind === 'credential' && outcome.verdict === 'valid' && !outcome.flags.includes('pending-anchor');
    const verdict: Verdict = mismatch.length > 0 ? 'invalid' : outcome.verdict;
    // A valid endorsement whose anchor is still pending does not count yet: say why.
    const reasons = verified ? [] : mismatch.length > 0 ? mismatch : outcome.reasons.length > 0 ? outcome.reasons : outcome.checks.filter((c) => c.code === 'ANCHOR_PENDING');
    reports.push({ ...base, ...(name === undefined ? {} : { endorserName: name }), verdict, flags: outcome.flags, reasons, verified });
  }
  return reports;
}
