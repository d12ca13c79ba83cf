// One VC-JOSE credential of a batch from its completion record: validate (unless done), build, status, leaf, sign; the
// same steps in a signing thread as on the calling thread, with ids, salts and the clock drawn by the caller.
import { credentialLeaf } from '../anchoring';
import { buildCredentialFromRecord, learnerNameOf, parseCompletionRecord, type AchievementExtras, type CompletionRecord, type RecordIssue } from '../credential';
import { isMicrocredError, type ErrorCode } from '../errors';
import type { IssuerProfile, SigningKey } from '../signing';
import { signJose } from '../signing';
import { withStatusEntries, type BitstringStatusListEntry } from '../status';
import { learnerPiiOf, learnerRefOf } from './learner-of';

/** One row's work: the record (after the module catalog), and what the caller drew for it. */
export interface JoseJob {
  /** The completion record, with its catalog module filled in. */
  record: unknown;
  /** True when `record` already passed the schema (an atomic batch checks every row first): it is not validated again. */
  checked: boolean;
  /** Achievement fields from the catalog module, if any. */
  extras?: AchievementExtras;
  /** The credential's uuid (its id is urn:uuid:<uuid>). */
  uuid: string;
  /** Salt of the email hash. */
  salt: string;
  /** The credential's status entries (from its drawn status slot), if the issuer gives them. */
  statusEntries?: readonly BitstringStatusListEntry[];
}

/** The signed credential and what the store keeps beside it, or why the row failed (a stable code, or unexpected). */
export type JoseJobResult =
  | { ok: true; credentialId: string; document: string; leaf: string; moduleId: string; learnerRef: string; learner: { email: string; name?: string } | null; learnerName: string | null }
  | { ok: false; code: ErrorCode; message: string; issues?: RecordIssue[] }
  | { ok: false; unexpected: string };

/** What every job of an issuer shares: its profile, its key, and the issue time. */
export interface JoseJobContext {
  issuer: IssuerProfile;
  signingKey: SigningKey;
  now: () => Date;
}

/** Runs one job; never throws (a failure is the result). */
export async function runJoseJob(job: JoseJob, context: JoseJobContext): Promise<JoseJobResult> {
  try {
    const record = job.checked ? (job.record as CompletionRecord) : parseCompletionRecord(job.record);
    const built = buildCredentialFromRecord({
      record,
      issuer: context.issuer,
      now: context.now,
      randomUUID: () => job.uuid,
      randomSalt: () => job.salt,
      ...(job.extras === undefined ? {} : { achievementExtras: job.extras }),
    });
    const unsigned = job.statusEntries === undefined ? (built as unknown as Record<string, unknown>) : withStatusEntries(built, job.statusEntries);
    const leaf = credentialLeaf(unsigned);
    const document = await signJose(unsigned, { signingKey: context.signingKey });
    return { ok: true, credentialId: built.id, document, leaf, moduleId: built.credentialSubject.achievement.id, learnerRef: learnerRefOf(unsigned), learner: learnerPiiOf(record), learnerName: learnerNameOf(built) };
  } catch (error) {
    if (!isMicrocredError(error)) return { ok: false, unexpected: error instanceof Error ? error.message : String(error) };
    const issues = error.details.issues;
    return { ok: false, code: error.code, message: error.message, ...(Array.isArray(issues) ? { issues: issues as RecordIssue[] } : {}) };
  }
}
