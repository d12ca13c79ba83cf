// The anchoring leaf: keccak256 of the JCS form without proofs; invariant to key order, white space and securing form.
import { describe, expect, it } from 'vitest';
import { keccak256, toUtf8Bytes } from 'ethers';
import { credentialLeaf, leafCanonicalText } from '../../src/anchoring/leaf';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, signJose } from '../../src/signing';
import { sampleRecord, testLoader } from '../signing/fixtures';

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });
const credential = buildCredential({ record: sampleRecord(), issuer: issuer.profile, now: () => new Date('2025-03-02T08:00:00Z') }) as unknown as Record<string, unknown>;

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, shuffleKeys(v)]));
}

describe('credentialLeaf', () => {
  it('is keccak256 of the RFC 8785 text of the credential without proof', () => {
    expect(leafCanonicalText({ b: 1, a: [true, 'é', 1.5e3], proof: { x: 1 } })).toBe('{"a":[true,"é",1500],"b":1}');
    expect(credentialLeaf({ b: 1, a: [true, 'é', 1.5e3] })).toBe(keccak256(toUtf8Bytes('{"a":[true,"é",1500],"b":1}')));
    expect(credentialLeaf(credential)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('does not change with key order or white space', () => {
    const reordered = JSON.parse(JSON.stringify(shuffleKeys(credential), null, 7)) as Record<string, unknown>;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(credential)[0]);
    expect(credentialLeaf(reordered)).toBe(credentialLeaf(credential));
  });

  it('is the same for the Data Integrity and the VC-JOSE form of one credential, anchor proof or not', async () => {
    const di = await signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: testLoader });
    const jws = await signJose(credential, { signingKey: issuer.signingKey });
    const anchored = { ...di, proof: [di.proof, { type: 'DataIntegrityProof', cryptosuite: 'microcred-merkle-anchor-2026', proofValue: 'uX' }] };
    expect(credentialLeaf(di)).toBe(credentialLeaf(credential));
    expect(credentialLeaf(jws)).toBe(credentialLeaf(credential));
    expect(credentialLeaf(anchored)).toBe(credentialLeaf(credential));
  });

  it('changes when any content changes', () => {
    expect(credentialLeaf({ ...credential, name: 'Other' })).not.toBe(credentialLeaf(credential));
  });

  it('refuses inputs that are not a credential or a JWS', () => {
    for (const bad of ['not a jws', 'a.!!!.c', [] as unknown as Record<string, unknown>]) {
      expect(() => credentialLeaf(bad)).toThrow(expect.objectContaining({ code: 'ERR_LEAF_INPUT' }));
    }
  });
});
