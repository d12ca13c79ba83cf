// Reads the learner's display name and other printed facts back out of an issued credential (object or compact JWS).
import { isObject } from '../json';

/** The credential object: itself, or the payload of a compact JWS; null when neither can be read. */
export function credentialPayload(credential: Record<string, unknown> | string): Record<string, unknown> | null {
  if (typeof credential !== 'string') return credential;
  try {
    const payload: unknown = JSON.parse(Buffer.from(credential.trim().split('.')[1] ?? '', 'base64url').toString('utf8'));
    return isObject(payload) ? payload : null;
  } catch {
    return null;
  }
}

function firstSubject(body: Record<string, unknown>): Record<string, unknown> | null {
  const subject: unknown = Array.isArray(body.credentialSubject) ? (body.credentialSubject as unknown[])[0] : body.credentialSubject;
  return isObject(subject) ? subject : null;
}

/**
 * The learner's display name as issued: the subject's plain IdentityObject of type "name" (never the hashed email).
 * Null when the credential carries none.
 */
export function learnerNameOf(credential: Record<string, unknown> | string): string | null {
  const body = credentialPayload(credential);
  const subject = body === null ? null : firstSubject(body);
  const identifiers: unknown[] = subject !== null && Array.isArray(subject.identifier) ? (subject.identifier as unknown[]) : [];
  const name = identifiers.find((i): i is Record<string, unknown> => isObject(i) && i.identityType === 'name' && i.hashed === false);
  return name !== undefined && typeof name.identityHash === 'string' && name.identityHash.trim() !== '' ? name.identityHash : null;
}

/** The achievement's (module's) name, else the credential's own name; null when it has neither. */
export function achievementNameOf(credential: Record<string, unknown> | string): string | null {
  const body = credentialPayload(credential);
  if (body === null) return null;
  const subject = firstSubject(body);
  const achievement = subject !== null && isObject(subject.achievement) ? subject.achievement : {};
  for (const value of [achievement.name, body.name]) if (typeof value === 'string' && value.trim() !== '') return value;
  return null;
}

/** The credential's `validFrom` (VC 2.0) or `issuanceDate` (VC 1.1); null when absent. */
export function validFromOf(credential: Record<string, unknown> | string): string | null {
  const body = credentialPayload(credential);
  const value = body?.validFrom ?? body?.issuanceDate;
  return typeof value === 'string' ? value : null;
}
