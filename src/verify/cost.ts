// Caps what one Data Integrity credential may make the verifier do: JSON-LD expansion and signature work grow with it.
import { isAnchorProof, proofsOf } from '../signing';
import type { ParseFailure } from './input';

/** Most signature proofs verified on one credential (each costs a full canonicalisation); anchor proofs not counted. */
export const MAX_SIGNATURE_PROOFS = 4;
/** Most JSON values in one Data Integrity credential; an Open Badges credential has about a hundred. */
export const MAX_CREDENTIAL_VALUES = 5_000;
/** Most `@context` entries (each one is processed, scoped contexts copied, before any signature is checked). */
export const MAX_CONTEXTS = 16;

function countValues(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop();
    count += 1;
    if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) stack.push(child);
  }
  return count;
}

/**
 * PARSE_TOO_COSTLY when `credential` would cost far more than any real credential to verify (docs/security.md H4):
 * too many signature proofs, JSON values or contexts. Undefined when it is within the caps.
 */
export function costProblem(credential: Record<string, unknown>): ParseFailure | undefined {
  const tooCostly = (message: string): ParseFailure => ({ kind: 'unknown', code: 'PARSE_TOO_COSTLY', message });
  const signatures = proofsOf(credential).filter((p) => !isAnchorProof(p)).length;
  if (signatures > MAX_SIGNATURE_PROOFS) return tooCostly(`The credential carries ${signatures} signature proofs; at most ${MAX_SIGNATURE_PROOFS} are verified.`);
  const contexts = credential['@context'];
  if (Array.isArray(contexts) && contexts.length > MAX_CONTEXTS) return tooCostly(`The credential lists ${contexts.length} contexts; at most ${MAX_CONTEXTS} are accepted.`);
  const { proof: _proof, ...content } = credential;
  if (countValues(content, MAX_CREDENTIAL_VALUES) > MAX_CREDENTIAL_VALUES) return tooCostly(`The credential has more than ${MAX_CREDENTIAL_VALUES} values; no real credential is that large.`);
  return undefined;
}
