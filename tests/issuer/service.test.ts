// The issuer service against a real SQLite store: issue (DI verifies with @digitalbazaar/vc, JOSE with jose), PII, batches.
import { describe, expect, it } from 'vitest';
import { compactVerify, importJWK } from 'jose';
import { credentialLeaf } from '../../src/anchoring/leaf';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import { isMicrocredError } from '../../src/errors';
import { loadOrCreateIssuerKeyring, parseCohortCsv, rotateIssuerKeyring, csvColumnOf } from '../../src/issuer';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { issuerDidDocument } from '../../src/signing/issuer';
import { multikeyToJwk } from '../../src/did/multikey';
import { openStore } from '../../src/store';
import { SECRET, issuerFixture, record } from './fixture';

async function verifyDi(credential: unknown): Promise<boolean> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  const result = (await vc.verifyCredential({ credential, suite, documentLoader: defaultDocumentLoader() })) as { verified: boolean; error?: unknown };
  if (!result.verified) console.error(result.error);
  return result.verified;
}

describe('issuer service', () => {
  it('issues a Data Integrity credential that raw @digitalbazaar/vc verifies, storing PII only in learners', async () => {
    const { service, store } = issuerFixture();
    const issued = await service.issue(record(), { format: 'di', actor: 'test' });
    expect(typeof issued.credential).toBe('object');
    expect(await verifyDi(issued.credential)).toBe(true);
    const text = JSON.stringify(issued.credential);
    expect(text).not.toContain('ada@example.org');
    const row = store.getCredential(issued.credentialId)!;
    expect(row.learnerRef).toMatch(/^sha256\$/);
    expect(store.getLearner(row.learnerId!)?.email).toBe('ada@example.org');
    expect(issued.leaf).toBe(credentialLeaf(issued.credential as Record<string, unknown>));
    expect(issued.batchId).toBe(row.batchId);
  });

  it('issues a VC-JOSE credential that jose verifies with the issuer key', async () => {
    const { service } = issuerFixture();
    const issued = await service.issue(record({ learner: { did: 'did:example:holder1' } }), { format: 'jose', actor: 'test' });
    expect(typeof issued.credential).toBe('string');
    const jwk = multikeyToJwk(service.issuer.signingKey.publicKeyMultibase);
    const { payload, protectedHeader } = await compactVerify(issued.credential as string, await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA'));
    expect(protectedHeader).toMatchObject({ typ: 'vc+jwt', alg: 'EdDSA', kid: service.issuer.signingKey.id });
    const credential = JSON.parse(new TextDecoder().decode(payload));
    expect(credential.credentialSubject.id).toBe('did:example:holder1');
    expect(issued.leaf).toBe(credentialLeaf(issued.credential as string));
  });

  it('rejects a bad record with one issue per field', async () => {
    const { service } = issuerFixture();
    const error = await service.issue(record({ completedAt: 'yesterday', module: { id: 'x' } }), { actor: 'test' }).catch((e: unknown) => e);
    expect(isMicrocredError(error, 'ERR_INVALID_RECORD')).toBe(true);
    const fields = ((error as { details: { issues: { field: string }[] } }).details.issues).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['completedAt', 'module.id', 'module.name']));
  });

  it('issueMany reports bad rows by row and field and issues the rest; atomic issues nothing', async () => {
    const { service, store } = issuerFixture();
    const rows = [
      { row: 1, input: record() },
      { row: 2, input: record({ completedAt: '2099-01-01T00:00:00Z' }) },
      { row: 3, input: record({ learner: { did: 'did:example:x' } }) },
    ];
    const atomic = await service.issueMany(rows, { atomic: true, actor: 'test' });
    expect(atomic).toMatchObject({ issued: 0, failed: 3 });
    expect(atomic.rows[1]).toMatchObject({ row: 2, status: 'invalid', errors: [{ field: 'completedAt' }] });
    expect(atomic.rows[0]).toMatchObject({ row: 1, status: 'not_issued' });
    expect(store.listCredentials().items).toHaveLength(0);

    const progress: number[] = [];
    const partial = await service.issueMany(rows, { chunkSize: 2, onProgress: (p) => progress.push(p.done), actor: 'test' });
    expect(partial).toMatchObject({ issued: 2, failed: 1 });
    expect(partial.rows.map((r) => r.status)).toEqual(['issued', 'invalid', 'issued']);
    expect(progress).toEqual([2, 3]);
    expect(store.listCredentials().items).toHaveLength(2);
  });

  it('reads a cohort CSV with row numbers as in the file and errors named by column', async () => {
    const csv = [
      'learner_email,learner_name,module_id,module_name,module_description,criteria,credits,completed_at,valid_for',
      'ada@example.org,Ada,https://example.org/m/1,ACLS,Desc,Crit,8,2025-02-28T09:30:00Z,P2Y',
      'not-an-email,Bob,https://example.org/m/1,ACLS,Desc,Crit,eight,2025-02-28T09:30:00Z,P2Y',
      '',
      'cy@example.org,Cy,https://example.org/m/1,,Desc,Crit,8,2025-02-28T09:30:00Z,P2Y',
    ].join('\n');
    const rows = parseCohortCsv(csv);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 5]);
    expect(rows[0]!.issues).toBeUndefined();
    expect(rows[1]!.issues).toEqual([{ field: 'credits', message: 'must be a number' }]);
    expect(rows[2]!.issues?.map((i) => i.field)).toEqual(['module_name']);
    const { service } = issuerFixture();
    const outcome = await service.issueMany(rows, { fieldName: csvColumnOf, actor: 'test' });
    expect(outcome).toMatchObject({ issued: 1, failed: 2 });
    expect(() => parseCohortCsv('learner_email,colour\n')).toThrow(expect.objectContaining({ code: 'ERR_CSV_INVALID' }));
    expect(() => parseCohortCsv('module_id,"open\n')).toThrow(expect.objectContaining({ code: 'ERR_CSV_INVALID' }));
  });

  it('records status changes with transition checks, and shows the anchoring state', async () => {
    const { service } = issuerFixture();
    const issued = await service.issue(record(), { actor: 'test' });
    const change = service.requestStatusChange(issued.credentialId, 'suspend', { reasonCode: 'under_review', reason: 'audit', actor: 'test' });
    expect(change).toMatchObject({ action: 'suspend', state: 'pending' });
    expect(() => service.requestStatusChange(issued.credentialId, 'suspend', { reasonCode: 'under_review', actor: 'test' })).toThrow(expect.objectContaining({ code: 'ERR_STATUS_TRANSITION' }));
    const view = service.getCredentialWithAnchor(issued.credentialId);
    expect(view).toMatchObject({ status: 'suspended', anchorState: 'pending', anchored: null });
    expect(view.statusChanges).toHaveLength(1);
    expect(() => service.getCredentialWithAnchor('urn:uuid:00000000-0000-4000-8000-000000000000')).toThrow(expect.objectContaining({ code: 'ERR_CREDENTIAL_NOT_FOUND' }));
  });
});

describe('keyring in the store', () => {
  it('creates the key once, sealed, and loads the same DID after reopening', () => {
    const { dir, store } = issuerFixture();
    const first = loadOrCreateIssuerKeyring(store, { didMethod: 'key', profile: { name: 'X', url: 'https://x.org' }, actor: 'test' });
    expect(first.created).toBe(false); // the fixture created it
    const reopened = openStore({ path: `${dir}/microcred.sqlite`, secret: SECRET });
    try {
      const again = loadOrCreateIssuerKeyring(reopened, { didMethod: 'key', profile: { name: 'X', url: 'https://x.org' }, actor: 'test' });
      expect(again.keyring.did).toBe(first.keyring.did);
      expect(again.keyring.signingKey.publicKeyMultibase).toBe(first.keyring.signingKey.publicKeyMultibase);
    } finally {
      reopened.close();
    }
  });

  it('rotates a did:web key: the new key signs, the old one stays published', async () => {
    const { store, service } = issuerFixture({ didWeb: true });
    const before = service.issuer;
    const rotated = rotateIssuerKeyring(store, before, 'test');
    expect(rotated.signingKey.id).not.toBe(before.signingKey.id);
    const loaded = loadOrCreateIssuerKeyring(store, { didMethod: 'web', domain: 'example.org', profile: { name: 'X', url: 'https://x.org' }, actor: 'test' });
    expect(loaded.keyring.signingKey.id).toBe(rotated.signingKey.id);
    const doc = await issuerDidDocument(loaded.keyring);
    expect(doc.assertionMethod).toEqual([rotated.signingKey.id, before.signingKey.id]);
  });
});
