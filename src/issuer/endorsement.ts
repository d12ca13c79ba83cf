// Open Badges 3.0 EndorsementCredentials: what an accrediting body signs about a module, and what a module accepts.
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../contexts';
import { xsdDateTime } from '../credential';
import { MicrocredError } from '../errors';
import { isObject } from '../json';
import type { IssuerProfile } from '../signing';

/** What an accrediting body says about one module (its achievement id). */
export interface EndorsementInput {
  /** The endorsed achievement's id (the module id in the issuer's catalog). */
  achievementId: string;
  /** The endorsement's words, e.g. "Accredited for 6 CPD credits by the Royal College". */
  comment: string;
  /** The accreditation starts (default: now) and, optionally, lapses. */
  validFrom?: Date;
  validUntil?: Date;
}

/** Builds the unsigned EndorsementCredential of `endorser` (the accrediting body's profile); pure. */
export function buildEndorsement(input: EndorsementInput, endorser: IssuerProfile, now: () => Date): Record<string, unknown> {
  const credential: Record<string, unknown> = {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    type: ['VerifiableCredential', 'EndorsementCredential'],
    name: `Endorsement by ${endorser.name}`,
    issuer: { id: endorser.id, type: ['Profile'], name: endorser.name, url: endorser.url },
    validFrom: xsdDateTime(input.validFrom ?? now()),
    credentialSubject: { id: input.achievementId, type: ['EndorsementSubject'], endorsementComment: input.comment },
  };
  if (input.validUntil !== undefined) credential.validUntil = xsdDateTime(input.validUntil);
  return credential;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The endorser DID of an EndorsementCredential object, or undefined. */
export function endorserOf(document: Record<string, unknown>): string | undefined {
  const issuer = document.issuer;
  const id = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Checks that `document` can be attached to module `moduleId`: a signed (Data Integrity) EndorsementCredential whose
 * subject is the module. Whether it verifies is the verifier's question, asked every time a credential is checked.
 * Throws ERR_ENDORSEMENT_INVALID naming what is wrong; returns its id and endorser.
 */
export function checkEndorsementFor(moduleId: string, document: unknown): { endorsementId: string; endorser: string; document: Record<string, unknown> } {
  const problems: string[] = [];
  if (!isObject(document)) throw new MicrocredError('ERR_ENDORSEMENT_INVALID', 'The endorsement must be a JSON object: the signed EndorsementCredential file as `microcred endorse` wrote it.');
  if (!list(document.type).includes('EndorsementCredential')) problems.push('its type must include EndorsementCredential');
  const subject = list(document.credentialSubject).find(isObject);
  if (subject === undefined || subject.id !== moduleId) problems.push(`its credentialSubject.id must be the module id ${moduleId}`);
  if (typeof document.id !== 'string' || document.id === '') problems.push('it needs an id');
  const endorser = endorserOf(document);
  if (endorser === undefined) problems.push('it needs an issuer DID');
  if (list(document.proof).filter(isObject).length === 0) problems.push('it must be signed (a Data Integrity proof); a VC-JOSE endorsement cannot be embedded');
  if (problems.length > 0) {
    throw new MicrocredError('ERR_ENDORSEMENT_INVALID', `The endorsement cannot be attached to ${moduleId}: ${problems.join('; ')}.`, { details: { moduleId, problems } });
  }
  return { endorsementId: document.id as string, endorser: endorser as string, document };
}
