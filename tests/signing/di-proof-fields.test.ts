// Data Integrity proofs: every field validated, proof sets of several signatures (chains: proof-chains.test.ts).
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON fixtures are edited by path. */
import { describe, expect, it } from 'vitest';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, verifyDataIntegrity } from '../../src/signing';
import { sampleRecord, testLoader } from './fixtures';

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'St Example Hospital', url: 'https://hospital.example' });

// One credential (its id is random per build), signed at different times for a proof set.
const credential = buildCredential({ record: sampleRecord(), issuer: issuer.profile, now: () => new Date('2025-03-02T08:00:00Z') });

async function signed(at = '2025-03-02T08:00:00Z'): Promise<any> {
  return signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: testLoader, now: () => new Date(at) });
}

describe('Data Integrity proof fields', () => {
  it.each([
    ['no type', { type: undefined }],
    ['no cryptosuite', { cryptosuite: undefined }],
    ['no proofPurpose', { proofPurpose: undefined }],
    ['a verificationMethod that is not a URL', { verificationMethod: 'key 1' }],
    ['no proofValue', { proofValue: undefined }],
    ['created without a time zone', { created: '2025-03-02T08:00:00' }],
    ['expires that is not a date', { expires: 'tomorrow' }],
  ])('refuses a proof with %s (ERR_DI_MALFORMED)', async (_what, change) => {
    const secured = await signed();
    const proof = JSON.parse(JSON.stringify({ ...secured.proof[0], ...change }));
    expect(await verifyDataIntegrity({ ...secured, proof: [proof] }, { loader: testLoader })).toMatchObject({ verified: false, code: 'ERR_DI_MALFORMED' });
  });

  it('a proof set of two independent signatures verifies; a tampered one of them fails', async () => {
    const first = await signed('2025-03-02T08:00:00Z');
    const second = await signed('2025-03-02T09:00:00Z');
    const set = { ...first, proof: [first.proof[0], second.proof[0]] };
    expect(await verifyDataIntegrity(set, { loader: testLoader })).toMatchObject({ verified: true, proofTypes: ['DataIntegrityProof/eddsa-rdfc-2022', 'DataIntegrityProof/eddsa-rdfc-2022'] });
    const broken = { ...set, proof: [first.proof[0], { ...second.proof[0], proofValue: `${second.proof[0].proofValue.slice(0, -2)}11` }] };
    expect((await verifyDataIntegrity(broken, { loader: testLoader })).verified).toBe(false);
  });
});

describe('JSON-LD safe mode', () => {
  it('a term the contexts do not define is an error when verifying, not silently dropped', async () => {
    const secured = await signed();
    const result = await verifyDataIntegrity({ ...secured, favouriteColour: 'red' }, { loader: testLoader });
    expect(result.verified).toBe(false);
    expect(result.message).toMatch(/safe mode|not defined|undefined term|dropped/i);
  });
});
