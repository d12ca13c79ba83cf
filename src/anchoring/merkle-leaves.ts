// Puts a batch's bytes32 leaves into the leaf half of a flat Merkle tree, in OpenZeppelin's order, without hex copies.
import { MicrocredError } from '../errors';
import { NODE_WORDS } from './pair-hash';

/** Bytes in one node. */
export const NODE = 32;

/** Whether `value` is 0x followed by 64 hex digits (either case). A loop, not a regular expression: twice as fast. */
export function isBytes32(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 66 || value.charCodeAt(0) !== 0x30 || value.charCodeAt(1) !== 0x78) return false;
  for (let i = 2; i < 66; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue; // 0-9
    const lower = c | 0x20; // A-F to a-f; nothing else lands in a-f
    if (lower < 0x61 || lower > 0x66) return false;
  }
  return true;
}

// A hex digit's value by character code (either case), -1 for every other code below 128.
const NIBBLE = Int8Array.from({ length: 128 }, (_, code) => '0123456789abcdef'.indexOf(String.fromCharCode(code).toLowerCase()));

/**
 * Writes bytes32 hex `leaf` into `bytes` at `offset` and returns true, or returns false (writing part of it at most)
 * if it is not 0x followed by 64 hex digits. Decoded here rather than by Buffer#write: it validates in the same pass,
 * makes no substring, and Node's hex decoder does not refuse every non-hex character.
 */
export function parseBytes32(leaf: unknown, bytes: Uint8Array, offset: number): boolean {
  if (typeof leaf !== 'string' || leaf.length !== 66 || leaf.charCodeAt(0) !== 0x30 || leaf.charCodeAt(1) !== 0x78) return false;
  for (let i = 2, at = offset; i < 66; i += 2, at++) {
    const high = leaf.charCodeAt(i);
    const low = leaf.charCodeAt(i + 1);
    if (high > 127 || low > 127) return false;
    const h = NIBBLE[high]!;
    const l = NIBBLE[low]!;
    if ((h | l) < 0) return false;
    bytes[at] = (h << 4) | l;
  }
  return true;
}

/** Throws ERR_INVALID_LEAF unless `leaf` is bytes32 hex. */
export function assertLeaf(leaf: unknown): asserts leaf is string {
  if (!isBytes32(leaf)) {
    throw new MicrocredError('ERR_INVALID_LEAF', `A Merkle leaf must be 0x followed by 64 hex digits (bytes32), got ${JSON.stringify(leaf)}`);
  }
}

/**
 * The value indices in ascending byte order of their leaves, ties in input order (a stable sort, as OpenZeppelin's),
 * for leaves stored at nodes `first`, `first + 1`, … of `nodes`. A comparator sort of a million values takes seconds,
 * so the indices are sorted natively by a float key that packs the leaf's first bytes above the index, and only runs
 * that share those bytes are compared in full.
 */
function sortedOrder(nodes: Buffer, first: number, n: number): Uint32Array {
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const prefixBits = Math.min(32, 53 - indexBits); // the key stays an exact integer below 2^53
  const scale = 2 ** indexBits;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = Math.floor(nodes.readUInt32BE((first + i) * NODE) / 2 ** (32 - prefixBits)) * scale + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % scale;
  // buf.compare(target, targetStart, targetEnd, sourceStart, sourceEnd) orders the source range against the target's.
  const byBytes = (x: number, y: number): number =>
    nodes.compare(nodes, (first + y) * NODE, (first + y + 1) * NODE, (first + x) * NODE, (first + x + 1) * NODE) || x - y;
  for (let start = 0; start < n; ) {
    const prefix = Math.floor(keys[start]! / scale);
    let end = start + 1;
    while (end < n && Math.floor(keys[end]! / scale) === prefix) end++;
    if (end - start > 1) order.subarray(start, end).sort(byBytes);
    start = end;
  }
  return order;
}

/** Where each leaf went: value index by rank, and tree index by value index. */
export interface LeafPlacement {
  /** `sorted[rank]` is the input index of the leaf with that rank (ascending bytes, ties in input order). */
  readonly sorted: Uint32Array;
  /** `treeIndexOf[valueIndex]` is the node that holds input leaf `valueIndex`. */
  readonly treeIndexOf: Uint32Array;
}

/**
 * Writes `leaves` into the last n nodes of a tree of `2n − 1` nodes as OpenZeppelin's SimpleMerkleTree lays them out:
 * the leaf of rank r (ascending bytes) at node `2n − 2 − r`. They are parsed once, in input order, into those nodes,
 * sorted by their bytes, then moved to their places along the permutation's cycles, so no second copy is made.
 * Throws ERR_INVALID_LEAF for a value that is not bytes32.
 */
export function placeLeaves(leaves: readonly string[], nodes: Buffer, words: Uint32Array): LeafPlacement {
  const n = leaves.length;
  const first = n - 1;
  const last = 2 * n - 2;
  for (let i = 0; i < n; i++) {
    if (!parseBytes32(leaves[i], nodes, (first + i) * NODE)) assertLeaf(leaves[i]);
  }
  const sorted = sortedOrder(nodes, first, n);
  const treeIndexOf = new Uint32Array(n);
  for (let rank = 0; rank < n; rank++) treeIndexOf[sorted[rank]!] = last - rank;

  // Node p must receive input leaf sorted[last − p], which sits at node first + sorted[last − p]. Follow each cycle
  // once, holding the cycle's first node aside; word by word, as a native copy call costs more than 32 bytes do.
  const held = new Uint32Array(NODE_WORDS);
  const placed = new Uint8Array(n);
  const copy = (target: Uint32Array, to: number, source: Uint32Array, from: number): void => {
    for (let k = 0; k < NODE_WORDS; k++) target[to + k] = source[from + k]!;
  };
  for (let start = first; start <= last; start++) {
    if (placed[start - first] === 1) continue;
    copy(held, 0, words, start * NODE_WORDS);
    let to = start;
    for (;;) {
      placed[to - first] = 1;
      const from = first + sorted[last - to]!;
      if (from === start) {
        copy(words, to * NODE_WORDS, held, 0);
        break;
      }
      copy(words, to * NODE_WORDS, words, from * NODE_WORDS);
      to = from;
    }
  }
  return { sorted, treeIndexOf };
}
