// The allocation-free pair hash (keccak package's permutation on a reused state) against two keccak256 libraries.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3';
import { keccak256 } from 'ethers';
import { hashSortedPair, NODE_WORDS } from '../../src/anchoring/pair-hash';
import { isBytes32, parseBytes32 } from '../../src/anchoring/merkle-leaves';

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** keccak256 of the two nodes in ascending byte order, by noble's streaming keccak_256 (the reference). */
function reference(a: Uint8Array, b: Uint8Array): Uint8Array {
  const [first, second] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
  return keccak_256(Buffer.concat([first, second]));
}

/** Our hash of `a` and `b` placed at nodes 1 and 2 of a three-node word array, written into node 0. */
function ours(a: Uint8Array, b: Uint8Array, into: 0 | 1 | 2 = 0): Uint8Array {
  const words = new Uint32Array(3 * NODE_WORDS);
  const bytes = new Uint8Array(words.buffer);
  bytes.set(a, 32);
  bytes.set(b, 64);
  hashSortedPair(words, 1, 2, into);
  return bytes.slice(into * 32, into * 32 + 32);
}

describe('hashSortedPair = keccak256(sorted pair)', () => {
  it('equals noble keccak_256 and ethers keccak256 for random pairs, in either order', () => {
    fc.assert(
      fc.property(bytes32, bytes32, (a, b) => {
        const expected = reference(a, b);
        expect(ours(a, b)).toEqual(expected);
        expect(ours(b, a)).toEqual(expected);
        const [first, second] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
        expect(`0x${Buffer.from(ours(a, b)).toString('hex')}`).toBe(keccak256(Buffer.concat([first, second])));
      }),
      { numRuns: 2_000 },
    );
  });

  it('orders pairs that share any prefix, or are equal, as bytes', () => {
    // Word-wise comparison must read each word's bytes in order: the first difference at every position is tried,
    // with random bytes after it (so a word compared in the wrong byte order shows).
    fc.assert(
      fc.property(bytes32, bytes32, fc.integer({ min: 0, max: 31 }), (a, tail, at) => {
        const b = Uint8Array.from(a);
        b.set(tail.subarray(at), at);
        expect(ours(a, b)).toEqual(reference(a, b));
        expect(ours(b, a)).toEqual(reference(a, b));
        expect(ours(a, a)).toEqual(reference(a, a));
      }),
      { numRuns: 1_000 },
    );
  });

  it('may write over one of its inputs (verifyPath hashes into the current node)', () => {
    fc.assert(
      fc.property(bytes32, bytes32, (a, b) => {
        expect(ours(a, b, 1)).toEqual(reference(a, b));
        expect(ours(a, b, 2)).toEqual(reference(a, b));
      }),
      { numRuns: 200 },
    );
  });

  it('the all-zero pair gives the well-known keccak256 of 64 zero bytes (the first zero-subtree hash of Solidity trees)', () => {
    expect(Buffer.from(ours(new Uint8Array(32), new Uint8Array(32))).toString('hex')).toBe(
      'ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5',
    );
  });
});

describe('isBytes32 and parseBytes32 = /^0x[0-9a-fA-F]{64}$/ and Buffer.from(hex)', () => {
  const regex = /^0x[0-9a-fA-F]{64}$/;
  /** Both hand-written checks agree with the regular expression, and the parser's bytes with Node's hex decoder. */
  const expectAgrees = (value: unknown): void => {
    const valid = typeof value === 'string' && regex.test(value);
    expect(isBytes32(value)).toBe(valid);
    const bytes = new Uint8Array(40);
    expect(parseBytes32(value, bytes, 3)).toBe(valid);
    if (valid) expect(Buffer.from(bytes.subarray(3, 35)).toString('hex')).toBe(value.slice(2).toLowerCase());
  };
  it('agree with the regular expression on near-miss strings, and decode every valid one', () => {
    // Characters around the hex ranges, case flips, and non-Latin-1 ones (which Node's hex decoder would not refuse).
    const near = fc.constantFrom(...'0123456789abcdefABCDEFgGxX/:@`\u0000\u0130\u0161\u0660\uff10 '.split(''));
    const body = fc.array(near, { minLength: 62, maxLength: 66 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.constantFrom('0x', '0X', '00', 'x0', ''), body, (prefix, rest) => expectAgrees(prefix + rest)),
      { numRuns: 5_000 },
    );
    // A valid leaf with one character swapped for a near miss: every position, every kind of character.
    fc.assert(
      fc.property(bytes32, fc.integer({ min: 0, max: 65 }), near, (bytes, at, char) => {
        const value = `0x${Buffer.from(bytes).toString('hex')}`;
        expectAgrees(value.slice(0, at) + char + value.slice(at + 1));
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(bytes32, fc.boolean(), (bytes, upper) => {
        const hex = Buffer.from(bytes).toString('hex');
        expectAgrees(`0x${upper ? hex.toUpperCase() : hex}`);
      }),
      { numRuns: 2_000 },
    );
    for (const value of [undefined, null, 42, {}, `0x${'a'.repeat(64)}`, `0x${'F'.repeat(64)}`, `0x${'g'.repeat(64)}`]) expectAgrees(value);
  });
});
