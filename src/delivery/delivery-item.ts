// What one delivery sends: the anchored credential with its learner and achievement, read from the store at send time.
import { anchoredCredential } from '../anchoring';
import { MicrocredError } from '../errors';
import type { CredentialStatus, DeliveryStore } from '../store';
import { certificateFacts } from './certificate-facts';

/** One credential as the webhook and the email present it. */
export interface DeliveryItem {
  readonly credentialId: string;
  /** The anchored form: a Data Integrity credential with its anchor proof, or the VC-JOSE envelope. */
  readonly anchored: Record<string, unknown>;
  readonly status: CredentialStatus;
  readonly institution: string;
  readonly achievement: string;
  /** False for a generic (non Open Badges) credential: it gets no PDF certificate. */
  readonly printable: boolean;
  /** From the learners table (null once erased). */
  readonly learner: { readonly name: string | null; readonly email: string | null };
}

/**
 * Reads the credential and its learner now (not when the job was queued), so an erased learner gets no email and
 * the webhook carries the current status. ERR_CREDENTIAL_NOT_FOUND, or ERR_BATCH_STATE when it has no anchor proof.
 */
export function loadDeliveryItem(store: Pick<DeliveryStore, 'getCredential' | 'getLearner'>, credentialId: string): DeliveryItem {
  const row = store.getCredential(credentialId);
  if (row === null) throw new MicrocredError('ERR_CREDENTIAL_NOT_FOUND', `No credential ${credentialId} was issued here.`, { details: { credentialId } });
  // A batch put back to sealed (a reorganisation, a restarted development chain) carries a stale proof until it is
  // anchored again: wait for that (the job is retried) rather than send a proof that no longer verifies.
  const anchored = row.batchState === 'anchored' ? anchoredCredential(row) : null;
  if (anchored === null) {
    throw new MicrocredError('ERR_BATCH_STATE', `Credential ${credentialId} has no anchor proof yet; it is delivered once its batch is anchored.`, { details: { credentialId } });
  }
  const facts = factsOf(anchored);
  const learner = row.learnerId === null ? null : store.getLearner(row.learnerId);
  return {
    credentialId,
    anchored,
    status: row.status,
    institution: facts.institution,
    achievement: facts.achievement,
    printable: facts.printable,
    learner: { name: learner?.name ?? facts.learnerName ?? null, email: learner?.email ?? null },
  };
}

/** The certificate facts, or neutral words for a generic credential without an achievement. */
function factsOf(anchored: Record<string, unknown>): { institution: string; achievement: string; learnerName?: string; printable: boolean } {
  try {
    return { ...certificateFacts(anchored), printable: true };
  } catch {
    return { institution: 'The issuer', achievement: 'a credential', printable: false };
  }
}
