// The audit policy file: the CPD cycle, the credits a licence requires, per-category bounds and whom to trust.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MicrocredError } from '../errors';

const date = z.iso.date({ error: 'must be a date such as 2025-01-01' }).or(z.iso.datetime({ offset: true, error: 'must be a date or an ISO 8601 date-time with a time zone' }));
const credits = z.number().nonnegative('must be zero or more').max(100_000);

/** What puts a credential in a category: any one listed value matching is enough. */
const matchSchema = z
  .strictObject({
    /** Achievement ids (exact), or prefixes ending in `*`. */
    achievementId: z.array(z.string().min(1)).optional(),
    /** Achievement type (`achievementType`, e.g. "Course") or a credential/achievement `type` entry. */
    type: z.array(z.string().min(1)).optional(),
    /** Achievement `tag` values, compared without regard to case. */
    tag: z.array(z.string().min(1)).optional(),
    /** Alignment `targetCode`, `targetName` or `targetUrl` values (e.g. a CPD category code). */
    alignment: z.array(z.string().min(1)).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined && v.length > 0), 'needs at least one of achievementId, type, tag or alignment');

const categorySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  match: matchSchema,
  /** Credits that must come from this category. */
  min: credits.optional(),
  /** Credits from this category that count at most; the rest is not counted. */
  max: credits.optional(),
});

/** Schema of an audit policy file (JSON). Strict, so a misspelt field is an error, not silently ignored. */
export const auditPolicySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    cycle: z.strictObject({ start: date, end: date }),
    /** Total credits the licence requires in the cycle. */
    requiredCredits: credits,
    /** The unit the credits are in, for reports ("CPD hours", "CME credits"). */
    creditUnit: z.string().trim().min(1).max(50).default('credits'),
    categories: z.array(categorySchema).max(100).default([]),
    /** Registries whose anchors count: at least one. */
    acceptedRegistries: z.array(z.strictObject({ chainId: z.number().int().positive(), address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address') })).min(1, 'name at least one registry'),
    /** When given, only credentials from these issuer DIDs count. */
    acceptedIssuers: z.array(z.string().regex(/^did:[a-z0-9]+:\S+$/, 'must be a DID')).optional(),
    /**
     * When given, a credential counts only when its achievement carries an endorsement by one of these accrediting
     * bodies (DIDs) that verifies: signed, anchored, the body registered, not revoked, in force (docs/catalog.md).
     */
    requireEndorsementBy: z.array(z.string().regex(/^did:[a-z0-9]+:\S+$/, 'must be a DID')).min(1, 'name at least one accrediting body, or leave the field out').optional(),
    /** Whether a credential that expired after its completion date, but was otherwise valid, still counts. */
    countExpired: z.boolean().default(true),
  })
  .superRefine((policy, ctx) => {
    if (Date.parse(policy.cycle.end) < Date.parse(policy.cycle.start)) ctx.addIssue({ code: 'custom', path: ['cycle', 'end'], message: 'must not be before cycle.start' });
    policy.categories.forEach((c, i) => {
      if (c.min !== undefined && c.max !== undefined && c.min > c.max) ctx.addIssue({ code: 'custom', path: ['categories', i, 'max'], message: 'must not be below min' });
    });
  });

/** A validated audit policy. */
export type AuditPolicy = z.infer<typeof auditPolicySchema>;

/** Validates a parsed policy object; throws ERR_AUDIT_POLICY naming every field that is wrong. */
export function parseAuditPolicy(value: unknown, source = 'the audit policy'): AuditPolicy {
  const parsed = auditPolicySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
  throw new MicrocredError('ERR_AUDIT_POLICY', `${source} is not valid: ${issues.join('; ')}. See docs/audit.md for a complete example.`, { details: { issues } });
}

/** Reads and validates a policy file; throws ERR_AUDIT_POLICY for a missing, unreadable or invalid file. */
export async function loadAuditPolicy(file: string): Promise<AuditPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MicrocredError('ERR_AUDIT_POLICY', `Cannot read the policy file "${file}": check the path.`, { cause, details: { path: file } });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new MicrocredError('ERR_AUDIT_POLICY', `The policy file "${file}" is not JSON: ${cause instanceof Error ? cause.message : String(cause)}.`, { cause, details: { path: file } });
  }
  return parseAuditPolicy(json, `The policy file "${file}"`);
}
