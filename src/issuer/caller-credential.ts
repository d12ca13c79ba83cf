// Checks a credential a VC-API caller asks us to sign: our issuer, Open Badges shape, no proof, no plain email.
import { randomUUID as cryptoRandomUUID } from 'node:crypto';
import { VC_V2_CONTEXT } from '../contexts';
import { xsdDateTime } from '../credential';
import { MicrocredError } from '../errors';
import type { IssuerKeyring } from '../signing';
import { isObject } from '../json';
import { callerCredentialRefusals } from './caller-refusals';

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

import { checkGenericCredential, dataModelIssues, type CredentialIssue } from './generic-credential';

export type { CredentialIssue };

/** The caller's credential ready to sign, with what the store needs to index it. */
export interface AcceptedCredential {
  credential: Record<string, unknown>;
  moduleId: string;
  learnerRef: string;
}

function invalid(issues: CredentialIssue[]): MicrocredError {
  return new MicrocredError('ERR_INVALID_CREDENTIAL', `The credential cannot be issued: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`, {
    details: { issues },
  });
}

/**
 * Accepts a caller-supplied unsigned credential. A credential whose type names neither OpenBadgeCredential nor
 * AchievementCredential is generic (see generic-credential.ts). Open Badges rules (docs/api.md): VC 2.0 context first; types VerifiableCredential
 * and OpenBadgeCredential; issuer is our DID (a string DID is replaced by our full Profile); no proof; `id`, when given,
 * a urn:uuid (added when missing); `validFrom` added (now) when missing; credentialSubject.achievement.id present;
 * the subject named by a DID or a hashed identifier, never a plain email. Throws ERR_INVALID_CREDENTIAL listing every issue.
 */
export function acceptCallerCredential(input: unknown, keyring: IssuerKeyring, now: () => Date, randomUUID: () => string = cryptoRandomUUID): AcceptedCredential {
  if (!isObject(input)) throw invalid([{ field: 'credential', message: 'must be a JSON object' }]);
  const issues: CredentialIssue[] = [];
  const credential: Record<string, unknown> = structuredClone(input);
  // Anything that does not say it is an Open Badge is a generic VC DM 2.0 (or 1.1) credential.
  if (!asArray(credential.type).some((t) => t === 'OpenBadgeCredential' || t === 'AchievementCredential')) {
    const generic = checkGenericCredential(credential, keyring, now, randomUUID);
    if (generic.issues.length > 0) throw invalid(generic.issues);
    return { credential, moduleId: generic.moduleId, learnerRef: generic.learnerRef };
  }
  const contexts = asArray(credential['@context']);
  if (contexts[0] !== VC_V2_CONTEXT) issues.push({ field: '@context', message: `must start with ${VC_V2_CONTEXT}` });
  const types = asArray(credential.type);
  for (const t of ['VerifiableCredential', 'OpenBadgeCredential']) if (!types.includes(t)) issues.push({ field: 'type', message: `must include ${t}` });
  if ('proof' in credential) issues.push({ field: 'proof', message: 'must be absent: send the unsigned credential' });

  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : isObject(credential.issuer) ? credential.issuer.id : undefined;
  if (issuerId !== keyring.did) issues.push({ field: 'issuer', message: `must be this service's issuer ${keyring.did}` });
  else {
    issues.push(...callerCredentialRefusals(credential, keyring));
    if (typeof credential.issuer === 'string') credential.issuer = { ...keyring.profile };
  }

  if (credential.id === undefined) credential.id = `urn:uuid:${randomUUID()}`;
  else if (typeof credential.id !== 'string' || !UUID_URN.test(credential.id)) issues.push({ field: 'id', message: 'must be a urn:uuid (or left out)' });
  if (credential.validFrom === undefined) credential.validFrom = xsdDateTime(now());

  const subject = credential.credentialSubject;
  let moduleId = '';
  let learnerRef = '';
  if (!isObject(subject)) {
    issues.push({ field: 'credentialSubject', message: 'must be one AchievementSubject object' });
  } else {
    const achievement = subject.achievement;
    if (!isObject(achievement) || typeof achievement.id !== 'string' || achievement.id === '') {
      issues.push({ field: 'credentialSubject.achievement.id', message: 'is required' });
    } else {
      moduleId = achievement.id;
    }
    const identifiers = asArray(subject.identifier).filter(isObject);
    if (identifiers.some((i) => i.identityType === 'emailAddress' && i.hashed !== true)) {
      issues.push({ field: 'credentialSubject.identifier', message: 'must not carry a plain email: hash it (hashed: true, with a salt)' });
    }
    const hashed = identifiers.find((i) => i.hashed === true && typeof i.identityHash === 'string');
    if (typeof subject.id === 'string' && subject.id !== '') learnerRef = subject.id;
    else if (hashed !== undefined) learnerRef = hashed.identityHash as string;
    else issues.push({ field: 'credentialSubject', message: 'needs an id (holder DID) or a hashed identifier' });
  }
  if (issues.length === 0) issues.push(...dataModelIssues(credential));
  if (issues.length > 0) throw invalid(issues);
  return { credential, moduleId, learnerRef };
}
