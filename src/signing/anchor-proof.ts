// Recognises the Merkle anchor proof that anchoring adds beside the signature in a Data Integrity `proof` set.

/** Cryptosuite name of microcred's anchor proof; signature verification skips proofs with it. */
export const ANCHOR_CRYPTOSUITE = 'microcred-merkle-anchor-2026';

/** True for a proof object that is a microcred anchor proof (not a signature). */
export function isAnchorProof(proof: unknown): boolean {
  return typeof proof === 'object' && proof !== null && (proof as { cryptosuite?: unknown }).cryptosuite === ANCHOR_CRYPTOSUITE;
}

/** The proofs of a credential as an array (`proof` may be one object or a set). */
export function proofsOf(credential: Record<string, unknown>): unknown[] {
  const { proof } = credential;
  if (proof === undefined || proof === null) return [];
  return Array.isArray(proof) ? proof : [proof];
}
