// Proof chains on jsonld-signatures suites: jsonld-signatures 11 leaves its ProofChain class empty, so a chained proof is
// created and verified by the same suite over the document whose `proof` holds the earlier proofs it names (Data
// Integrity 1.0 § 4.2 "Add Proof" and § 4.5 "Verify Proof Sets and Chains"); canonicalisation stays the suite's own.
import type { Suite } from './digitalbazaar';

/** The two suite calls that see the document being signed or verified. */
interface ProofCalls {
  createProof(call: { document: Record<string, unknown> }): Promise<unknown>;
  verifyProof(call: { document: Record<string, unknown> }): Promise<unknown>;
}

/**
 * A view of `suite` that signs and verifies over the document with `proof` set to `previous` (the proofs a
 * `previousProof` names); jsonld-signatures removes `proof` before it calls the suite, so the view puts them back.
 * The suite itself is not changed; the view inherits its key, cryptosuite and methods.
 */
export function overPreviousProofs(suite: Suite, previous: readonly unknown[]): Suite {
  const inner = suite as unknown as ProofCalls;
  const view = Object.create(suite) as ProofCalls;
  const withPrevious = <T extends { document: Record<string, unknown> }>(call: T): T => ({ ...call, document: { ...call.document, proof: [...previous] } });
  // `this` stays the view, so the suite's per-document hash cache is the view's own and never mixes documents.
  view.createProof = (call) => inner.createProof.call(view, withPrevious(call));
  view.verifyProof = (call) => inner.verifyProof.call(view, withPrevious(call));
  return view as unknown as Suite;
}
