// The completion record behind an issued Open Badge, so an issued credential can be offered again to a wallet.
import { decodeJwt } from 'jose';
import { MicrocredError } from '../errors';
import type { CredentialRow, LearnerRow } from '../store';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Drops undefined members, so the strict record schema sees only what the credential holds. */
function defined(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/**
 * The record buildCredential would turn into this credential's content: module, dates, result, and the learner (email
 * and name from the learners table; the credential itself holds only a salted hash). The wallet's credential is a new
 * credential with the same content, bound to the wallet's DID. ERR_OFFER_REFUSED for a revoked or suspended credential,
 * or one whose learner was erased and that names no holder DID.
 */
export function recordOfCredential(row: CredentialRow, learner: LearnerRow | null): Json {
  if (row.status !== 'active') {
    throw new MicrocredError('ERR_OFFER_REFUSED', `Credential ${row.id} is ${row.status}; only an active credential can be offered to a wallet.`, { details: { credentialId: row.id, status: row.status } });
  }
  const credential = row.format === 'jose' ? (decodeJwt(row.document) as Json) : (JSON.parse(row.document) as Json);
  const subject = asObject(credential.credentialSubject);
  const achievement = asObject(subject.achievement);
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier.map(asObject) : [];
  const name = learner?.name ?? text(identifiers.find((i) => i.identityType === 'name' && i.hashed === false)?.identityHash);
  const email = learner?.email ?? undefined;
  const did = text(subject.id);
  if (email === undefined && did === undefined) {
    throw new MicrocredError('ERR_OFFER_REFUSED', `The learner of credential ${row.id} was erased; offer it from a completion record instead.`, { details: { credentialId: row.id } });
  }
  const result = Array.isArray(subject.result) ? asObject(subject.result[0]) : undefined;
  return defined({
    learner: defined({ email, did: email === undefined ? did : undefined, name }),
    module: defined({
      id: text(achievement.id),
      name: text(achievement.name),
      description: text(achievement.description),
      criteria: text(asObject(achievement.criteria).narrative),
      image: text(asObject(achievement.image).id),
      credits: typeof achievement.creditsAvailable === 'number' ? achievement.creditsAvailable : undefined,
    }),
    completedAt: text(credential.validFrom),
    expiresAt: text(credential.validUntil),
    result: result === undefined ? undefined : defined({ status: text(result.status), value: text(result.value) }),
  });
}
