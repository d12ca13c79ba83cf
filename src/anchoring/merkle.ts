// Merkle trees over bytes32 credential leaves, with sorted-pair hashing that OpenZeppelin's MerkleProof accepts.
import { MicrocredError } from '../errors';
import { assertLeaf, isBytes32, NODE, placeLeaves } from './merkle-leaves';
import { hashSortedPair, NODE_WORDS } from './pair-hash';

/** A built tree: its root and a path for each leaf. */
export interface MerkleBatch {
  /** The root to anchor (0x-prefixed, 32 bytes, lower-case hex). For a batch of one it is the leaf itself. */
  readonly root: string;
  /** The leaves in the order they were given (normalised to lower-case hex; made from the tree on first use). */
  readonly leaves: readonly string[];
  /** The path from a leaf (given as its hex value or its index in `leaves`) to the root; empty for a batch of one. */
  proof(leaf: string | number): string[];
}

const hexAt = (nodes: Buffer, index: number): string => `0x${nodes.toString('hex', index * NODE, index * NODE + NODE)}`;

/**
 * Builds the tree for a batch of bytes32 leaves: the same tree as OpenZeppelin's `SimpleMerkleTree.of(leaves)`
 * (leaves sorted, used as they are; pairs hashed sorted; nodes in one array of 2n − 1 with the leaves at the end),
 * held in one flat buffer of 32-byte nodes so a million leaves cost 64 MB, not two million hex strings. Hex is made
 * only for the root, the paths asked for and `leaves` if read. Throws ERR_EMPTY_BATCH for no leaves and
 * ERR_INVALID_LEAF for a value that is not bytes32.
 */
export function buildTree(leaves: readonly string[]): MerkleBatch {
  if (leaves.length === 0) throw new MicrocredError('ERR_EMPTY_BATCH', 'A Merkle batch needs at least one leaf');
  const n = leaves.length;
  const size = 2 * n - 1;
  // Nodes as words for hashing and as bytes (the same memory) for hex in and out.
  const words = new Uint32Array(size * NODE_WORDS);
  const nodes = Buffer.from(words.buffer);
  const { sorted, treeIndexOf } = placeLeaves(leaves, nodes, words);
  for (let i = size - 1 - n; i >= 0; i--) hashSortedPair(words, 2 * i + 1, 2 * i + 2, i);

  // A value's index: binary search over the leaves' ranks (node 2n − 2 − rank); for a repeated leaf, its last
  // occurrence in input order (the highest rank among equals), as OpenZeppelin.
  const wanted = Buffer.alloc(NODE);
  const indexOfValue = (value: string): number | undefined => {
    wanted.write(value.slice(2), 0, NODE, 'hex');
    const compareToRank = (rank: number): number => wanted.compare(nodes, (size - 1 - rank) * NODE, (size - rank) * NODE);
    let low = 0;
    let high = n;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareToRank(mid) >= 0) low = mid + 1;
      else high = mid;
    }
    return low > 0 && compareToRank(low - 1) === 0 ? sorted[low - 1] : undefined;
  };

  let inputOrder: string[] | undefined;
  return {
    root: hexAt(nodes, 0),
    get leaves(): readonly string[] {
      inputOrder ??= Array.from(treeIndexOf, (treeIndex) => hexAt(nodes, treeIndex));
      return inputOrder;
    },
    proof(leaf: string | number): string[] {
      let valueIndex: number | undefined;
      if (typeof leaf === 'number') {
        if (!Number.isInteger(leaf) || leaf < 0 || leaf >= n) throw new MicrocredError('ERR_LEAF_NOT_IN_BATCH', `The batch has no leaf at index ${leaf}`);
        valueIndex = leaf;
      } else {
        assertLeaf(leaf);
        valueIndex = indexOfValue(leaf);
        if (valueIndex === undefined) throw new MicrocredError('ERR_LEAF_NOT_IN_BATCH', `The leaf ${leaf.toLowerCase()} is not in this batch`);
      }
      const path: string[] = [];
      for (let index = treeIndexOf[valueIndex]!; index > 0; index = (index - 1) >> 1) {
        path.push(hexAt(nodes, index % 2 === 1 ? index + 1 : index - 1));
      }
      return path;
    },
  };
}

/** Checks off-chain, as the contract does, that `path` leads from `leaf` to `root`. Never throws on bad input. */
export function verifyPath(leaf: string, path: readonly string[], root: string): boolean {
  if (!isBytes32(leaf) || !isBytes32(root) || !path.every((node) => isBytes32(node))) return false;
  // work = [current node | path node]; their hash replaces the current node.
  const words = new Uint32Array(2 * NODE_WORDS);
  const work = Buffer.from(words.buffer);
  work.write(leaf.slice(2), 0, 'hex');
  for (const node of path) {
    work.write(node.slice(2), NODE, 'hex');
    hashSortedPair(words, 0, 1, 0);
  }
  // Case-sensitive, as OpenZeppelin's SimpleMerkleTree.verify: roots are compared as the chain returns them.
  return `0x${work.toString('hex', 0, NODE)}` === root;
}
