// What an audit needs to know of one credential: who it is for, what it is for, how many credits, and when.
import { hashedEmailIdentity } from '../credential';
import { issuerIdOf } from '../verify';

/** The countable facts of one credential, read from its (verified) content. */
export interface CredentialFacts {
  readonly credentialId?: string;
  readonly issuerDid?: string;
  readonly issuerName?: string;
  readonly subjectDid?: string;
  /** The learner's display name, when the credential carries one. */
  readonly recipientName?: string;
  /** Salted email hashes the subject is identified by (`sha256$hex`, salt). */
  readonly emailHashes: ReadonlyArray<{ readonly hash: string; readonly salt: string }>;
  readonly achievementId?: string;
  readonly achievementName?: string;
  /** achievementType and every `type` entry of the achievement and the credential. */
  readonly types: readonly string[];
  readonly tags: readonly string[];
  /** targetCode, targetName and targetUrl of each alignment. */
  readonly alignments: readonly string[];
  readonly credits: number;
  /** The completion date: validFrom (or VC 1.1 issuanceDate). */
  readonly completedAt?: string;
  readonly validUntil?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const strings = (v: unknown): string[] => list(v).filter((s): s is string => typeof s === 'string');
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads the facts of a credential object; never throws, missing facts stay undefined (and then do not count). */
export function credentialFacts(credential: Json): CredentialFacts {
  const subject = list(credential.credentialSubject).find(isObject) ?? {};
  const achievement = isObject(subject.achievement) ? subject.achievement : {};
  const identifiers = list(subject.identifier).filter(isObject);
  const issuer = credential.issuer;
  const credits = typeof achievement.creditsAvailable === 'number' && Number.isFinite(achievement.creditsAvailable) && achievement.creditsAvailable > 0 ? achievement.creditsAvailable : 0;
  return {
    credentialId: text(credential.id),
    issuerDid: issuerIdOf(credential),
    issuerName: isObject(issuer) ? text(issuer.name) : undefined,
    subjectDid: text(subject.id),
    recipientName: identifiers.find((i) => i.identityType === 'name' && i.hashed === false)?.identityHash as string | undefined,
    emailHashes: identifiers
      .filter((i) => i.identityType === 'emailAddress' && i.hashed === true && typeof i.identityHash === 'string' && typeof i.salt === 'string')
      .map((i) => ({ hash: (i.identityHash as string).toLowerCase(), salt: i.salt as string })),
    achievementId: text(achievement.id),
    achievementName: text(achievement.name) ?? text(credential.name),
    types: [...strings(achievement.achievementType), ...strings(achievement.type), ...strings(credential.type)],
    tags: strings(achievement.tag),
    alignments: list(achievement.alignment).filter(isObject).flatMap((a) => strings([a.targetCode, a.targetName, a.targetUrl])),
    credits,
    completedAt: text(credential.validFrom) ?? text(credential.issuanceDate),
    validUntil: text(credential.validUntil) ?? text(credential.expirationDate),
  };
}

/** Whether `email` hashed with `salt` as Open Badges 3.0 defines it gives `hash` (`sha256$` + hex). */
export function emailMatches(email: string, hash: string, salt: string): boolean {
  return hashedEmailIdentity(email, salt).identityHash === hash;
}
