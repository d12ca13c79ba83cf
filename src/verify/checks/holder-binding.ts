// The holder-binding check: a credential inside a presentation counts as presented by its holder only when its subject is the presenter.
import { checkResult, type CheckResult } from '../result';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The DID part of a DID URL (`did:key:z…#z…` → `did:key:z…`), so a key reference and its DID compare equal. */
function didOf(value: string): string {
  const hash = value.indexOf('#');
  return hash === -1 ? value : value.slice(0, hash);
}

/** The `id`s of a credential's subjects (one subject or an array of them). */
export function subjectIds(credential: Record<string, unknown>): string[] {
  const subject = credential.credentialSubject;
  const list: unknown[] = Array.isArray(subject) ? subject : [subject];
  return list.filter(isObject).map((s) => s.id).filter((id): id is string => typeof id === 'string' && id.length > 0);
}

/** Who presented: the DID whose key made the holder's proof, known only when the presentation check passed. */
export function presenterOf(presentation: CheckResult): string | undefined {
  if (presentation.status !== 'passed') return undefined;
  const controller = presentation.data?.controller;
  return typeof controller === 'string' && controller.length > 0 ? didOf(controller) : undefined;
}

/**
 * HOLDER_BOUND when one of the credential's subject ids is the presenter's DID. Failed HOLDER_MISMATCH when the
 * presenter is known and the subject names other DIDs only: someone else's credential, invalid under every policy.
 * Failed HOLDER_NOT_BOUND when it cannot be bound (no holder proof, or a subject with no DID, such as one known only by
 * a hashed email); `data.challenged` says whether the verifier asked for a challenge or domain, and the policy
 * (`holderBinding`) decides whether that makes the credential invalid or only flags it.
 */
export function holderBindingCheck(credential: Record<string, unknown>, presenter: string | undefined, challenged: boolean): CheckResult {
  const subjects = subjectIds(credential);
  const data = { presenter: presenter ?? null, subjects, challenged };
  if (presenter !== undefined && subjects.some((id) => didOf(id) === presenter)) {
    return checkResult('holder-binding', 'passed', 'HOLDER_BOUND', 'Presented by its holder: the person it was issued to signed this presentation.', data);
  }
  if (presenter !== undefined && subjects.length > 0) {
    return checkResult('holder-binding', 'failed', 'HOLDER_MISMATCH', 'It was issued to someone other than the person who presented it. Do not accept it from them.', data);
  }
  const why =
    presenter === undefined
      ? 'the presentation has no valid holder signature, so nobody proved they are the person it was issued to'
      : 'the credential does not name its holder by a DID (it may identify them only by a hashed email), so it cannot be tied to whoever presented it';
  return checkResult('holder-binding', 'failed', 'HOLDER_NOT_BOUND', `Not shown to be presented by its holder: ${why}.`, data);
}
