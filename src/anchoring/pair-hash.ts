// The sorted-pair keccak256 of two Merkle nodes held in a flat word array, computed in place without allocating.
import { keccak_256 } from '@noble/hashes/sha3';
import { p1600 } from 'keccak/lib/keccak-state-unroll.js';

/** 32-bit words in one 32-byte node. */
export const NODE_WORDS = 8;

// keccak256 absorbs 136 bytes (34 words) a block; a pair is 64 bytes, so one block: the pair, the pad byte 0x01 right
// after it and 0x80 in the block's last byte (Keccak's pad10*1, not SHA-3's 0x06), then one permutation.
const PAIR_WORDS = 2 * NODE_WORDS;
const LAST_RATE_WORD = 33;
const state = new Uint32Array(50);

// The permutation reads lanes as little-endian words; on a big-endian host the words of a Uint32Array view are not
// those, so such a host hashes a copy of the bytes with the (slower) streaming keccak_256 instead.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// A little-endian word's bytes in reading order, so that unsigned word comparison is byte comparison.
const byteOrder = (word: number): number =>
  LITTLE_ENDIAN ? (((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24)) >>> 0 : word;

/** Whether node `a` sorts at or before node `b` as bytes (node indices into `nodes`). */
function atOrBefore(nodes: Uint32Array, a: number, b: number): boolean {
  for (let k = 0, i = a * NODE_WORDS, j = b * NODE_WORDS; k < NODE_WORDS; k++, i++, j++) {
    const x = nodes[i]!;
    const y = nodes[j]!;
    if (x !== y) return byteOrder(x) < byteOrder(y);
  }
  return true;
}

/**
 * Writes into node `at` the keccak256 of nodes `left` and `right` in ascending byte order (OpenZeppelin's commutative
 * pair hash, `Hashes.commutativeKeccak256`). All three are node indices into `nodes`, 8 words per node; `at` may be
 * one of the two. Allocates nothing: one reused sponge state and the keccak package's Keccak-f[1600] permutation.
 */
export function hashSortedPair(nodes: Uint32Array, left: number, right: number, at: number): void {
  const first = (atOrBefore(nodes, left, right) ? left : right) * NODE_WORDS;
  const second = (first === left * NODE_WORDS ? right : left) * NODE_WORDS;
  if (!LITTLE_ENDIAN) {
    hashPairBytes(nodes, first, second, at);
    return;
  }
  for (let k = 0; k < NODE_WORDS; k++) {
    state[k] = nodes[first + k]!;
    state[NODE_WORDS + k] = nodes[second + k]!;
  }
  state[PAIR_WORDS] = 0x01;
  for (let k = PAIR_WORDS + 1; k < 50; k++) state[k] = 0;
  state[LAST_RATE_WORD] = 0x80000000;
  p1600(state);
  for (let k = 0, out = at * NODE_WORDS; k < NODE_WORDS; k++) nodes[out + k] = state[k]!;
}

// The big-endian host's path: the same hash over a byte copy of the pair.
function hashPairBytes(nodes: Uint32Array, first: number, second: number, at: number): void {
  const bytes = new Uint8Array(nodes.buffer, nodes.byteOffset, nodes.byteLength);
  const pair = new Uint8Array(2 * 4 * NODE_WORDS);
  pair.set(bytes.subarray(first * 4, first * 4 + 32), 0);
  pair.set(bytes.subarray(second * 4, second * 4 + 32), 32);
  bytes.set(keccak_256(pair), at * 4 * NODE_WORDS);
}
