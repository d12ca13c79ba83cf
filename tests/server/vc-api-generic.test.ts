// The VC-API issuer with generic credentials: VC DM 2.0 and 1.1, both securing forms, verified by microcred, @digitalbazaar/vc and jose; stored, anchored, revocable.
import { describe, expect, it } from 'vitest';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { compactVerify, importJWK } from 'jose';
import { encodeAnchorProof } from '../../src/anchoring/anchor-proof';
import { buildTree } from '../../src/anchoring/merkle';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import { createVerifierApp } from '../../src/server/verifier-app';
import { multikeyToJwk } from '../../src/did';
import { createVerifier } from '../../src/verify/verifier';
import { issuerFixture, type IssuerFixture } from '../issuer/fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary members of the answer
type Any = any;

const V2 = 'https://www.w3.org/ns/credentials/v2';
const V1 = 'https://www.w3.org/2018/credentials/v1';
const EXAMPLES = 'https://www.w3.org/ns/credentials/examples/v2';

function generic(f: IssuerFixture, version: '2.0' | '1.1', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return version === '2.0'
    ? { '@context': [V2, EXAMPLES], type: ['VerifiableCredential', 'ExampleAlumniCredential'], issuer: f.service.issuer.did, credentialSubject: { id: 'did:example:ada', alumniOf: 'Example University' }, ...overrides }
    : { '@context': [V1, EXAMPLES], type: ['VerifiableCredential', 'ExampleAlumniCredential'], issuer: f.service.issuer.did, credentialSubject: { id: 'did:example:ada', alumniOf: 'Example University' }, ...overrides };
}

async function issue(f: IssuerFixture, credential: unknown, options?: unknown): Promise<{ status: number; body: Any }> {
  const response = await f.app.request('/credentials/issue', {
    method: 'POST',
    headers: { authorization: `Bearer ${f.tokens.issue}`, 'content-type': 'application/json' },
    body: JSON.stringify(options === undefined ? { credential } : { credential, options }),
  });
  return { status: response.status, body: (await response.json()) as Any };
}

const verifierApp = createVerifierApp({ verifier: createVerifier(), rateLimit: false });
const vcApiVerify = (verifiableCredential: unknown) =>
  verifierApp.request('/credentials/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential }) });

describe('VC-API issue: generic credentials', () => {
  it.each(['2.0', '1.1'] as const)('VC %s, Data Integrity: issued as our DID, verified by microcred and by @digitalbazaar/vc', async (version) => {
    const f = issuerFixture();
    const { status, body } = await issue(f, generic(f, version));
    expect(status).toBe(201);
    const credential = body.verifiableCredential;
    expect(credential.issuer).toBe(f.service.issuer.did);
    expect(credential.id).toMatch(/^urn:uuid:/);
    expect(credential[version === '2.0' ? 'validFrom' : 'issuanceDate']).toBe('2025-03-01T10:00:00Z');
    expect(credential.proof).toEqual([expect.objectContaining({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })]);
    const raw = await vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: defaultDocumentLoader() });
    expect(raw.verified).toBe(true);
    const answer = await vcApiVerify(credential);
    expect(answer.status).toBe(200);
    // Verified by cryptography and status; the registry, which this verifier does not have, is reported as trust.
    expect(((await answer.json()) as Any).trust.verdict).toBe('indeterminate');
  });

  it.each(['2.0', '1.1'] as const)('VC %s, VC-JOSE: an EnvelopedVerifiableCredential that jose and microcred verify', async (version) => {
    const f = issuerFixture();
    const { status, body } = await issue(f, generic(f, version), { format: 'jose' });
    expect(status).toBe(201);
    const envelope = body.verifiableCredential;
    expect(envelope).toMatchObject({ type: 'EnvelopedVerifiableCredential' });
    const jws = String(envelope.id).slice('data:application/vc+jwt,'.length);
    const key = await importJWK({ ...multikeyToJwk(f.service.issuer.signingKey.publicKeyMultibase) }, 'EdDSA');
    const { payload, protectedHeader } = await compactVerify(jws, key);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ issuer: f.service.issuer.did, type: ['VerifiableCredential', 'ExampleAlumniCredential'] });
    expect((await vcApiVerify(envelope)).status).toBe(200);
    expect((await vcApiVerify(jws)).status).toBe(200);
  });

  it('is stored, anchored and revocable like the rest', async () => {
    const f = issuerFixture();
    const { body } = await issue(f, generic(f, '2.0'));
    const id = body.verifiableCredential.id as string;
    const row = f.store.getCredential(id)!;
    expect(row).toMatchObject({ id, moduleId: 'ExampleAlumniCredential', learnerRef: 'did:example:ada' });
    const sealed = f.store.sealBatch(row.batchId, (leaves) => buildTree(leaves).root);
    const tx = `0x${'ab'.repeat(32)}`;
    f.store.markSubmitted(sealed.batch.id, { txHash: tx, nonce: 0 });
    const proof = encodeAnchorProof({ chain: 'eip155:31337', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: sealed.batch.root!, path: [], transaction: tx, block: 2 }, '2025-03-01T10:00:05Z');
    f.store.markAnchored(sealed.batch.id, { blockNumber: 2, anchoredAt: f.now(), txHash: tx }, new Map([[id, JSON.stringify(proof)]]));
    const headers = { authorization: `Bearer ${f.tokens.admin}`, 'content-type': 'application/json' };
    const view = (await (await f.app.request(`/v1/credentials/${encodeURIComponent(id)}`, { headers })).json()) as Any;
    expect(view).toMatchObject({ anchorState: 'anchored', anchorProof: proof });
    const revoke = await f.app.request(`/v1/credentials/${encodeURIComponent(id)}/revoke`, { method: 'POST', headers, body: JSON.stringify({ reasonCode: 'issued_in_error' }) });
    expect(revoke.status).toBe(202);
  });

  it('refuses a foreign issuer, a proof, an email subject and broken data-model rules with their VC DM types', async () => {
    const f = issuerFixture();
    const refused = await issue(f, generic(f, '2.0', { issuer: 'did:example:other', proof: {}, credentialSubject: { id: 'mailto:ada@example.org' }, validFrom: '2025-03-01', validUntil: '2020-01-01T00:00:00Z' }));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('ERR_INVALID_CREDENTIAL');
    expect(refused.body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'issuer' }),
        expect.objectContaining({ field: 'proof' }),
        expect.objectContaining({ field: 'credentialSubject.id' }),
        expect.objectContaining({ field: 'validFrom', type: 'MALFORMED_VALUE_ERROR' }),
      ]),
    );
    const range = await issue(f, generic(f, '2.0', { validFrom: '2025-03-01T00:00:00Z', validUntil: '2020-01-01T00:00:00Z' }));
    expect(range.body.issues).toEqual([expect.objectContaining({ field: 'validUntil', type: 'RANGE_ERROR' })]);
  });

  it('the real verifier on the VC-API: tampered 422 CRYPTOGRAPHIC_SECURITY_ERROR; an unavailable context 422 naming it; junk 400', async () => {
    const f = issuerFixture();
    const { body } = await issue(f, generic(f, '2.0'));
    const tampered = await vcApiVerify({ ...body.verifiableCredential, credentialSubject: { id: 'did:example:eve', alumniOf: 'Example University' } });
    expect(tampered.status).toBe(422);
    expect(((await tampered.json()) as Any).problemDetails).toContainEqual(expect.objectContaining({ type: 'https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR', code: 'SIGNATURE_INVALID' }));
    const unknownContext = 'https://contexts.example/not-here/v1';
    const foreign = await vcApiVerify({ ...body.verifiableCredential, '@context': [V2, EXAMPLES, unknownContext] });
    expect(foreign.status).toBe(422);
    const answer = (await foreign.json()) as Any;
    expect(answer.verified).toBe(false);
    expect(answer.problemDetails).toContainEqual(expect.objectContaining({ check: 'signature', code: 'SIGNATURE_KEY_UNRESOLVED' }));
    expect(answer.errors.join(' ')).toContain(unknownContext);
    const junk = await vcApiVerify({ hello: 'world' });
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as Any).code).toBe('ERR_NOT_A_CREDENTIAL');
  });
});
