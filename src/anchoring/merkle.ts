// Merkle trees over bytes32 credential leaves, with sorted-pair hashing that OpenZeppelin's MerkleProof accepts.
import { keccak_256 } from '@noble/hashes/sha3';
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
const NODE = 32;

// Leaves are compared as lower-case hex so that a checksum-style or upper-case input finds its path. A leaf already
// in lower case is kept as it is: a million copies would cost more than the whole tree.
function normaliseLeaf(leaf: string): string {
  if (typeof leaf !== 'string' || !BYTES32.test(leaf)) {
    throw new MicrocredError('ERR_INVALID_LEAF', `A Merkle leaf must be 0x followed by 64 hex digits (bytes32), got ${JSON.stringify(leaf)}`);
  }
  return /[A-F]/.test(leaf) ? leaf.toLowerCase() : leaf;
}

// One scratch pair for every hash: no per-node allocation but the 32-byte digest.
const pairScratch = new Uint8Array(2 * NODE);

/** keccak256 of the two 32-byte nodes in ascending byte order, written into `nodes` at `at` (OpenZeppelin's pair hash). */
function hashPair(nodes: Buffer, left: number, right: number, at: number): void {
  const leftFirst = nodes.compare(nodes, right, right + NODE, left, left + NODE) <= 0;
  pairScratch.set(nodes.subarray(leftFirst ? left : right, (leftFirst ? left : right) + NODE), 0);
  pairScratch.set(nodes.subarray(leftFirst ? right : left, (leftFirst ? right : left) + NODE), NODE);
  nodes.set(keccak_256(pairScratch), at);
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The value indices in ascending order of their leaves, ties in input order (a stable sort, as OpenZeppelin's).
 * Sorting a million strings with a comparator takes seconds, so the indices are sorted natively by a float key that
 * packs a prefix of the leaf above the index, and only runs that share that prefix are compared as text.
 */
function sortedOrder(leaves: readonly string[]): Uint32Array {
  const n = leaves.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const prefixBits = Math.min(32, 53 - indexBits); // the key stays an exact integer below 2^53
  const scale = 2 ** indexBits;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = Math.floor(Number.parseInt(leaves[i]!.slice(2, 10), 16) / 2 ** (32 - prefixBits)) * scale + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % scale;
  for (let start = 0; start < n; ) {
    const prefix = Math.floor(keys[start]! / scale);
    let end = start + 1;
    while (end < n && Math.floor(keys[end]! / scale) === prefix) end++;
    if (end - start > 1) order.subarray(start, end).sort((x, y) => byText(leaves[x]!, leaves[y]!) || x - y);
    start = end;
  }
  return order;
}

const hexAt = (nodes: Buffer, index: number): string => `0x${nodes.toString('hex', index * NODE, index * NODE + NODE)}`;

/**
 * Builds the tree for a batch of bytes32 leaves: the same tree as OpenZeppelin's `SimpleMerkleTree.of(leaves)`
 * (leaves sorted, used as they are; pairs hashed sorted; nodes in one array of 2n − 1 with the leaves at the end),
 * held in one flat buffer of 32-byte nodes so a million leaves cost 64 MB, not two million hex strings. Hex is made
 * only for the root and the paths asked for. Throws ERR_EMPTY_BATCH for no leaves and ERR_INVALID_LEAF for a value
 * that is not bytes32.
 */
export function buildTree(leaves: readonly string[]): MerkleBatch {
  if (leaves.length === 0) throw new MicrocredError('ERR_EMPTY_BATCH', 'A Merkle batch needs at least one leaf');
  const normalised = leaves.map(normaliseLeaf);
  const n = normalised.length;
  const size = 2 * n - 1;
  // Lower-case hex of equal length sorts as the bytes do.
  const sorted = sortedOrder(normalised);
  const nodes = Buffer.allocUnsafe(size * NODE);
  const treeIndexOf = new Uint32Array(n);
  sorted.forEach((valueIndex, rank) => {
    const treeIndex = size - 1 - rank;
    treeIndexOf[valueIndex] = treeIndex;
    nodes.write(normalised[valueIndex]!.slice(2), treeIndex * NODE, 'hex');
  });
  for (let i = size - 1 - n; i >= 0; i--) hashPair(nodes, (2 * i + 1) * NODE, (2 * i + 2) * NODE, i * NODE);

  // A value's index: binary search over the sorted order; for a repeated leaf, its last occurrence (as OpenZeppelin).
  const indexOfValue = (value: string): number | undefined => {
    let low = 0;
    let high = n;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (normalised[sorted[mid]!]! <= value) low = mid + 1;
      else high = mid;
    }
    const last = sorted[low - 1];
    return last !== undefined && normalised[last] === value ? last : undefined;
  };

  return {
    root: hexAt(nodes, 0),
    leaves: normalised,
    proof(leaf: string | number): string[] {
      let valueIndex: number | undefined;
      if (typeof leaf === 'number') {
        if (normalised[leaf] === undefined) throw new MicrocredError('ERR_LEAF_NOT_IN_BATCH', `The batch has no leaf at index ${leaf}`);
        valueIndex = leaf;
      } else {
        const value = normaliseLeaf(leaf);
        valueIndex = indexOfValue(value);
        if (valueIndex === undefined) throw new MicrocredError('ERR_LEAF_NOT_IN_BATCH', `The leaf ${value} is not in this batch`);
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
  if (!BYTES32.test(leaf) || !BYTES32.test(root) || !path.every((node) => BYTES32.test(node))) return false;
  const work = Buffer.alloc(3 * NODE);
  // work = [current node | path node | their hash]
  work.write(leaf.slice(2), 0, 'hex');
  for (const node of path) {
    work.write(node.slice(2), NODE, 'hex');
    hashPair(work, 0, NODE, 2 * NODE);
    work.copy(work, 0, 2 * NODE, 3 * NODE);
  }
  // Case-sensitive, as OpenZeppelin's SimpleMerkleTree.verify: roots are compared as the chain returns them.
  return `0x${work.toString('hex', 0, NODE)}` === root;
}
