// The one word the API and exports use for where a credential stands: pending anchor, anchored, revoked or suspended.
import type { CredentialRow, CredentialStatus } from '../store';
import type { AnchorState } from './types';

/** A credential's state as a learner or an LMS sees it; the issuer's status decision wins over the anchoring state. */
export type CredentialState = 'pending_anchor' | 'anchored' | 'revoked' | 'suspended';

/** Every state, for schemas and help text. */
export const CREDENTIAL_STATES: readonly CredentialState[] = ['pending_anchor', 'anchored', 'revoked', 'suspended'];

/** The state of a credential from its status and anchoring state (a batch parked as failed is still pending anchor). */
export function credentialStateOf(status: CredentialStatus, anchorState: AnchorState): CredentialState {
  if (status === 'revoked' || status === 'suspended') return status;
  return anchorState === 'anchored' ? 'anchored' : 'pending_anchor';
}

/** Where a stored credential's anchoring stands: anchored only once its batch is and its anchor proof is stored. */
export function anchorStateOf(row: Pick<CredentialRow, 'batchState' | 'anchorProof'>): AnchorState {
  if (row.batchState === 'anchored' && row.anchorProof !== null) return 'anchored';
  return row.batchState === 'failed' ? 'failed' : 'pending';
}
