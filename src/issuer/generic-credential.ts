// Checks a generic (not Open Badges) credential a VC-API caller asks us to sign: any VC DM 2.0 or 1.1 credential, as our issuer.
import { VC_V1_CONTEXT } from '../contexts';
import { xsdDateTime } from '../credential';
import { vcdmProblems } from '../credential';
import type { IssuerKeyring } from '../signing';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One problem with the caller's credential; `type` is the VC DM error type when a data-model rule is broken. */
export interface CredentialIssue {
  field: string;
  message: string;
  type?: string;
}

/** The VC DM rule violations of `credential`, as issues. */
export function dataModelIssues(credential: Record<string, unknown>): CredentialIssue[] {
  return vcdmProblems(credential).map((p) => ({ field: p.path || 'credential', message: p.message, type: p.type }));
}

/**
 * Completes and checks a generic credential (the input is already a copy): issuer must be this service's DID (a string
 * or an object with that id; kept as sent); no proof; `id` added (urn:uuid) when missing; `validFrom` (VC 2.0) or
 * `issuanceDate` (VC 1.1) added when missing; a subject id must not be an email address; then every VC DM rule.
 * Returns the issues (none when it can be signed) and the store's index values: the most specific type and the subject id.
 */
export function checkGenericCredential(
  credential: Record<string, unknown>,
  keyring: IssuerKeyring,
  now: () => Date,
  randomUUID: () => string,
): { issues: CredentialIssue[]; moduleId: string; learnerRef: string } {
  const issues: CredentialIssue[] = [];
  if ('proof' in credential) issues.push({ field: 'proof', message: 'must be absent: send the unsigned credential' });
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : isObject(credential.issuer) ? credential.issuer.id : undefined;
  if (issuerId !== keyring.did) issues.push({ field: 'issuer', message: `must be this service's issuer ${keyring.did}` });
  if (credential.id === undefined) credential.id = `urn:uuid:${randomUUID()}`;
  const v1 = Array.isArray(credential['@context']) && credential['@context'][0] === VC_V1_CONTEXT;
  if (v1 && credential.issuanceDate === undefined) credential.issuanceDate = xsdDateTime(now());
  if (!v1 && credential.validFrom === undefined) credential.validFrom = xsdDateTime(now());
  const subjects: unknown[] = Array.isArray(credential.credentialSubject) ? credential.credentialSubject : [credential.credentialSubject];
  const subjectId = subjects.map((s) => (isObject(s) && typeof s.id === 'string' ? s.id : undefined)).find((id) => id !== undefined) ?? '';
  // The store indexes the subject; an email there would put personal data where erasure cannot reach the credential.
  if (/^mailto:/i.test(subjectId) || /^[^\s:@]+@[^\s:@]+\.[^\s:@]+$/.test(subjectId)) {
    issues.push({ field: 'credentialSubject.id', message: 'must not be an email address: use a DID, or leave the subject without an id' });
  }
  issues.push(...dataModelIssues(credential));
  const types: unknown[] = Array.isArray(credential.type) ? credential.type : [credential.type];
  const moduleId = types.find((t): t is string => typeof t === 'string' && t !== 'VerifiableCredential') ?? 'VerifiableCredential';
  return { issues, moduleId, learnerRef: subjectId };
}
