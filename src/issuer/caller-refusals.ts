// What a VC-API caller may not choose in a credential we sign: the issuer's name and url, status entries, inverted dates.
import type { IssuerKeyring } from '../signing';
import type { CredentialIssue } from './caller-credential';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The refusals for a caller's credential (docs/security.md H8): an issuer object may repeat our profile's name and
 * url but not change them (a caller would otherwise sign "Royal College of Surgeons" with our key); a
 * `credentialStatus` is the issuer's to assign (a caller-chosen status-list URL would let them decide revocation);
 * and `validUntil` must come after `validFrom`.
 */
export function callerCredentialRefusals(credential: Record<string, unknown>, keyring: IssuerKeyring): CredentialIssue[] {
  const issues: CredentialIssue[] = [];
  const issuer = credential.issuer;
  if (isObject(issuer) && issuer.id === keyring.did) {
    for (const field of ['name', 'url'] as const) {
      if (issuer[field] !== undefined && issuer[field] !== keyring.profile[field]) {
        issues.push({ field: `issuer.${field}`, message: `must be this service's own ${field} (${keyring.profile[field]}) or left out` });
      }
    }
  }
  if (credential.credentialStatus !== undefined) issues.push({ field: 'credentialStatus', message: 'must be absent: the issuer assigns status entries' });
  const from = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : NaN;
  const until = typeof credential.validUntil === 'string' ? Date.parse(credential.validUntil) : NaN;
  if (Number.isFinite(from) && Number.isFinite(until) && until <= from) issues.push({ field: 'validUntil', message: 'must be after validFrom' });
  return issues;
}
