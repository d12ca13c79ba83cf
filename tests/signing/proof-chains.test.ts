// Data Integrity proof sets and proof chains (previousProof), signed here with eddsa-rdfc-2022 keys: verified as the spec says, broken chains refused by name.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON fixtures are edited by path. */
import { describe, expect, it } from 'vitest';
import { SigningKey, addDataIntegrityProof, createDidKeyIssuer, verifyDataIntegrity } from '../../src/signing';
import { createVerifierApp } from '../../src/server/verifier-app';
import { createVerifier } from '../../src/verify/verifier';
import { expectCode } from '../helpers/errors';
import { testLoader } from './fixtures';

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'St Example Hospital', url: 'https://hospital.example' });
const endorser = createDidKeyIssuer(SigningKey.generate(), { name: 'Resuscitation Council', url: 'https://council.example' });
const notary = createDidKeyIssuer(SigningKey.generate(), { name: 'Notary', url: 'https://notary.example' });

const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:6a1c3b3e-6a49-4d3c-9d7e-0d9a7f1f2c11',
  type: ['VerifiableCredential'],
  issuer: issuer.did,
  validFrom: '2025-03-02T08:00:00Z',
  credentialSubject: { id: 'did:example:learner' },
};

const A = 'urn:uuid:proof-a-issuer';
const B = 'urn:uuid:proof-b-endorser';
const C = 'urn:uuid:proof-c-notary';
const at = (iso: string) => () => new Date(iso);

async function issuerSigned(when = '2025-03-02T08:00:00Z'): Promise<any> {
  return addDataIntegrityProof(credential, { signingKey: issuer.signingKey, id: A, loader: testLoader, now: at(when) });
}

async function chainAB(): Promise<any> {
  return addDataIntegrityProof(await issuerSigned(), { signingKey: endorser.signingKey, id: B, previousProof: A, loader: testLoader, now: at('2025-03-03T08:00:00Z') });
}

const proofById = (doc: any, id: string): any => (doc.proof as any[]).find((p) => p.id === id);

describe('proof chains (previousProof)', () => {
  it('a chain issuer → endorser verifies; the issuer’s proof speaks for the credential', async () => {
    const chained = await chainAB();
    expect((chained.proof as any[]).map((p): unknown[] => [p.id, p.previousProof])).toEqual([
      [A, undefined],
      [B, A],
    ]);
    const result = await verifyDataIntegrity(chained, { loader: testLoader });
    expect(result).toMatchObject({ verified: true, controller: issuer.did, controllerIsIssuer: true, proofTypes: ['DataIntegrityProof/eddsa-rdfc-2022', 'DataIntegrityProof/eddsa-rdfc-2022'] });
  });

  it('the chained proof signs the earlier proof: another valid issuer proof in its place breaks it', async () => {
    const chained = await chainAB();
    // Re-signed an hour later: valid on its own, with the same id, but not the proof the endorser signed over.
    const other = proofById(await issuerSigned('2025-03-02T09:00:00Z'), A);
    expect((await verifyDataIntegrity({ ...chained, proof: [other] }, { loader: testLoader })).verified).toBe(true);
    const swapped = { ...chained, proof: [other, proofById(chained, B)] };
    expect(await verifyDataIntegrity(swapped, { loader: testLoader })).toMatchObject({ verified: false, code: 'ERR_DI_SIGNATURE' });
  });

  it('a proof may follow several earlier proofs (previousProof as a list)', async () => {
    const set = await addDataIntegrityProof(await chainAB(), { signingKey: notary.signingKey, id: C, previousProof: [A, B], loader: testLoader, now: at('2025-03-04T08:00:00Z') });
    expect(proofById(set, C).previousProof).toEqual([A, B]);
    expect(await verifyDataIntegrity(set, { loader: testLoader })).toMatchObject({ verified: true, controller: issuer.did });
  });

  it('an earlier proof that was removed is named', async () => {
    const chained = await chainAB();
    const result = await verifyDataIntegrity({ ...chained, proof: [proofById(chained, B)] }, { loader: testLoader });
    expect(result).toMatchObject({ verified: false, code: 'ERR_DI_PROOF_CHAIN' });
    expect(result.message).toContain(A);
  });

  it('a previousProof changed to an id that is not there is named; changed to another proof, the signature fails', async () => {
    const chained = await chainAB();
    const renamed = { ...chained, proof: [proofById(chained, A), { ...proofById(chained, B), previousProof: 'urn:uuid:no-such-proof' }] };
    const result = await verifyDataIntegrity(renamed, { loader: testLoader });
    expect(result).toMatchObject({ verified: false, code: 'ERR_DI_PROOF_CHAIN' });
    expect(result.message).toContain('urn:uuid:no-such-proof');
    // previousProof is among the signed proof options, so pointing it at another real proof breaks the signature.
    const withC = await addDataIntegrityProof(chained, { signingKey: notary.signingKey, id: C, loader: testLoader });
    const repointed = { ...withC, proof: [proofById(withC, A), { ...proofById(withC, B), previousProof: C }, proofById(withC, C)] };
    expect(await verifyDataIntegrity(repointed, { loader: testLoader })).toMatchObject({ verified: false, code: 'ERR_DI_SIGNATURE' });
  });

  it('a cycle is refused before any signature is checked, and so is a proof that follows itself', async () => {
    const chained = await chainAB();
    const cycle = { ...chained, proof: [{ ...proofById(chained, A), previousProof: B }, proofById(chained, B)] };
    const result = await verifyDataIntegrity(cycle, { loader: testLoader });
    expect(result).toMatchObject({ verified: false, code: 'ERR_DI_PROOF_CHAIN' });
    expect(result.message).toMatch(/loops back/);
    const selfish = { ...chained, proof: [proofById(chained, A), { ...proofById(chained, B), previousProof: B }] };
    expect(await verifyDataIntegrity(selfish, { loader: testLoader })).toMatchObject({ verified: false, code: 'ERR_DI_PROOF_CHAIN' });
  });

  it('two proofs with the id a previousProof names are refused as ambiguous', async () => {
    const chained = await chainAB();
    const twin = proofById(await issuerSigned('2025-03-02T09:00:00Z'), A);
    const result = await verifyDataIntegrity({ ...chained, proof: [...chained.proof, twin] }, { loader: testLoader });
    expect(result).toMatchObject({ verified: false, code: 'ERR_DI_PROOF_CHAIN' });
  });

  it('a malformed previousProof (not an id) is refused', async () => {
    const chained = await chainAB();
    const bad = { ...chained, proof: [proofById(chained, A), { ...proofById(chained, B), previousProof: [42] }] };
    expect(await verifyDataIntegrity(bad, { loader: testLoader })).toMatchObject({ verified: false, code: 'ERR_DI_PROOF_CHAIN' });
  });

  it('adding a proof that follows a proof the credential does not have is refused', async () => {
    await expectCode(addDataIntegrityProof(await issuerSigned(), { signingKey: endorser.signingKey, previousProof: 'urn:uuid:missing', loader: testLoader }), 'ERR_DI_PROOF_CHAIN');
  });
});

describe('proof sets', () => {
  it('independent proofs by two signers verify; one tampered proof fails the set', async () => {
    const set = await addDataIntegrityProof(await issuerSigned(), { signingKey: endorser.signingKey, id: B, loader: testLoader });
    expect(proofById(set, B).previousProof).toBeUndefined();
    expect(await verifyDataIntegrity(set, { loader: testLoader })).toMatchObject({ verified: true, controller: issuer.did });
    // Each member is independent: either verifies alone.
    expect((await verifyDataIntegrity({ ...set, proof: [proofById(set, B)] }, { loader: testLoader })).verified).toBe(true);
    const b = proofById(set, B);
    const tampered = { ...set, proof: [proofById(set, A), { ...b, proofValue: `${b.proofValue.slice(0, -2)}11` }] };
    expect((await verifyDataIntegrity(tampered, { loader: testLoader })).verified).toBe(false);
  });

  it('a set member and a chain link side by side: both verify', async () => {
    const mixed = await addDataIntegrityProof(await chainAB(), { signingKey: notary.signingKey, id: C, loader: testLoader });
    expect(await verifyDataIntegrity(mixed, { loader: testLoader })).toMatchObject({ verified: true });
  });
});

describe('through the VC-API verifier', () => {
  const app = createVerifierApp({ verifier: createVerifier(), rateLimit: false });
  const post = async (verifiableCredential: unknown) => {
    const response = await app.request('/credentials/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential }) });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('a chained credential is verified (200); a broken chain is 422 with a problem detail that names the missing proof', async () => {
    const chained = await chainAB();
    expect((await post(chained)).status).toBe(200);
    const { status, body } = await post({ ...chained, proof: [proofById(chained, B)] });
    expect(status).toBe(422);
    expect(body.verified).toBe(false);
    const problem = body.problemDetails.find((p: any) => p.check === 'signature');
    expect(problem).toMatchObject({ type: 'https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR', code: 'SIGNATURE_MALFORMED' });
    expect(problem.detail).toContain(A);
  });
});
