// Turns a raw completion record into a typed one, or into one error per field (ERR_INVALID_RECORD).
import type { z } from 'zod';
import { MicrocredError } from '../errors';
import { completionRecordSchema, type CompletionRecord } from './schema';

/** One problem with one field of a record; `field` is a dotted path such as `module.name`. */
export interface RecordIssue {
  field: string;
  message: string;
}

/** Flattens zod issues to one issue per field (the first message wins), in the order found. */
export function recordIssues(error: z.ZodError): RecordIssue[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    const fields = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k].join('.')) : [base.join('.') || '(record)'];
    for (const field of fields) {
      if (byField.has(field)) continue;
      const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
      byField.set(field, issue.code === 'unrecognized_keys' ? 'is not a known field' : missing ? 'is required' : issue.message);
    }
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** The error for a bad record: code ERR_INVALID_RECORD, `details.issues` = one {field, message} per field. */
export function invalidRecord(issues: RecordIssue[]): MicrocredError {
  const summary = issues.map((i) => `${i.field} ${i.message}`).join('; ');
  return new MicrocredError('ERR_INVALID_RECORD', `The completion record is invalid: ${summary}.`, { details: { issues } });
}

/** Validates without throwing (for batch/CSV per-row results). */
export function checkCompletionRecord(input: unknown): { ok: true; record: CompletionRecord } | { ok: false; issues: RecordIssue[] } {
  const parsed = completionRecordSchema.safeParse(input);
  return parsed.success ? { ok: true, record: parsed.data } : { ok: false, issues: recordIssues(parsed.error) };
}

/** Validates and returns the typed record; throws ERR_INVALID_RECORD. */
export function parseCompletionRecord(input: unknown): CompletionRecord {
  const checked = checkCompletionRecord(input);
  if (!checked.ok) throw invalidRecord(checked.issues);
  return checked.record;
}
