// Proof sets and proof chains (Data Integrity 1.0 § 2.1.2): which earlier proofs each proof's previousProof names, checked before any signature.
import { isObject } from '../json';

/** One proof with the earlier proofs its `previousProof` names (empty for a member of a plain proof set). */
export interface ChainLink {
  proof: Record<string, unknown>;
  previous: Record<string, unknown>[];
}

/** The chain read from a proof set, or the first reason it is not a well-formed set or chain. */
export type ProofChain = { links: ChainLink[] } | { problem: string };

function previousIds(proof: Record<string, unknown>): string[] | undefined {
  const { previousProof } = proof;
  if (previousProof === undefined) return [];
  if (typeof previousProof === 'string' && previousProof !== '') return [previousProof];
  if (Array.isArray(previousProof) && previousProof.length > 0 && previousProof.every((id) => typeof id === 'string' && id !== '')) return previousProof as string[];
  return undefined;
}

/** The id path of a loop through `previousProof`, starting at `start`, or undefined when none leads back to it. */
function loopFrom(start: string, edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  // Depth-first over ids, bounded by the number of proofs: each id is expanded at most once.
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | undefined => {
    for (const next of edges.get(id) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/**
 * Links each of `signatureProofs` to the proofs its `previousProof` names among `allProofs` (the whole `proof` value,
 * anchor proofs included). A problem when a previousProof is not an id or a list of ids, names no proof of the set
 * (an earlier proof was removed or the id changed), two proofs share the id it names, or the chain loops back.
 */
export function readProofChain(signatureProofs: readonly Record<string, unknown>[], allProofs: readonly unknown[]): ProofChain {
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const proof of allProofs) {
    if (isObject(proof) && typeof proof.id === 'string') byId.set(proof.id, [...(byId.get(proof.id) ?? []), proof]);
  }
  const edges = new Map<string, string[]>();
  const links: ChainLink[] = [];
  for (const proof of signatureProofs) {
    const ids = previousIds(proof);
    if (ids === undefined) return { problem: 'previousProof must be the id of an earlier proof or a list of such ids.' };
    const previous: Record<string, unknown>[] = [];
    for (const id of ids) {
      const matches = byId.get(id) ?? [];
      if (matches.length === 0) return { problem: `previousProof "${id.slice(0, 80)}" names no proof of this credential: the earlier proof was removed or the id was changed.` };
      if (matches.length > 1) return { problem: `Two proofs share the id "${id.slice(0, 80)}", so previousProof cannot say which one it follows.` };
      previous.push(matches[0]!);
    }
    if (typeof proof.id === 'string') edges.set(proof.id, ids);
    links.push({ proof, previous });
  }
  for (const id of edges.keys()) {
    const loop = loopFrom(id, edges);
    if (loop) return { problem: `The proof chain loops back on itself (${loop.map((step) => `"${step.slice(0, 40)}"`).join(' → ')}); a proof can only follow proofs made before it.` };
  }
  return { links };
}
