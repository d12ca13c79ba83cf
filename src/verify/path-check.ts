// Merkle path checks for bulk verification: the same sorted-pair keccak as anchoring's verifyPath, with each inner
// node's hash kept, so credentials of one batch share the upper levels (about one hash a credential instead of ~log n).
import { createKeccakHash } from '../anchoring';

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** Most inner nodes kept; past it the memo starts over. 64 hex keys + value: about 25 MB at the cap. */
export const PATH_MEMO_MAX = 100_000;

/** A verifyPath with a memo of inner nodes. */
export type PathCheck = (leaf: string, path: readonly string[], root: string) => boolean;

/**
 * Makes a checker that answers exactly as `verifyPath` of src/anchoring (tests/verify/path-check.test.ts compares them):
 * false for anything not 0x + 64 hex, pairs hashed smaller first, the computed root (lower-case) compared
 * case-sensitively with `root`.
 */
export function createPathCheck(max = PATH_MEMO_MAX): PathCheck {
  // Keyed by the pair (smaller first, 128 lower-case hex), the hash of a pair never changes.
  const parents = new Map<string, string>();
  return (leaf, path, root) => {
    if (!BYTES32.test(leaf) || !BYTES32.test(root) || !path.every((node) => BYTES32.test(node))) return false;
    let current = leaf.slice(2).toLowerCase();
    for (const node of path) {
      const sibling = node.slice(2).toLowerCase();
      const pair = current <= sibling ? current + sibling : sibling + current;
      let parent = parents.get(pair);
      if (parent === undefined) {
        parent = createKeccakHash('keccak256').update(Buffer.from(pair, 'hex')).digest('hex');
        if (parents.size >= max) parents.clear();
        parents.set(pair, parent);
      }
      current = parent;
    }
    return `0x${current}` === root;
  };
}
