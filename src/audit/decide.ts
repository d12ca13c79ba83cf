// The audit decision: which verified credentials count for which licensee, and whether each licensee is compliant.
import type { Flag } from '../verify';
import { emailMatches, type CredentialFacts } from './facts';
import type { AuditPolicy } from './policy';
import type { Licensee } from './roster';

/** One input file after verification. */
export interface AuditEntry {
  readonly file: string;
  /** The verifier's verdict, or `not-credential` for a file that is no credential at all. */
  readonly verdict: 'valid' | 'invalid' | 'indeterminate' | 'not-credential';
  readonly flags: readonly Flag[];
  /** Why it is not valid, in words (failed and could-not-check checks). */
  readonly reasons: readonly string[];
  /** Names of the checks that failed (to tell "only expired" from "invalid"). */
  readonly failedChecks: readonly string[];
  /** The revocation or suspension reason in words, when the registry gives one. */
  readonly statusReason?: string;
  /** DIDs of the accrediting bodies whose endorsements of the achievement verify. */
  readonly endorsedBy?: readonly string[];
  readonly facts?: CredentialFacts;
}

/** Why a credential was not counted. */
export type RejectionKind =
  | 'invalid'
  | 'revoked'
  | 'suspended'
  | 'expired'
  | 'could-not-check'
  | 'issuer-not-accepted'
  | 'not-endorsed'
  | 'outside-cycle'
  | 'duplicate'
  | 'category-cap'
  | 'no-credits'
  | 'not-matched';

/** One credential as the audit saw it. */
export interface AuditItem {
  readonly file: string;
  readonly credentialId?: string;
  readonly achievementId?: string;
  readonly achievement?: string;
  readonly issuer?: string;
  readonly recipient?: string;
  readonly credits: number;
  /** Credits that counted (0 when rejected; less than `credits` when a category cap cut it). */
  readonly counted: number;
  readonly category?: string;
  readonly completedAt?: string;
  readonly validUntil?: string;
  /** Absent when counted. */
  readonly rejection?: RejectionKind;
  /** The reason in words, for counted items a note such as "expired after completion; counted by the policy". */
  readonly reason: string;
}

/** A category's standing for one licensee. */
export interface CategoryStanding {
  readonly name: string;
  readonly credits: number;
  readonly min?: number;
  readonly max?: number;
  readonly shortfall: number;
}

/** `undetermined`: not compliant on what could be checked, but credentials that could not be checked might change that. */
export type Decision = 'compliant' | 'non-compliant' | 'undetermined';

/** The decision for one licensee. */
export interface LicenseeDecision {
  readonly licensee: Licensee;
  readonly decision: Decision;
  readonly total: number;
  readonly required: number;
  readonly shortfall: number;
  readonly categories: readonly CategoryStanding[];
  readonly counted: readonly AuditItem[];
  readonly rejected: readonly AuditItem[];
}

/** The whole audit. */
export interface AuditResult {
  readonly licensees: readonly LicenseeDecision[];
  /** Credentials that matched no licensee. */
  readonly unmatched: readonly AuditItem[];
  /** Files that are not credentials at all. */
  readonly notCredentials: readonly string[];
  readonly totals: { readonly compliant: number; readonly nonCompliant: number; readonly undetermined: number; readonly credentials: number };
  /** 0 every licensee compliant, 1 any non-compliant, 3 none non-compliant but some undetermined. */
  readonly exitCode: 0 | 1 | 3;
}

const DAY_MS = 86_400_000;
const isDateOnly = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s);
/** The cycle as [start, end) in ms; a date-only end includes its whole day. */
function cycleBounds(policy: AuditPolicy): [number, number] {
  const end = Date.parse(policy.cycle.end) + (isDateOnly(policy.cycle.end) ? DAY_MS : 1);
  return [Date.parse(policy.cycle.start), end];
}

const wildcard = (pattern: string, value: string): boolean => (pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern);
const lower = (values: readonly string[]): string[] => values.map((v) => v.toLowerCase());

/** The first category of the policy the credential belongs to, or undefined. */
export function categoryOf(policy: AuditPolicy, facts: CredentialFacts): AuditPolicy['categories'][number] | undefined {
  return policy.categories.find(({ match }) =>
    (match.achievementId ?? []).some((p) => facts.achievementId !== undefined && wildcard(p, facts.achievementId)) ||
    (match.type ?? []).some((t) => facts.types.includes(t)) ||
    lower(match.tag ?? []).some((t) => lower(facts.tags).includes(t)) ||
    (match.alignment ?? []).some((a) => facts.alignments.includes(a)));
}

/** The licensee a credential is for: by subject DID, else by a salted email hash. */
export function licenseeOf(licensees: readonly Licensee[], facts: CredentialFacts): Licensee | undefined {
  return (
    licensees.find((l) => l.did !== undefined && facts.subjectDid === l.did) ??
    licensees.find((l) => l.email !== undefined && facts.emailHashes.some(({ hash, salt }) => emailMatches(l.email!, hash, salt)))
  );
}

function item(entry: AuditEntry, fields: Pick<AuditItem, 'counted' | 'reason'> & Partial<AuditItem>): AuditItem {
  const f = entry.facts;
  return {
    file: entry.file,
    ...(f?.credentialId !== undefined ? { credentialId: f.credentialId } : {}),
    ...(f?.achievementId !== undefined ? { achievementId: f.achievementId } : {}),
    ...(f?.achievementName !== undefined ? { achievement: f.achievementName } : {}),
    ...(f?.issuerName ?? f?.issuerDid ? { issuer: f?.issuerName ?? f?.issuerDid } : {}),
    ...(f?.recipientName ?? f?.subjectDid ? { recipient: f?.recipientName ?? f?.subjectDid } : {}),
    credits: f?.credits ?? 0,
    ...(f?.completedAt !== undefined ? { completedAt: f.completedAt } : {}),
    ...(f?.validUntil !== undefined ? { validUntil: f.validUntil } : {}),
    ...fields,
  };
}

const reject = (entry: AuditEntry, rejection: RejectionKind, reason: string): AuditItem => item(entry, { counted: 0, rejection, reason });
const rejectedBy = (entry: AuditEntry, rejection: RejectionKind, reason: string): { rejected: AuditItem } => ({ rejected: reject(entry, rejection, reason) });
const joined = (reasons: readonly string[], fallback: string): string => (reasons.length > 0 ? reasons.join(' ') : fallback);

/** The verification side of the decision: a rejection, or undefined when the credential may count (with a note). */
function verificationRejection(policy: AuditPolicy, entry: AuditEntry): { rejected: AuditItem } | { note?: string } {
  const because = entry.statusReason ? ` (reason: ${entry.statusReason})` : '';
  if (entry.flags.includes('revoked')) return rejectedBy(entry, 'revoked', `Revoked by its issuer${because}.`);
  if (entry.flags.includes('suspended')) return rejectedBy(entry, 'suspended', `Suspended by its issuer${because}; it counts again if reinstated.`);
  if (entry.verdict === 'indeterminate') return rejectedBy(entry, 'could-not-check', `Could not be checked: ${joined(entry.reasons, 'a check could not be done.')}`);
  if (entry.verdict === 'invalid') {
    const onlyExpired = entry.flags.includes('expired') && entry.failedChecks.every((c) => c === 'validity-period');
    if (!onlyExpired) return rejectedBy(entry, 'invalid', `Not genuine or not trusted: ${joined(entry.reasons, 'a check failed.')}`);
    if (!policy.countExpired) return rejectedBy(entry, 'expired', `Expired on ${entry.facts?.validUntil ?? 'its end date'}, and the policy does not count expired credentials.`);
    return { note: `Expired on ${entry.facts?.validUntil ?? 'its end date'}, after completion; counted because the policy counts expired credentials.` };
  }
  return {};
}

/** Decides every licensee's compliance from the verified entries. Pure: same inputs, same result. */
export function decideAudit(policy: AuditPolicy, licensees: readonly Licensee[], entries: readonly AuditEntry[]): AuditResult {
  const [start, end] = cycleBounds(policy);
  const notCredentials = entries.filter((e) => e.verdict === 'not-credential').map((e) => e.file).sort();
  const unmatched: AuditItem[] = [];
  const byLicensee = new Map<string, AuditEntry[]>(licensees.map((l) => [l.id, []]));
  for (const entry of entries) {
    if (entry.verdict === 'not-credential') continue;
    const licensee = entry.facts ? licenseeOf(licensees, entry.facts) : undefined;
    if (licensee === undefined) unmatched.push(reject(entry, 'not-matched', 'Matches no licensee of the roster (neither the subject DID nor a salted email hash).'));
    else byLicensee.get(licensee.id)!.push(entry);
  }
  // Earliest completion first, then by file: the credential that counts among duplicates is always the same one.
  const order = (a: AuditEntry, b: AuditEntry): number =>
    (a.facts?.completedAt ?? '').localeCompare(b.facts?.completedAt ?? '') || a.file.localeCompare(b.file);

  const decisions = licensees.map((licensee): LicenseeDecision => {
    const counted: AuditItem[] = [];
    const rejected: AuditItem[] = [];
    const byCategory = new Map<string, number>(policy.categories.map((c) => [c.name, 0]));
    const countedAchievements = new Map<string, string>();
    let total = 0;
    let uncheckedCredits = 0;
    for (const entry of [...byLicensee.get(licensee.id)!].sort(order)) {
      const facts = entry.facts!;
      const verification = verificationRejection(policy, entry);
      if ('rejected' in verification) {
        rejected.push(verification.rejected);
        if (verification.rejected.rejection === 'could-not-check') uncheckedCredits += facts.credits;
        continue;
      }
      const completed = facts.completedAt === undefined ? Number.NaN : Date.parse(facts.completedAt);
      if (policy.acceptedIssuers !== undefined && (facts.issuerDid === undefined || !policy.acceptedIssuers.includes(facts.issuerDid))) {
        rejected.push(reject(entry, 'issuer-not-accepted', `Its issuer ${facts.issuerName ?? ''} (${facts.issuerDid ?? 'unknown'}) is not on the policy's list of accepted providers.`.replace('  ', ' ')));
      } else if (policy.requireEndorsementBy !== undefined && !(entry.endorsedBy ?? []).some((did) => policy.requireEndorsementBy!.includes(did))) {
        rejected.push(reject(entry, 'not-endorsed', `Its module carries no verified endorsement by an accrediting body the policy requires (${policy.requireEndorsementBy.join(', ')}).`));
      } else if (!(completed >= start && completed < end)) {
        rejected.push(reject(entry, 'outside-cycle', `Completed ${facts.completedAt ?? 'on an unknown date'}, outside the cycle ${policy.cycle.start} to ${policy.cycle.end}.`));
      } else if (facts.achievementId !== undefined && countedAchievements.has(facts.achievementId)) {
        rejected.push(reject(entry, 'duplicate', `The same achievement already counted (${countedAchievements.get(facts.achievementId)}); an achievement counts once per cycle.`));
      } else if (facts.credits <= 0) {
        rejected.push(reject(entry, 'no-credits', 'It carries no credits (achievement.creditsAvailable).'));
      } else {
        const category = categoryOf(policy, facts);
        const sofar = category ? byCategory.get(category.name)! : 0;
        const room = category?.max === undefined ? Number.POSITIVE_INFINITY : Math.max(0, category.max - sofar);
        if (room <= 0) {
          rejected.push(reject(entry, 'category-cap', `The category "${category!.name}" already has its maximum of ${category!.max} ${policy.creditUnit}.`));
          continue;
        }
        const credits = Math.min(facts.credits, room);
        const notes = [verification.note, credits < facts.credits ? `Counted ${credits} of ${facts.credits} ${policy.creditUnit}: the category "${category!.name}" reached its maximum of ${category!.max}.` : undefined].filter(Boolean);
        counted.push(item(entry, { counted: credits, ...(category ? { category: category.name } : {}), reason: notes.join(' ') || 'Counted.' }));
        if (category) byCategory.set(category.name, sofar + credits);
        if (facts.achievementId !== undefined) countedAchievements.set(facts.achievementId, facts.credentialId ?? entry.file);
        total += credits;
      }
    }
    const categories = policy.categories.map((c): CategoryStanding => {
      const credits = byCategory.get(c.name)!;
      return { name: c.name, credits, ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}), shortfall: Math.max(0, (c.min ?? 0) - credits) };
    });
    const shortfall = Math.max(0, policy.requiredCredits - total);
    const compliant = shortfall === 0 && categories.every((c) => c.shortfall === 0);
    const decision: Decision = compliant ? 'compliant' : uncheckedCredits > 0 ? 'undetermined' : 'non-compliant';
    return { licensee, decision, total, required: policy.requiredCredits, shortfall, categories, counted, rejected };
  });

  const totals = {
    compliant: decisions.filter((d) => d.decision === 'compliant').length,
    nonCompliant: decisions.filter((d) => d.decision === 'non-compliant').length,
    undetermined: decisions.filter((d) => d.decision === 'undetermined').length,
    credentials: entries.length - notCredentials.length,
  };
  const exitCode = totals.nonCompliant > 0 ? 1 : totals.undetermined > 0 ? 3 : 0;
  return { licensees: decisions, unmatched, notCredentials, totals, exitCode };
}
