// A verifier described as a serialisable spec plus the I/O adapters that stay on the calling thread, so the same
// description builds the single-thread verifier and the verifiers of the worker threads (verifier-pool.ts).
import { createDocumentLoader } from '../contexts';
import type { DidResolver } from '../did';
import type { StatusListFetcher } from './checks';
import type { VerificationPolicy } from './policy';
import { createVerifier, type ChainOption, type ChainSpec, type Verifier, type VerifierOptions } from './verifier';

/** Everything about a verifier that can cross a thread boundary (structured clone): no functions, no sockets. */
export interface VerifierSpec {
  readonly policy?: Partial<VerificationPolicy>;
  /** The registry (its RPC URLs are dialled only by the calling thread). */
  readonly chain?: ChainSpec;
  /** Operator JSON-LD context documents (URL → document) added to the bundled ones. */
  readonly extraDocuments?: Readonly<Record<string, object>>;
  /** Distinct did:web DIDs one verify() call may resolve (default 8). */
  readonly maxDidWebPerVerification?: number;
}

/**
 * The verifier's I/O and clock, kept on the calling thread. Worker threads never get these: they ask the calling thread
 * (DID resolution other than did:key/did:jwk, status lists), so one cache and one egress policy serve every thread.
 */
export interface VerifierAdapters {
  /** Resolves did:web (and other) DIDs; also handed to the document loader for Data Integrity keys. */
  readonly didResolver?: DidResolver;
  readonly statusListFetcher?: StatusListFetcher;
  readonly now?: () => Date;
}

/** A verifier's whole description: what `microcred verify` and the server's runtime both produce. */
export interface VerifierSetup {
  readonly spec: VerifierSpec;
  readonly adapters: VerifierAdapters;
}

/**
 * The options of the verifier a setup describes, with a fresh document loader (one per thread: jsonld and the
 * canonicalisation templates cache per loader). `chain` overrides the spec's registry with a ready reader.
 */
export function verifierOptionsOf(spec: VerifierSpec, adapters: VerifierAdapters, chain?: ChainOption): VerifierOptions {
  const { didResolver, statusListFetcher, now } = adapters;
  const registry = chain ?? spec.chain;
  return {
    loader: createDocumentLoader({ ...(didResolver ? { didResolver } : {}), extraDocuments: { ...spec.extraDocuments } }),
    ...(didResolver ? { didResolver } : {}),
    ...(registry ? { chain: registry } : {}),
    ...(spec.policy ? { policy: spec.policy } : {}),
    ...(now ? { now } : {}),
    ...(statusListFetcher ? { statusListFetcher } : {}),
    ...(spec.maxDidWebPerVerification !== undefined ? { maxDidWebPerVerification: spec.maxDidWebPerVerification } : {}),
  };
}

/** Builds the single-thread verifier a setup describes. */
export function createVerifierFromSpec(spec: VerifierSpec, adapters: VerifierAdapters, chain?: ChainOption): Verifier {
  return createVerifier(verifierOptionsOf(spec, adapters, chain));
}
