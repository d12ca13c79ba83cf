// The names of the credential file attached to a PDF certificate (kept apart so readers need not load pdf-lib).

/** Name of the attached credential file (JSON: a Data Integrity credential or an anchored VC-JOSE envelope). */
export const CERTIFICATE_ATTACHMENT_JSON = 'credential.json';
/** Name of the attachment when only a bare compact JWS was given. */
export const CERTIFICATE_ATTACHMENT_JWT = 'credential.jwt';

/** True when `bytes` starts like a PDF (`%PDF-`). */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}
