// Builds an unsigned Open Badges 3.0 OpenBadgeCredential (VC Data Model 2.0) from a completion record; pure.
import { randomBytes, randomUUID as cryptoRandomUUID } from 'node:crypto';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../contexts';
import type { IssuerProfile } from '../signing';
import { addDuration, xsdDateTime } from './dates';
import { dateRangeProblem } from './date-range';
import { displayNameIdentity, hashedEmailIdentity } from './identity';
import type { AchievementExtras, AchievementSubject, OpenBadgeCredential } from './types';
import type { CompletionRecord } from './schema';
import { invalidRecord, parseCompletionRecord } from './validate';

/** The contexts every credential microcred issues carries, in order. */
export const CREDENTIAL_CONTEXTS = [VC_V2_CONTEXT, OB_V3_CONTEXT] as const;

/** How far in the future a completion time may lie (clock skew between the LMS and the issuer). */
const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** Inputs of {@link buildCredential}; randomness is injectable so tests get fixed ids and salts. */
export interface BuildCredentialInput {
  /** A completion record (see CompletionRecord); validated here, so raw input is fine. */
  record: unknown;
  issuer: IssuerProfile;
  now: () => Date;
  randomUUID?: () => string;
  /** Salt for the email hash (default 16 random bytes as hex). */
  randomSalt?: () => string;
  /** Achievement fields a catalog module adds (version, tags, alignments, endorsements); the record's module fields win. */
  achievementExtras?: AchievementExtras;
}

/**
 * Builds the credential. validFrom = completion time (the fact holds from then); awardedDate = issue time; validUntil =
 * expiresAt, or validFrom + validFor. Throws ERR_INVALID_RECORD with one issue per field.
 */
export function buildCredential(input: BuildCredentialInput): OpenBadgeCredential {
  return buildCredentialFromRecord({ ...input, record: parseCompletionRecord(input.record) });
}

/**
 * Builds the credential from a record the schema already accepted (parseCompletionRecord / checkCompletionRecord),
 * so a caller that validated once does not validate again. Still checks the dates (ERR_INVALID_RECORD).
 */
export function buildCredentialFromRecord(input: Omit<BuildCredentialInput, 'record'> & { record: CompletionRecord }): OpenBadgeCredential {
  const { record } = input;
  const now = input.now();
  const completedAt = new Date(record.completedAt);
  const validUntil = record.expiresAt !== undefined ? new Date(record.expiresAt) : record.validFor !== undefined ? addDuration(completedAt, record.validFor) : undefined;
  const issues = [];
  const untilField = record.expiresAt !== undefined ? 'expiresAt' : 'validFor';
  // An out-of-range date would throw RangeError in xsdDateTime: a 500 after a partial batch (docs/security.md, H1).
  const completedProblem = dateRangeProblem(completedAt);
  const untilProblem = validUntil === undefined ? null : dateRangeProblem(validUntil);
  if (completedProblem !== null) issues.push({ field: 'completedAt', message: completedProblem });
  if (untilProblem !== null) issues.push({ field: untilField, message: untilProblem });
  if (completedAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) issues.push({ field: 'completedAt', message: 'is in the future' });
  if (untilProblem === null && validUntil !== undefined && validUntil.getTime() <= completedAt.getTime()) {
    issues.push({ field: untilField, message: 'must end after completedAt' });
  }
  if (issues.length > 0) throw invalidRecord(issues);

  const { learner, module } = record;
  // A record naming a catalog module reaches here only after the catalog filled `module` in (see the issuer service).
  if (module === undefined) throw invalidRecord([{ field: 'moduleId', message: 'cannot be used here: this issuer has no module catalog' }]);
  const identifier = [];
  if (learner.email !== undefined) identifier.push(hashedEmailIdentity(learner.email, (input.randomSalt ?? (() => randomBytes(16).toString('hex')))()));
  if (learner.name !== undefined) identifier.push(displayNameIdentity(learner.name));

  const subject: AchievementSubject = {
    type: ['AchievementSubject'],
    ...(learner.did !== undefined ? { id: learner.did } : {}),
    ...(identifier.length > 0 ? { identifier } : {}),
    achievement: {
      ...input.achievementExtras,
      id: module.id,
      type: ['Achievement'],
      name: module.name,
      description: module.description,
      criteria: { narrative: module.criteria },
      ...(module.image !== undefined ? { image: { id: module.image, type: 'Image' as const } } : {}),
      ...(module.credits !== undefined ? { creditsAvailable: module.credits } : {}),
    },
  };
  if (record.result !== undefined && (record.result.status !== undefined || record.result.value !== undefined)) {
    subject.result = [{ type: ['Result'], ...record.result }];
  }

  const credential: OpenBadgeCredential = {
    '@context': [...CREDENTIAL_CONTEXTS],
    id: `urn:uuid:${(input.randomUUID ?? cryptoRandomUUID)()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: module.name,
    issuer: { id: input.issuer.id, type: ['Profile'], name: input.issuer.name, url: input.issuer.url },
    validFrom: xsdDateTime(completedAt),
    awardedDate: xsdDateTime(now),
    credentialSubject: subject,
  };
  if (validUntil !== undefined) credential.validUntil = xsdDateTime(validUntil);
  return credential;
}
