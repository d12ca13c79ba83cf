// What the store keeps about a credential's learner: the reference written in the credential, and the PII kept apart.
import type { CompletionRecord } from '../credential';
import { MicrocredError } from '../errors';

const asRecord = (v: unknown): Record<string, unknown> => v as Record<string, unknown>;

/** The learner reference stored with a credential: its holder DID, else the salted email hash, else the name identity. */
export function learnerRefOf(credential: Record<string, unknown>): string {
  const subject = asRecord(credential.credentialSubject);
  if (typeof subject.id === 'string') return subject.id;
  const identifiers = (Array.isArray(subject.identifier) ? subject.identifier : []) as Array<Record<string, unknown>>;
  const hashed = identifiers.find((i) => i.hashed === true);
  if (hashed !== undefined && typeof hashed.identityHash === 'string') return hashed.identityHash;
  throw new MicrocredError('ERR_INVALID_RECORD', 'The record names no learner: give learner.did or learner.email.', { details: { issues: [{ field: 'learner', message: 'needs a did or an email' }] } });
}

/** The learner's PII for the learners table (email and name), or null when the record gives no email. */
export function learnerPiiOf(record: CompletionRecord): { email: string; name?: string } | null {
  const { email, name } = record.learner;
  return email === undefined ? null : { email, ...(name === undefined ? {} : { name }) };
}
