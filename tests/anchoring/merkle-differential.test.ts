// The flat Merkle tree against OpenZeppelin's SimpleMerkleTree as the oracle: same root and the same path for every leaf.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree';
import { buildTree, verifyPath } from '../../src/anchoring/merkle';

const randomLeaves = (n: number): string[] => {
  const bytes = randomBytes(32 * n);
  return Array.from({ length: n }, (_, i) => `0x${bytes.toString('hex', 32 * i, 32 * i + 32)}`);
};

/**
 * Asserts that our tree and OpenZeppelin's agree on the root and on every leaf's path. Every path is compared with the
 * siblings in the oracle's own node array (its getProof re-verifies each path in pure-JS keccak, too slow for every
 * leaf of a big tree); `sampled` leaves are also compared with the oracle's getProof, by index and by value.
 */
function expectSameAsOpenZeppelin(leaves: string[], sampled = 40): void {
  const ours = buildTree(leaves);
  const oracle = SimpleMerkleTree.of(leaves);
  const { tree: nodes, values } = oracle.dump();
  expect(ours.root).toBe(oracle.root);
  values.forEach(({ treeIndex }, i) => {
    const expected: string[] = [];
    for (let at = treeIndex; at > 0; at = (at - 1) >> 1) expected.push(nodes[at % 2 === 1 ? at + 1 : at - 1]!);
    expect(ours.proof(i)).toEqual(expected);
  });
  for (let k = 0; k < Math.min(sampled, leaves.length); k++) {
    const i = Math.floor((k * leaves.length) / Math.min(sampled, leaves.length));
    const expected = oracle.getProof(i);
    expect(ours.proof(i)).toEqual(expected);
    expect(ours.proof(leaves[i]!)).toEqual(oracle.getProof(leaves[i]!));
    expect(verifyPath(leaves[i]!, expected, oracle.root)).toBe(true);
  }
}

describe('flat Merkle tree = OpenZeppelin SimpleMerkleTree', () => {
  it('random sizes from 1 to 5,000 leaves', () => {
    // The small sizes, where the tree's shape changes at every step, with every path also from the oracle's getProof.
    for (let n = 1; n <= 33; n++) expectSameAsOpenZeppelin(randomLeaves(n), n);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), (n) => expectSameAsOpenZeppelin(randomLeaves(n))),
      { numRuns: 8 },
    );
  }, 300_000);

  it('repeated leaves take the path of their last occurrence, as OpenZeppelin does', () => {
    const [a, b, c] = randomLeaves(3) as [string, string, string];
    expectSameAsOpenZeppelin([a, b, a, c, b, a], 6);
  });

  it('leaves that share long prefixes, repeat, and come in either hex case', () => {
    // The sort keys on a leaf's first bytes and compares the rest only within a run of equal keys: every leaf here
    // shares its first 4 bytes with many others (random leaves of a small batch almost never do), and many repeat.
    const prefix = randomLeaves(1)[0]!.slice(0, 58);
    const similar = (n: number, distinct: number, shared: string): string[] =>
      Array.from({ length: n }, () => `${shared}${Math.floor(Math.random() * distinct).toString(16).padStart(66 - shared.length, '0')}`);
    for (const n of [2, 3, 5, 17, 64]) expectSameAsOpenZeppelin(similar(n, 4, prefix), n);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 10, max: 58 }), (n, distinct, shared) =>
        expectSameAsOpenZeppelin(similar(n, distinct, prefix.slice(0, shared))),
      ),
      { numRuns: 8 },
    );
    const mixed = similar(300, 100, prefix.slice(0, 40)).map((leaf, i) => (i % 3 === 0 ? `0x${leaf.slice(2).toUpperCase()}` : leaf));
    const ours = buildTree(mixed);
    const oracle = SimpleMerkleTree.of(mixed.map((leaf) => leaf.toLowerCase()));
    expect(ours.root).toBe(oracle.root);
    expect(ours.leaves).toEqual(mixed.map((leaf) => leaf.toLowerCase()));
    mixed.forEach((leaf, i) => {
      expect(ours.proof(leaf)).toEqual(oracle.getProof(leaf.toLowerCase()));
      expect(ours.proof(i)).toEqual(oracle.getProof(i));
    });
  }, 300_000);

  it('a 100,000-leaf batch', () => {
    expectSameAsOpenZeppelin(randomLeaves(100_000));
  }, 300_000);

  it('verifyPath refuses a path or root that is off by one bit, like the oracle', () => {
    const leaves = randomLeaves(9);
    const tree = buildTree(leaves);
    const path = tree.proof(4);
    const flipped = path.map((node, i) => (i === 1 ? node.slice(0, -1) + (node.endsWith('0') ? '1' : '0') : node));
    expect(verifyPath(leaves[4]!, flipped, tree.root)).toBe(false);
    expect(SimpleMerkleTree.verify(tree.root, leaves[4]!, flipped)).toBe(false);
    expect(verifyPath(leaves[4]!, path, tree.root)).toBe(true);
    expect(verifyPath(leaves[4]!, path, flipped[1]!)).toBe(false);
  });
});
