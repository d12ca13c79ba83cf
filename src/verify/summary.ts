// What a person sees of the badge: read from the credential, with the issuer's name as the registry records it.
import type { RegistryFacts } from './anchor-state';
import type { ParsedCredential } from './input';
import type { BadgeSummary } from './result';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value.slice(0, 2000) : undefined);

function firstSubject(credential: Record<string, unknown>): Record<string, unknown> | undefined {
  const subject = credential.credentialSubject;
  if (Array.isArray(subject)) return subject.find(isObject);
  return isObject(subject) ? subject : undefined;
}

function recipientOf(subject: Record<string, unknown> | undefined): string | undefined {
  if (!subject) return undefined;
  const id = str(subject.id);
  if (id) return id;
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier.filter(isObject) : [];
  const name = identifiers.find((i) => i.identityType === 'name' && i.hashed === false);
  if (name) return str(name.identityHash);
  if (identifiers.some((i) => i.identityType === 'emailAddress' && i.hashed === true)) return 'hashed email';
  return undefined;
}

/** Builds the summary; `registeredIssuerName` only when the registry answered for the credential's own issuer DID. */
export function badgeSummary(parsed: ParsedCredential, facts: RegistryFacts | undefined): BadgeSummary {
  const c = parsed.credential;
  const subject = firstSubject(c);
  const achievement = subject && isObject(subject.achievement) ? subject.achievement : undefined;
  const issuer = isObject(c.issuer) ? c.issuer : undefined;
  const image = achievement ? (typeof achievement.image === 'string' ? achievement.image : isObject(achievement.image) ? achievement.image.id : undefined) : undefined;
  const credits = achievement?.creditsAvailable;
  const answer = facts?.read.kind === 'read' ? facts.read.answer : undefined;
  const registered = answer && answer.issuerRegistered && answer.issuerDid === facts?.issuerDid ? str(answer.issuerName) : undefined;
  const out: Record<string, unknown> = {
    credentialId: str(c.id),
    achievementName: str(achievement?.name) ?? str(c.name),
    achievementDescription: str(achievement?.description),
    image: str(image),
    registeredIssuerName: registered,
    issuerName: str(issuer?.name),
    issuerId: str(c.issuer) ?? str(issuer?.id),
    recipient: recipientOf(subject),
    validFrom: str(c.validFrom) ?? str(c.issuanceDate),
    validUntil: str(c.validUntil) ?? str(c.expirationDate),
    creditsAvailable: typeof credits === 'number' && Number.isFinite(credits) ? credits : undefined,
    securing: parsed.securing,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}
