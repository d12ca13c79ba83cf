// The verifier's caches give the answers of the uncached path: keys by key material only, Merkle paths as verifyPath,
// prefetched parses exactly one verify each.
import fc from 'fast-check';
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree';
import { describe, expect, it } from 'vitest';
import { buildTree, verifyPath } from '../../src/anchoring/merkle';
import { buildDidWebDocument, createDidResolver } from '../../src/did';
import { SigningKey, clearKeyCaches, createDidWebIssuer, ed25519PublicKeyObject, importPublicJwk, signDataIntegrity, signJose, verifyDataIntegrity, verifyJose } from '../../src/signing';
import { createPathCheck } from '../../src/verify/path-check';
import { createVerifier, parseInput } from '../../src/verify';
import { credentialLeaf } from '../../src/anchoring/leaf';
import { CHAIN_ID, FAKE_REGISTRY, NOW, anchorBatch, fakeAnchor, fakeReader, lookupOf, makeIssuer, signedDi, signedJws, unsigned } from './fixtures';

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}`);

describe('key cache', () => {
  it('keeps one import per key material and algorithm, and never answers one key for another', () => {
    clearKeyCaches();
    const a = SigningKey.generate('Ed25519');
    const b = SigningKey.generate('Ed25519');
    expect(importPublicJwk(a.publicJwk, 'EdDSA')).toBe(importPublicJwk({ ...a.publicJwk }, 'EdDSA'));
    expect(importPublicJwk(a.publicJwk, 'EdDSA')).not.toBe(importPublicJwk(b.publicJwk, 'EdDSA'));
    const rawA = Buffer.from(a.publicJwk.x, 'base64url');
    const rawB = Buffer.from(b.publicJwk.x, 'base64url');
    expect(ed25519PublicKeyObject(rawA)).toBe(ed25519PublicKeyObject(Buffer.from(rawA)));
    expect(ed25519PublicKeyObject(rawA).export({ format: 'jwk' }).x).toBe(a.publicJwk.x);
    expect(ed25519PublicKeyObject(rawB).export({ format: 'jwk' }).x).toBe(b.publicJwk.x);
  });

  it('a rotated DID document that names a new key under the same id is verified with the new key, not the cached one', async () => {
    const did = createDidWebIssuer(SigningKey.generate(), { domain: 'rotating.example', profile: { name: 'R', url: 'https://r.example' } }).did;
    const id = `${did}#key-1`;
    const first = SigningKey.generate().bind(did, id);
    const second = SigningKey.generate().bind(did, id);
    const credential = { ...unsigned(makeIssuer()), issuer: { id: did, type: ['Profile'], name: 'R' } };
    const resolverWith = (key: SigningKey) => createDidResolver({ documents: { [did]: buildDidWebDocument(did, [key.verificationMethod()]) } });
    const byFirst = await signJose(credential, { signingKey: first });
    const bySecond = await signJose(credential, { signingKey: second });
    // Warm the cache with the first key under this id.
    expect((await verifyJose(byFirst, { resolver: resolverWith(first) })).verified).toBe(true);
    expect(await verifyJose(bySecond, { resolver: resolverWith(first) })).toMatchObject({ verified: false, code: 'ERR_JOSE_SIGNATURE' });
    // The document now names the second key under the same id: the old signature no longer verifies, the new one does.
    expect(await verifyJose(byFirst, { resolver: resolverWith(second) })).toMatchObject({ verified: false, code: 'ERR_JOSE_SIGNATURE' });
    expect((await verifyJose(bySecond, { resolver: resolverWith(second) })).verified).toBe(true);
  });

  it('Data Integrity: a signature by one issuer never verifies under another issuer key that is cached', async () => {
    const [a, b] = [makeIssuer('A'), makeIssuer('B')];
    const [da, db] = [await signedDi(a), await signedDi(b)];
    expect((await verifyDataIntegrity(da)).verified).toBe(true);
    expect((await verifyDataIntegrity(db)).verified).toBe(true);
    // B's signature value under A's proof (verification method): both keys are cached by now.
    const proofOf = (d: Record<string, unknown>) => (d.proof as Array<Record<string, unknown>>)[0]!;
    const swapped = { ...da, proof: [{ ...proofOf(da), proofValue: proofOf(db).proofValue }] };
    expect(await verifyDataIntegrity(swapped)).toMatchObject({ verified: false, code: 'ERR_DI_SIGNATURE' });
    // B's signature over the same document, claimed as A's verification method.
    const byB = await signDataIntegrity(unsigned(a), { signingKey: b.signingKey, now: () => NOW });
    expect(await verifyDataIntegrity({ ...da, proof: [{ ...proofOf(byB), verificationMethod: proofOf(da).verificationMethod }] })).toMatchObject({ verified: false, code: 'ERR_DI_SIGNATURE' });
    expect((await verifyDataIntegrity(da)).verified).toBe(true);
  });
});

describe('memoised Merkle path check', () => {
  it('answers as verifyPath and OpenZeppelin for every leaf of random trees, and for changed paths and roots', () => {
    const check = createPathCheck(64); // a small memo, so it also starts over during the run
    fc.assert(
      fc.property(fc.array(hex32, { minLength: 1, maxLength: 70 }), fc.nat(), fc.nat(), (leaves, pick, flip) => {
        const tree = buildTree(leaves);
        const oz = SimpleMerkleTree.of(leaves);
        expect(tree.root).toBe(oz.root);
        leaves.forEach((leaf, i) => {
          const path = tree.proof(i);
          expect(check(leaf, path, tree.root)).toBe(true);
          expect(check(leaf.toUpperCase().replace('0X', '0x'), path.map((p) => p.toUpperCase().replace('0X', '0x')), tree.root)).toBe(verifyPath(leaf.toUpperCase().replace('0X', '0x'), path, tree.root));
        });
        const i = pick % leaves.length;
        const path = tree.proof(i);
        const variants: Array<[string, string[], string]> = [
          [leaves[(i + 1) % leaves.length]!, path, tree.root],
          [leaves[i]!, path.map((p, k) => (k === flip % Math.max(1, path.length) ? `0x${'0'.repeat(64)}` : p)), tree.root],
          [leaves[i]!, path.slice(1), tree.root],
          [leaves[i]!, path, tree.root.toUpperCase().replace('0X', '0x')],
          [leaves[i]!, [...path, 'nothex'], tree.root],
          [leaves[i]!.slice(0, 60), path, tree.root],
        ];
        for (const [leaf, p, root] of variants) expect(check(leaf, p, root)).toBe(verifyPath(leaf, p, root));
      }),
      { numRuns: 150, seed: 19 },
    );
  });
});

describe('the leaf of a parsed VC-JOSE credential', () => {
  it('is the leaf of its JWS, for plain JWS and envelopes', async () => {
    const issuer = makeIssuer();
    for (const overrides of [{}, { learner: { name: 'Zoë \u{1F600} Ångström', email: 'z@example.org' } }]) {
      const jws = await signedJws(issuer, overrides);
      const envelope = (await anchorBatch([jws], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor })).anchored[0]!;
      for (const input of [jws, ` ${jws}\n`, JSON.stringify(envelope)]) {
        const parsed = parseInput(input);
        expect(parsed.kind).toBe('credential');
        if (parsed.kind === 'credential') expect(credentialLeaf(parsed.credential)).toBe(credentialLeaf(parsed.jws!));
      }
    }
  });
});

describe('prefetched texts', () => {
  it('verify() after prefetch gives the outcome verify() gives alone, once per text, for valid, changed and broken inputs', async () => {
    const issuer = makeIssuer();
    const jws = await signedJws(issuer);
    const di = await signedDi(issuer);
    const batch = await anchorBatch([jws, di], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor });
    const texts = [
      ...batch.anchored.map((a) => JSON.stringify(a)),
      JSON.stringify({ ...batch.anchored[1], name: 'changed after anchoring' }),
      jws,
      '{ not json',
      JSON.stringify({ type: ['Nothing'] }),
    ];
    const verifier = () => createVerifier({ chain: { reader: fakeReader(lookupOf(issuer.did)) }, now: () => NOW });
    const alone = verifier();
    const expected = [];
    for (const text of texts) expected.push(await alone.verify(text));
    const prefetching = verifier();
    await prefetching.prefetch(texts);
    for (const [i, text] of texts.entries()) expect(await prefetching.verify(text)).toEqual(expected[i]);
    // The parse served one verify only: a second verify of the same text parses afresh and agrees.
    expect(await prefetching.verify(texts[0])).toEqual(expected[0]);
    expect(expected[0]!.verdict).toBe('valid');
    expect(expected[1]!.verdict).toBe('valid');
    expect(expected[2]!.verdict).toBe('invalid');
  });
});
