// The one word the API and exports use for where a credential stands: pending anchor, anchored, revoked or suspended.
import type { CredentialStatus } from '../store';
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
