// Merkle trees over bytes32 credential leaves, with sorted-pair hashing that OpenZeppelin's MerkleProof accepts.
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree';
import { MicrocredError } from '../errors';

/** A built tree: its root and a path for each leaf. */
export interface MerkleBatch {
  /** The root to anchor (0x-prefixed, 32 bytes, lower-case hex). For a batch of one it is the leaf itself. */
  readonly root: string;
  /** The leaves in the order they were given (normalised to lower-case hex). */
  readonly leaves: readonly string[];
  /** The path from a leaf (given as its hex value or its index in `leaves`) to the root; empty for a batch of one. */
  proof(leaf: string | number): string[];
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

// Leaves are compared as lower-case hex so that a checksum-style or upper-case input finds its path.
function normaliseLeaf(leaf: string): string {
  if (typeof leaf !== 'string' || !BYTES32.test(leaf)) {
    throw new MicrocredError('ERR_INVALID_LEAF', `A Merkle leaf must be 0x followed by 64 hex digits (bytes32), got ${JSON.stringify(leaf)}`);
  }
  return leaf.toLowerCase();
}

/**
 * Builds the tree for a batch of bytes32 leaves with OpenZeppelin's SimpleMerkleTree (leaves used as they are,
 * pairs hashed sorted). Throws ERR_EMPTY_BATCH for no leaves and ERR_INVALID_LEAF for a value that is not bytes32.
 */
export function buildTree(leaves: readonly string[]): MerkleBatch {
  if (leaves.length === 0) throw new MicrocredError('ERR_EMPTY_BATCH', 'A Merkle batch needs at least one leaf');
  const normalised = leaves.map(normaliseLeaf);
  const tree = SimpleMerkleTree.of(normalised);
  const members = new Set(normalised);
  return {
    root: tree.root,
    leaves: normalised,
    proof(leaf: string | number): string[] {
      let value: string;
      if (typeof leaf === 'number') {
        const at = normalised[leaf];
        if (at === undefined) throw new MicrocredError('ERR_LEAF_NOT_IN_BATCH', `The batch has no leaf at index ${leaf}`);
        value = at;
      } else {
        value = normaliseLeaf(leaf);
      }
      // leafLookup throws for an unknown value; turn that into our own error first.
      if (!members.has(value)) {
        throw new MicrocredError('ERR_LEAF_NOT_IN_BATCH', `The leaf ${value} is not in this batch`);
      }
      return tree.getProof(value);
    },
  };
}

/** Checks off-chain, as the contract does, that `path` leads from `leaf` to `root`. Never throws on bad input. */
export function verifyPath(leaf: string, path: readonly string[], root: string): boolean {
  if (!BYTES32.test(leaf) || !BYTES32.test(root) || !path.every((node) => BYTES32.test(node))) return false;
  return SimpleMerkleTree.verify(root, leaf, [...path]);
}
