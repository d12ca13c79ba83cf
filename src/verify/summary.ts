// What a person sees of the badge: read from the credential, with the issuer's name as the registry records it.
import type { RegistryFacts } from './anchor-state';
import type { ParsedCredential } from './input';
import type { BadgeSummary } from './result';
import { isObject } from '../json';

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

function identifiersOf(subject: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return subject && Array.isArray(subject.identifier) ? subject.identifier.filter(isObject) : [];
}

function emailHashOf(subject: Record<string, unknown> | undefined): BadgeSummary['recipientEmailHash'] {
  const hashed = identifiersOf(subject).find((i) => i.identityType === 'emailAddress' && i.hashed === true && typeof i.identityHash === 'string');
  const identityHash = str(hashed?.identityHash);
  if (!hashed || !identityHash || !/^sha256\$[0-9a-fA-F]{64}$/.test(identityHash)) return undefined;
  const salt = str(hashed.salt);
  return salt === undefined ? { identityHash } : { identityHash, salt };
}

function criteriaOf(achievement: Record<string, unknown> | undefined): string | undefined {
  const criteria = achievement?.criteria;
  if (typeof criteria === 'string') return str(criteria);
  return isObject(criteria) ? (str(criteria.narrative) ?? str(criteria.id)) : undefined;
}

function resultsOf(subject: Record<string, unknown> | undefined): BadgeSummary['results'] {
  const list = subject && Array.isArray(subject.result) ? subject.result.filter(isObject).slice(0, 20) : [];
  const results = list
    .map((r) => {
      const out: { value?: string; status?: string; achievedLevel?: string } = {};
      const value = typeof r.value === 'number' ? String(r.value) : str(r.value);
      if (value !== undefined) out.value = value;
      if (str(r.status) !== undefined) out.status = str(r.status)!;
      if (str(r.achievedLevel) !== undefined) out.achievedLevel = str(r.achievedLevel)!;
      return out;
    })
    .filter((r) => Object.keys(r).length > 0);
  return results.length > 0 ? results : undefined;
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
    recipientName: str(identifiersOf(subject).find((i) => i.identityType === 'name' && i.hashed === false)?.identityHash),
    recipientDid: str(subject?.id),
    recipientEmailHash: emailHashOf(subject),
    criteria: criteriaOf(achievement),
    results: resultsOf(subject),
    validFrom: str(c.validFrom) ?? str(c.issuanceDate),
    validUntil: str(c.validUntil) ?? str(c.expirationDate),
    creditsAvailable: typeof credits === 'number' && Number.isFinite(credits) ? credits : undefined,
    securing: parsed.securing,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}
