// What the checks of one credential share: the parsed input, the verifier's dependencies, and work done once for all.
import type { DocumentLoader } from '../contexts';
import type { DidResolver } from '../did';
import { resolveRegistry, type RegistryFacts } from './anchor-state';
import type { ChainReader } from './chain-reader';
import type { ParsedCredential } from './input';
import type { VerificationPolicy } from './policy';
import { signatureFacts, type SignatureFacts } from './signature-facts';
import type { StatusListFetcher } from './checks/status-list';

/** The dependencies every check may use; all injected, the clock too. */
export interface CheckDeps {
  readonly loader: DocumentLoader;
  readonly didResolver?: DidResolver;
  /** The registry reader; without one, nothing on chain can be checked (the verdict is then indeterminate). */
  readonly reader?: ChainReader;
  readonly policy: VerificationPolicy;
  readonly now: () => Date;
  /** Gives a status list credential for its URL without touching the network; without one, status lists are unavailable. */
  readonly statusListFetcher?: StatusListFetcher;
}

/** One credential under verification. `signature()` and `registry()` run once, however many checks ask. */
export interface CredentialContext {
  readonly parsed: ParsedCredential;
  readonly deps: CheckDeps;
  signature(): Promise<SignatureFacts>;
  registry(): Promise<RegistryFacts>;
}

/** Builds the context for one parsed credential. */
export function createCredentialContext(parsed: ParsedCredential, deps: CheckDeps): CredentialContext {
  let signature: Promise<SignatureFacts> | undefined;
  let registry: Promise<RegistryFacts> | undefined;
  return {
    parsed,
    deps,
    signature: () => (signature ??= signatureFacts(parsed, deps)),
    registry: () => (registry ??= resolveRegistry(parsed, deps)),
  };
}
