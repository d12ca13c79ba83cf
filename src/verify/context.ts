// What the checks of one credential share: the parsed input, the verifier's dependencies, and work done once for all.
import type { DocumentLoader } from '../contexts';
import type { DidResolver } from '../did';
import { resolveAnchor, type AnchorState } from './anchor-state';
import type { ChainReader } from './chain-reader';
import type { ParsedCredential } from './input';
import type { VerificationPolicy } from './policy';
import { signatureFacts, type SignatureFacts } from './signature-facts';
import type { StatusListFetcher } from './checks/status-list';

/** The dependencies every check may use; all injected, the clock too. */
export interface CheckDeps {
  readonly loader: DocumentLoader;
  readonly didResolver?: DidResolver;
  /** The registry reader; without one, anchors cannot be checked (ANCHOR_NO_READER). */
  readonly reader?: ChainReader;
  readonly policy: VerificationPolicy;
  readonly now: () => Date;
  /** Gives a status list credential for its URL without touching the network; without one, status lists are unavailable. */
  readonly statusListFetcher?: StatusListFetcher;
}

/** One credential under verification. `signature()` and `anchor()` run once, however many checks ask. */
export interface CredentialContext {
  readonly parsed: ParsedCredential;
  readonly deps: CheckDeps;
  signature(): Promise<SignatureFacts>;
  anchor(): Promise<AnchorState>;
}

/** Builds the context for one parsed credential. */
export function createCredentialContext(parsed: ParsedCredential, deps: CheckDeps): CredentialContext {
  let signature: Promise<SignatureFacts> | undefined;
  let anchor: Promise<AnchorState> | undefined;
  return {
    parsed,
    deps,
    signature: () => (signature ??= signatureFacts(parsed, deps)),
    anchor: () => (anchor ??= resolveAnchor(parsed, deps)),
  };
}
