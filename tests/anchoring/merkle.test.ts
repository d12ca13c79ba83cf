// Merkle batches off-chain: roots, paths, verification, and the batch-of-one rule.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak256, toUtf8Bytes, concat } from 'ethers';
import { buildTree, verifyPath } from '../../src/anchoring/merkle';
import { expectCode } from '../helpers/errors';

const leaf = (i: number): string => keccak256(toUtf8Bytes(`leaf-${i}`));
const leaves = (n: number): string[] => Array.from({ length: n }, (_, i) => leaf(i));
// OpenZeppelin's commutative pair hash, written out to check the library independently.
const pair = (a: string, b: string): string => (BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a])));
const flipLastNibble = (hex: string): string => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');

describe('buildTree', () => {
  it('a batch of one: the root is the leaf and the path is empty', () => {
    const tree = buildTree([leaf(1)]);
    expect(tree.root).toBe(leaf(1));
    expect(tree.proof(0)).toEqual([]);
    expect(tree.proof(leaf(1))).toEqual([]);
    expect(verifyPath(leaf(1), [], tree.root)).toBe(true);
  });

  it('a batch of two: the root is the sorted-pair hash and each path is the other leaf', () => {
    const [a, b] = leaves(2) as [string, string];
    const tree = buildTree([a, b]);
    expect(tree.root).toBe(pair(a, b));
    expect(tree.proof(a)).toEqual([b]);
    expect(tree.proof(b)).toEqual([a]);
  });

  it('a batch of three: every path verifies and recomputes the root', () => {
    const tree = buildTree(leaves(3));
    for (const l of tree.leaves) {
      const path = tree.proof(l);
      expect(verifyPath(l, path, tree.root)).toBe(true);
      expect(path.reduce(pair, l)).toBe(tree.root);
    }
  });

  it('finds a path by index or by value, whatever the hex case', () => {
    const input = leaves(5);
    const tree = buildTree(input.map((l) => '0x' + l.slice(2).toUpperCase()));
    expect(tree.leaves).toEqual(input);
    expect(tree.proof(2)).toEqual(tree.proof(input[2]!));
    expect(tree.proof('0x' + input[2]!.slice(2).toUpperCase())).toEqual(tree.proof(2));
  });

  it('rejects an empty batch, a non-bytes32 leaf, and a leaf or index not in the batch', () => {
    expectCode(() => buildTree([]), 'ERR_EMPTY_BATCH');
    expectCode(() => buildTree(['0x1234']), 'ERR_INVALID_LEAF');
    expectCode(() => buildTree(['hello']), 'ERR_INVALID_LEAF');
    const tree = buildTree(leaves(3));
    expectCode(() => tree.proof(3), 'ERR_LEAF_NOT_IN_BATCH');
    expectCode(() => tree.proof(leaf(99)), 'ERR_LEAF_NOT_IN_BATCH');
  });
});

describe('verifyPath', () => {
  it('rejects a changed leaf, a changed path node, a dropped node, reordered nodes and a wrong root', () => {
    const tree = buildTree(leaves(8));
    const l = tree.leaves[5]!;
    const path = tree.proof(l);
    expect(verifyPath(l, path, tree.root)).toBe(true);
    expect(verifyPath(flipLastNibble(l), path, tree.root)).toBe(false);
    expect(verifyPath(l, [flipLastNibble(path[0]!), ...path.slice(1)], tree.root)).toBe(false);
    expect(verifyPath(l, path.slice(1), tree.root)).toBe(false);
    expect(verifyPath(l, [...path].reverse(), tree.root)).toBe(false);
    expect(verifyPath(l, path, flipLastNibble(tree.root))).toBe(false);
  });

  it('returns false, never throws, on malformed input', () => {
    expect(verifyPath('0x12', [], '0x12')).toBe(false);
    expect(verifyPath(leaf(1), ['nope'], leaf(1))).toBe(false);
  });

  it('property: for any batch, every path verifies and a flipped path node never does', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 40, selector: (a) => a.join() }), fc.nat(), (raw, pick) => {
        const input = raw.map((bytes) => '0x' + Buffer.from(bytes).toString('hex'));
        const tree = buildTree(input);
        const index = pick % input.length;
        const path = tree.proof(index);
        expect(verifyPath(tree.leaves[index]!, path, tree.root)).toBe(true);
        if (path.length > 0) {
          const bad = [...path];
          bad[pick % bad.length] = flipLastNibble(bad[pick % bad.length]!);
          expect(verifyPath(tree.leaves[index]!, bad, tree.root)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
