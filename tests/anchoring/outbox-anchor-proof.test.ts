// The anchor-proof encoding: round trip, both carriers, and a stable code for every malformed field.
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import {
  ANCHOR_CRYPTOSUITE,
  MAX_ANCHOR_PATH,
  anchorCreated,
  anchoredCredential,
  attachAnchorProof,
  decodeAnchorProof,
  encodeAnchorProof,
  findAnchorProof,
  unwrapEnvelope,
  type Anchor,
} from '../../src/anchoring/anchor-proof';
import { credentialLeaf } from '../../src/anchoring/leaf';
import { Backoff, backoffDelay } from '../../src/anchoring/retry';
import { isMicrocredError } from '../../src/errors';

const h = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;
const anchor: Anchor = {
  chain: 'eip155:31337',
  registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  root: h(1),
  path: [h(2), h(3)],
  transaction: h(4),
  block: 7,
};
const CREATED = '2026-01-02T03:04:05Z';
const encodeValue = (value: unknown): string => `u${Buffer.from(canonicalize(value)!, 'utf8').toString('base64url')}`;
const proofWith = (value: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...encodeAnchorProof(anchor, CREATED),
  proofValue: encodeValue(value),
  ...extra,
});
const codeOf = (proof: unknown): string => {
  const result = decodeAnchorProof(proof);
  return result.ok ? 'ok' : result.code;
};

describe('anchor proof encoding', () => {
  it('round-trips and uses the exact documented shape', () => {
    const proof = encodeAnchorProof(anchor, CREATED);
    expect(Object.keys(proof).sort()).toEqual(['created', 'cryptosuite', 'proofPurpose', 'proofValue', 'type']);
    expect(proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: ANCHOR_CRYPTOSUITE, proofPurpose: 'assertionMethod', created: CREATED });
    expect(proof.proofValue.startsWith('u')).toBe(true);
    expect(Buffer.from(proof.proofValue.slice(1), 'base64url').toString('utf8')).toBe(canonicalize(anchor));
    expect(decodeAnchorProof(JSON.parse(JSON.stringify(proof)))).toEqual({ ok: true, anchor, created: CREATED });
  });

  it('normalises case when encoding and formats block times without fractions', () => {
    const proof = encodeAnchorProof({ ...anchor, registry: anchor.registry.toLowerCase(), root: anchor.root.toUpperCase().replace('0X', '0x') }, new Date(CREATED));
    const decoded = decodeAnchorProof(proof);
    expect(decoded.ok && decoded.anchor).toEqual(anchor);
    expect(anchorCreated(1_767_323_045)).toBe('2026-01-02T03:04:05Z');
  });

  it('refuses to encode a malformed anchor (a programming error)', () => {
    let caught: unknown;
    try {
      encodeAnchorProof({ ...anchor, block: -1 }, CREATED);
    } catch (error) {
      caught = error;
    }
    expect(isMicrocredError(caught, 'ERR_ANCHOR_PROOF_BLOCK')).toBe(true);
  });

  const malformed: [string, unknown, string][] = [
    ['not an object', 'proof', 'ERR_ANCHOR_PROOF_SHAPE'],
    ['an array', [], 'ERR_ANCHOR_PROOF_SHAPE'],
    ['wrong type', proofWith(anchor, { type: 'Ed25519Signature2020' }), 'ERR_ANCHOR_PROOF_SHAPE'],
    ['wrong cryptosuite', proofWith(anchor, { cryptosuite: 'eddsa-rdfc-2022' }), 'ERR_ANCHOR_PROOF_SHAPE'],
    ['wrong purpose', proofWith(anchor, { proofPurpose: 'authentication' }), 'ERR_ANCHOR_PROOF_SHAPE'],
    ['an unknown field', proofWith(anchor, { anchor }), 'ERR_ANCHOR_PROOF_SHAPE'],
    ['created missing', proofWith(anchor, { created: undefined }), 'ERR_ANCHOR_PROOF_CREATED'],
    ['created without zone', proofWith(anchor, { created: '2026-01-02T03:04:05' }), 'ERR_ANCHOR_PROOF_CREATED'],
    ['created impossible', proofWith(anchor, { created: '2026-13-40T03:04:05Z' }), 'ERR_ANCHOR_PROOF_CREATED'],
    ['proofValue not a string', proofWith(anchor, { proofValue: 42 }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['proofValue base58 header', proofWith(anchor, { proofValue: 'z3vQB7B6MrGQZaxCuFg4oh' }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['proofValue padded', proofWith(anchor, { proofValue: `${encodeValue(anchor)}==` }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['proofValue standard base64', proofWith(anchor, { proofValue: 'u+/+/' }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['proofValue too long', proofWith(anchor, { proofValue: `u${'A'.repeat(9000)}` }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['proofValue not UTF-8', proofWith(anchor, { proofValue: `u${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}` }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['proofValue not JSON', proofWith(anchor, { proofValue: `u${Buffer.from('{nope').toString('base64url')}` }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['proofValue not JCS', proofWith(anchor, { proofValue: `u${Buffer.from(JSON.stringify(anchor, null, 1)).toString('base64url')}` }), 'ERR_ANCHOR_PROOF_VALUE'],
    ['anchor an array', proofWith([anchor]), 'ERR_ANCHOR_PROOF_FIELDS'],
    ['anchor field missing', proofWith({ ...anchor, block: undefined }), 'ERR_ANCHOR_PROOF_FIELDS'],
    ['anchor extra field', proofWith({ ...anchor, leaf: h(9) }), 'ERR_ANCHOR_PROOF_FIELDS'],
    ['chain not eip155', proofWith({ ...anchor, chain: 'cosmos:1' }), 'ERR_ANCHOR_PROOF_CHAIN'],
    ['chain id zero', proofWith({ ...anchor, chain: 'eip155:0' }), 'ERR_ANCHOR_PROOF_CHAIN'],
    ['chain id a number', proofWith({ ...anchor, chain: 31337 }), 'ERR_ANCHOR_PROOF_CHAIN'],
    ['registry lower case', proofWith({ ...anchor, registry: anchor.registry.toLowerCase() }), 'ERR_ANCHOR_PROOF_REGISTRY'],
    ['registry bad checksum', proofWith({ ...anchor, registry: '0x5fbDB2315678afecb367f032d93F642f64180aa3' }), 'ERR_ANCHOR_PROOF_REGISTRY'],
    ['registry short', proofWith({ ...anchor, registry: '0x5FbDB2315678afecb367f032d93F642f64180a' }), 'ERR_ANCHOR_PROOF_REGISTRY'],
    ['root short', proofWith({ ...anchor, root: '0x1234' }), 'ERR_ANCHOR_PROOF_ROOT'],
    ['root upper-case hex', proofWith({ ...anchor, root: `0x${'AB'.repeat(32)}` }), 'ERR_ANCHOR_PROOF_ROOT'],
    ['path not an array', proofWith({ ...anchor, path: h(2) }), 'ERR_ANCHOR_PROOF_PATH'],
    ['path with a bad node', proofWith({ ...anchor, path: [h(2), '0xzz'] }), 'ERR_ANCHOR_PROOF_PATH'],
    ['path too long', proofWith({ ...anchor, path: Array.from({ length: MAX_ANCHOR_PATH + 1 }, (_, i) => h(i)) }), 'ERR_ANCHOR_PROOF_PATH'],
    ['transaction short', proofWith({ ...anchor, transaction: '0xabc' }), 'ERR_ANCHOR_PROOF_TRANSACTION'],
    ['block a string', proofWith({ ...anchor, block: '7' }), 'ERR_ANCHOR_PROOF_BLOCK'],
    ['block fractional', proofWith({ ...anchor, block: 7.5 }), 'ERR_ANCHOR_PROOF_BLOCK'],
    ['block negative', proofWith({ ...anchor, block: -7 }), 'ERR_ANCHOR_PROOF_BLOCK'],
  ];
  it.each(malformed)('decodes %s to its code', (_name, proof, code) => {
    expect(codeOf(proof)).toBe(code);
  });

  it('accepts a path of exactly the maximum length', () => {
    expect(codeOf(proofWith({ ...anchor, path: Array.from({ length: MAX_ANCHOR_PATH }, (_, i) => h(i)) }))).toBe('ok');
  });
});

describe('anchor proof carriers', () => {
  const proof = encodeAnchorProof(anchor, CREATED);
  const signature = { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', proofValue: 'z111' };
  const credential = { '@context': ['https://www.w3.org/ns/credentials/v2'], id: 'urn:uuid:1', type: ['VerifiableCredential'], proof: signature };

  it('turns a Data Integrity proof into a set ending with the anchor proof, without changing the leaf', () => {
    const anchored = attachAnchorProof('di', JSON.stringify(credential), proof);
    expect(anchored.proof).toEqual([signature, proof]);
    expect(findAnchorProof(anchored)).toEqual(proof);
    expect(credentialLeaf(anchored)).toBe(credentialLeaf(credential));
    // Attaching again (a re-anchor) replaces the old anchor proof rather than adding a second one.
    const again = attachAnchorProof('di', JSON.stringify(anchored), encodeAnchorProof({ ...anchor, block: 9 }, CREATED));
    expect((again.proof as unknown[]).length).toBe(2);
  });

  it('wraps a VC-JOSE credential in an EnvelopedVerifiableCredential and unwraps it', () => {
    const jws = 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2ln';
    const envelope = attachAnchorProof('jose', jws, proof);
    expect(envelope).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jws}`,
      proof,
    });
    expect(unwrapEnvelope(envelope)).toEqual({ jws, anchorProof: proof });
    expect(anchoredCredential({ format: 'jose', document: jws, anchorProof: JSON.stringify(proof) })).toEqual(envelope);
    expect(anchoredCredential({ format: 'jose', document: jws, anchorProof: null })).toBeNull();
  });

  it('rejects documents that are not what their format says', () => {
    const codes = [
      () => attachAnchorProof('jose', 'not a jws', proof),
      () => attachAnchorProof('di', '[1]', proof),
      () => unwrapEnvelope({ type: 'EnvelopedVerifiableCredential', id: 'data:text/plain,abc' }),
      () => unwrapEnvelope(credential),
    ].map((fn) => {
      try {
        fn();
        return 'ok';
      } catch (error) {
        return isMicrocredError(error) ? error.code : 'other';
      }
    });
    expect(codes).toEqual(['ERR_ANCHOR_DOCUMENT', 'ERR_ANCHOR_DOCUMENT', 'ERR_ENVELOPE_INVALID', 'ERR_ENVELOPE_INVALID']);
  });
});

describe('outbox backoff', () => {
  it('doubles from baseMs and stops at maxMs', () => {
    expect([1, 2, 3, 4, 5, 60].map((n) => backoffDelay({ baseMs: 100, maxMs: 1_000 }, n))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    let t = 0;
    const backoff = new Backoff({ baseMs: 100, maxMs: 1_000 }, () => new Date(t));
    expect(backoff.due('a')).toBe(true);
    expect(backoff.failed('a')).toBe(100);
    expect(backoff.due('a')).toBe(false);
    t = 100;
    expect(backoff.due('a')).toBe(true);
    expect(backoff.failed('a')).toBe(200);
    backoff.succeeded('a');
    expect(backoff.due('a')).toBe(true);
    expect(backoff.nextDue()).toBeUndefined();
  });
});
