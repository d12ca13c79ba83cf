// LinkedIn's "Add to profile" link for a certification: the learner's own click fills the form; nothing is sent to LinkedIn by us.
import type { CertificateFacts } from './certificate-facts';

/** LinkedIn's add-to-profile endpoint (https://addtoprofile.linkedin.com). */
export const LINKEDIN_ADD_URL = 'https://www.linkedin.com/profile/add';

/** The organisation as LinkedIn knows it: its numeric company page id when known (links the logo), else its name. */
export interface LinkedInOrganization {
  /** The numeric id of the institution's LinkedIn page; preferred, since LinkedIn then shows the page and its logo. */
  readonly organizationId?: string;
  /** Used when no id is given: the institution's name, as printed on the certificate. */
  readonly organizationName?: string;
}

/** Year and month (1–12) of an ISO date, in UTC; undefined when the date cannot be read. */
function yearMonth(value: string | undefined): { year: number; month: number } | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  const date = new Date(time);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

/**
 * The "Add to profile" URL of a credential: certification name (the achievement), organisation, issue and expiry
 * year/month, the share link as certification URL and the credential id as certification id. Pure: builds a URL.
 */
export function linkedinAddUrl(facts: CertificateFacts, shareUrl: string, organization: LinkedInOrganization = {}): string {
  const url = new URL(LINKEDIN_ADD_URL);
  const params = url.searchParams;
  params.set('startTask', 'CERTIFICATION_NAME');
  params.set('name', facts.achievement);
  const id = organization.organizationId?.trim();
  if (id !== undefined && /^\d{1,20}$/.test(id)) params.set('organizationId', id);
  else params.set('organizationName', organization.organizationName ?? facts.institution);
  const issued = yearMonth(facts.validFrom);
  if (issued !== undefined) {
    params.set('issueYear', String(issued.year));
    params.set('issueMonth', String(issued.month));
  }
  const expires = yearMonth(facts.validUntil);
  if (expires !== undefined) {
    params.set('expirationYear', String(expires.year));
    params.set('expirationMonth', String(expires.month));
  }
  params.set('certUrl', shareUrl);
  params.set('certId', facts.credentialId);
  return url.toString();
}
