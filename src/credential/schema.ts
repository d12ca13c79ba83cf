// The completion record (what an institution submits) and its zod schema, shared by the builder, HTTP API and CSV import.
import { z } from 'zod';
import { parse as parseDuration, pattern as isoDurationPattern } from 'iso8601-duration';
import { unsafeTextProblem } from './safe-text';

/** Open Badges 3.0 ResultStatusType values. */
export const RESULT_STATUSES = ['Completed', 'Enrolled', 'Failed', 'InProgress', 'OnHold', 'Provisional', 'Withdrew'] as const;

/** An achievement or image reference: an https/http URL, a urn: or a did:. */
export const uri = z.url({ protocol: /^(https?|urn|did)$/, error: 'must be an https/http URL, a urn: or a did:' });
/** A one-line name: trimmed, 1 to `max` characters, no control, bidi-override or lone-surrogate characters. */
export const name = (max: number) => z.string().trim().min(1, 'must not be empty').max(max).superRefine(refuseUnsafe({ multiline: false }));
/** Free text that may span lines (descriptions, criteria). */
export const prose = (max: number) => z.string().trim().min(1, 'must not be empty').max(max).superRefine(refuseUnsafe({ multiline: true }));
function refuseUnsafe(options: { multiline: boolean }) {
  return (text: string, ctx: z.RefinementCtx): void => {
    const problem = unsafeTextProblem(text, options);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  };
}
const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-03-01T09:30:00Z' });

/** Schema of a completion record; strict, so a misspelt field is an error rather than silently dropped. */
export const completionRecordSchema = z
  .strictObject({
    learner: z
      .strictObject({
        /** Holder DID; becomes credentialSubject.id. */
        did: z.string().regex(/^did:[a-z0-9]+:[^\s#]+$/, 'must be a DID such as did:key:z6Mk…').optional(),
        /** Email; only its salted SHA-256 hash enters the credential. */
        email: z.email('must be an email address').optional(),
        /** Display name shown to verifiers (an Open Badges IdentityObject of type "name"). */
        name: name(200).optional(),
      })
      .refine((l) => l.did !== undefined || l.email !== undefined, 'needs a did or an email'),
    /** A module of the issuer's catalog (docs/catalog.md): fills `module` from its current version. */
    moduleId: uri.optional(),
    module: z.strictObject({
      /** Achievement id: a URL or urn that names the module. */
      id: uri,
      name: name(200),
      description: prose(2000),
      /** Criteria narrative: what the learner had to do. */
      criteria: prose(10000),
      image: uri.optional(),
      /** CPD credits the module carries (Achievement.creditsAvailable). */
      credits: z.number().positive('must be positive').max(10000).optional(),
    }).optional(),
    completedAt: dateTime,
    result: z
      .strictObject({
        status: z.enum(RESULT_STATUSES).optional(),
        value: name(200).optional(),
      })
      .optional(),
    /** Expiry as a date-time … */
    expiresAt: dateTime.optional(),
    /** … or as an ISO 8601 duration after validFrom (e.g. P2Y). */
    validFor: z.string().regex(isoDurationPattern, 'must be an ISO 8601 duration such as P2Y or P6M').refine(parsesAsDuration, 'must be an ISO 8601 duration such as P2Y or P6M (starting with P)').refine((d) => /\d/.test(d) && !/[.,]/.test(d), 'must be an ISO 8601 duration in whole units, such as P2Y').optional(),
  })
  .superRefine((record, ctx) => {
    if (record.module === undefined && record.moduleId === undefined) ctx.addIssue({ code: 'custom', path: ['module'], message: 'give the module, or a catalog moduleId' });
    if (record.module !== undefined && record.moduleId !== undefined) ctx.addIssue({ code: 'custom', path: ['moduleId'], message: 'give either module or moduleId, not both' });
    if (record.expiresAt !== undefined && record.validFor !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['validFor'], message: 'give either expiresAt or validFor, not both' });
    }
  });

/** A validated completion record. */
export type CompletionRecord = z.infer<typeof completionRecordSchema>;

/** Whole-unit ISO 8601 durations, anchored at both ends (the library's own pattern is not: it let "0P" through). */
const WHOLE_DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** True when the text is a whole-unit duration the date arithmetic can read. */
function parsesAsDuration(text: string): boolean {
  if (!WHOLE_DURATION.test(text)) return false;
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}
