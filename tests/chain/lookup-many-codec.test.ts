// Differential test: the fast lookupMany coder gives ethers' Interface bytes and values, or steps aside for ethers.
import fc from 'fast-check';
import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
import { loadRegistryArtifact } from '../../src/chain/artifact';
import { lookupManyCodec, type LookupTuple } from '../../src/chain/lookup-many-codec';

const iface = loadRegistryArtifact().iface;
const codec = lookupManyCodec(iface)!;

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).chain((b) =>
  fc.boolean().map((upper) => {
    const hex = Buffer.from(b).toString('hex');
    return `0x${upper ? hex.toUpperCase() : hex}`;
  }),
);
const query = fc.record({ issuerId: bytes32, root: bytes32, leaf: bytes32, path: fc.array(bytes32, { maxLength: 12 }) });
const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('\uFEFFbom'));
const tuple = fc.record({
  anchoredAt: uint(64),
  anchoredBlock: uint(64),
  statusSince: uint(64),
  statusReason: uint(16),
  status: uint(8),
  leafInRoot: fc.boolean(),
  issuerRegistered: fc.boolean(),
  issuerActive: fc.boolean(),
  issuerDid: text,
  issuerName: text,
});
const FIELDS = ['anchoredAt', 'anchoredBlock', 'statusSince', 'statusReason', 'status', 'leafInRoot', 'issuerRegistered', 'issuerActive', 'issuerDid', 'issuerName'] as const;

/** What ethers decodes, read field by field as the registry client reads it; `error` when ethers throws. */
function ethersDecode(hex: string): LookupTuple[] | 'error' {
  try {
    const raw = iface.decodeFunctionResult('lookupMany', hex)[0] as Array<Record<string, unknown>>;
    return raw.map((r) => Object.fromEntries(FIELDS.map((f) => [f, r[f]])) as unknown as LookupTuple);
  } catch {
    return 'error';
  }
}

describe('lookupMany fast coder', () => {
  it('encodes the same calldata as Interface.encodeFunctionData', () => {
    fc.assert(
      fc.property(fc.array(query, { maxLength: 30 }), (queries) => {
        expect(codec.encode(queries)).toBe(iface.encodeFunctionData('lookupMany', [queries]));
      }),
      { numRuns: 400, seed: 19 },
    );
  });

  it('decodes the same values as Interface.decodeFunctionResult', () => {
    fc.assert(
      fc.property(fc.array(tuple, { maxLength: 25 }), (tuples) => {
        const hex = iface.encodeFunctionResult('lookupMany', [tuples]);
        const fast = codec.decode(hex);
        expect(fast).toEqual(ethersDecode(hex));
        expect(fast).toEqual(tuples);
        expect(codec.decode(hex.toUpperCase().replace('0X', '0x'))).toEqual(fast);
      }),
      { numRuns: 400, seed: 19 },
    );
  });

  it('on damaged results either agrees with ethers or leaves the judgement to it', () => {
    let stepped = 0;
    let agreed = 0;
    fc.assert(
      fc.property(
        fc.array(tuple, { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
        fc.oneof(fc.integer({ min: -2, max: 2 }).map((k) => k * 32), fc.integer({ min: -40, max: 40 })),
        (tuples, flips, resize) => {
          const bytes = Buffer.from(iface.encodeFunctionResult('lookupMany', [tuples]).slice(2), 'hex');
          for (const { at, value } of flips) bytes[at % bytes.length] = value;
          const resized = resize >= 0 ? Buffer.concat([bytes, Buffer.alloc(resize)]) : bytes.subarray(0, Math.max(0, bytes.length + resize));
          const hex = `0x${resized.toString('hex')}`;
          const fast = codec.decode(hex);
          if (fast === undefined) stepped++;
          else {
            agreed++;
            expect(fast).toEqual(ethersDecode(hex));
          }
        },
      ),
      { numRuns: 3000, seed: 19 },
    );
    // Both branches are exercised, so the property says something about each.
    expect(stepped).toBeGreaterThan(200);
    expect(agreed).toBeGreaterThan(200);
  });

  it('steps aside for invalid UTF-8 (ethers defers that error to the field) and for text that is not hex', () => {
    const hex = iface.encodeFunctionResult('lookupMany', [[{ anchoredAt: 1n, anchoredBlock: 2n, statusSince: 0n, statusReason: 0n, status: 0n, leafInRoot: true, issuerRegistered: true, issuerActive: true, issuerDid: 'did:x', issuerName: 'ab' }]]);
    const bad = hex.replace(Buffer.from('ab').toString('hex'), 'c328');
    expect(codec.decode(bad)).toBeUndefined();
    expect(ethersDecode(bad)).toBe('error');
    expect(codec.decode('0xzz')).toBeUndefined();
    expect(codec.decode('0x')).toBeUndefined();
  });

  it('leaves anything but 0x + 64 hex to ethers, and only serves the ABI it was written for', () => {
    const q = { issuerId: `0x${'1'.repeat(64)}`, root: `0x${'2'.repeat(64)}`, leaf: `0x${'3'.repeat(63)}`, path: [] };
    expect(codec.encode([q])).toBeUndefined();
    const other = new Interface(['function lookupMany((bytes32,bytes32,bytes32,bytes32[])[] q) view returns ((uint64,uint64)[])']);
    expect(lookupManyCodec(other)).toBeUndefined();
  });
});
