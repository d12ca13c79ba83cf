// The facts a certificate shows, read from a credential's own fields (Data Integrity object, envelope or compact JWS).
import { isEnvelope, unwrapEnvelope } from '../anchoring';
import { MicrocredError } from '../errors';

/** What the PDF certificate prints. Absent fields are left off the page. */
export interface CertificateFacts {
  readonly credentialId: string;
  readonly institution: string;
  readonly learnerName?: string;
  readonly achievement: string;
  readonly description?: string;
  readonly credits?: number;
  readonly validFrom?: string;
  readonly validUntil?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

function jwsPayload(jws: string): Record<string, unknown> {
  const part = jws.split('.')[1] ?? '';
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new MicrocredError('ERR_CERTIFICATE_CREDENTIAL', 'The JWS payload is not JSON; give the anchored credential.', { cause });
  }
  if (!isObject(payload)) throw new MicrocredError('ERR_CERTIFICATE_CREDENTIAL', 'The JWS payload is not a credential object.');
  return payload;
}

/** The credential object inside what was given (the JWS payload of an envelope or a JWS). */
export function credentialBody(credential: Record<string, unknown> | string): Record<string, unknown> {
  if (typeof credential === 'string') {
    const text = credential.trim();
    if (!text.startsWith('{')) return jwsPayload(text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new MicrocredError('ERR_CERTIFICATE_CREDENTIAL', 'The credential is not valid JSON; give the anchored credential file.', { cause });
    }
    if (!isObject(parsed)) throw new MicrocredError('ERR_CERTIFICATE_CREDENTIAL', 'The credential must be a JSON object.');
    return credentialBody(parsed);
  }
  if (isEnvelope(credential)) return jwsPayload(unwrapEnvelope(credential).jws);
  return credential;
}

/**
 * Reads the printed facts: issuer name, the learner's display name (an IdentityObject of type "name", never the
 * hashed email), achievement, credits and dates. Throws ERR_CERTIFICATE_CREDENTIAL when a required field is missing.
 * The facts are shown as issued; verifying them is the verifier's job (the attached credential is what counts).
 */
export function certificateFacts(credential: Record<string, unknown> | string): CertificateFacts {
  const body = credentialBody(credential);
  const subject: unknown = Array.isArray(body.credentialSubject) ? (body.credentialSubject as unknown[])[0] : body.credentialSubject;
  const achievement = isObject(subject) && isObject(subject.achievement) ? subject.achievement : {};
  const issuer = body.issuer;
  const institution = isObject(issuer) ? str(issuer.name) ?? str(issuer.id) : str(issuer);
  const identifiers = isObject(subject) && Array.isArray(subject.identifier) ? subject.identifier : [];
  const nameIdentity = identifiers.find((i): i is Record<string, unknown> => isObject(i) && i.identityType === 'name' && i.hashed === false);
  const id = str(body.id);
  const name = str(achievement.name) ?? str(body.name);
  if (id === undefined || institution === undefined || name === undefined) {
    throw new MicrocredError('ERR_CERTIFICATE_CREDENTIAL', 'The credential lacks an id, an issuer or an achievement name; give an Open Badges credential.');
  }
  const credits = achievement.creditsAvailable;
  const learnerName = nameIdentity === undefined ? undefined : str(nameIdentity.identityHash);
  const description = str(achievement.description);
  const validFrom = str(body.validFrom) ?? str(body.issuanceDate);
  const validUntil = str(body.validUntil) ?? str(body.expirationDate);
  return {
    credentialId: id,
    institution,
    achievement: name,
    ...(learnerName === undefined ? {} : { learnerName }),
    ...(description === undefined ? {} : { description }),
    ...(typeof credits === 'number' && Number.isFinite(credits) ? { credits } : {}),
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validUntil === undefined ? {} : { validUntil }),
  };
}
