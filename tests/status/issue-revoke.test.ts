// Issuing puts status entries in both securing forms; revoke/suspend/reinstate flip the list bit in the status change's transaction.
import { describe, expect, it } from 'vitest';
import { createStatusListApp } from '../../src/server/status-list-app';
import { decodeBitstring } from '../../src/libraries';
import { createVerifier } from '../../src/verify/verifier';
import { sampleRecord } from '../helpers/records';
import { BASE, statusFixture } from './fixture';

type Entry = { id: string; type: string; statusPurpose: string; statusListIndex: string; statusListCredential: string };

function payloadOf(jws: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function bitOf(f: ReturnType<typeof statusFixture>, listId: string, index: number): Promise<boolean> {
  const published = await f.publisher.get(listId);
  const body = published!.body;
  const list = body.startsWith('{') ? (JSON.parse(body) as Record<string, unknown>) : payloadOf(body);
  const subject = list.credentialSubject as { encodedList: string };
  return (await decodeBitstring(subject.encodedList)).getStatus(index);
}

describe('issuing with status entries', () => {
  it('gives a Data Integrity and a VC-JOSE credential revocation and suspension entries at one random index of its family’s lists', async () => {
    const f = statusFixture();
    const di = await f.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    const jose = await f.service.issue(sampleRecord(), { format: 'jose', actor: 'test' });
    const diEntries = (di.credential as { credentialStatus: Entry[] }).credentialStatus;
    const joseEntries = (payloadOf(jose.credential as string).credentialStatus as Entry[]);
    const diSlot = f.store.statusLists.slotOf(di.credentialId)!;
    const joseSlot = f.store.statusLists.slotOf(jose.credentialId)!;
    expect(diSlot.family).toBe('di');
    expect(joseSlot.family).toBe('jose');
    expect(diEntries).toEqual([
      { id: `${BASE}/status/di-1-revocation#${diSlot.index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(diSlot.index), statusListCredential: `${BASE}/status/di-1-revocation` },
      { id: `${BASE}/status/di-1-suspension#${diSlot.index}`, type: 'BitstringStatusListEntry', statusPurpose: 'suspension', statusListIndex: String(diSlot.index), statusListCredential: `${BASE}/status/di-1-suspension` },
    ]);
    expect(joseEntries.map((e) => e.statusListCredential)).toEqual([`${BASE}/status/jose-1-revocation`, `${BASE}/status/jose-1-suspension`]);
    expect(joseEntries.every((e) => e.statusListIndex === String(joseSlot.index))).toBe(true);
  });

  it('a cohort draws its slots in one go and binds only the rows that were stored', async () => {
    const f = statusFixture();
    const outcome = await f.service.issueMany([
      { row: 1, input: sampleRecord() },
      { row: 2, input: { not: 'a record' } },
      { row: 3, input: sampleRecord() },
    ], { actor: 'test' });
    expect(outcome.issued).toBe(2);
    const bound = f.store.statusLists.boundSlots();
    expect(bound).toHaveLength(2);
    expect(new Set(bound.map((b) => b.index)).size).toBe(2);
  });
});

describe('status changes flip the bits', () => {
  it('revoke sets the revocation bit in the same transaction as the status change, and the next fetch serves a re-signed list', async () => {
    const f = statusFixture();
    const issued = await f.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    const { index } = f.store.statusLists.slotOf(issued.credentialId)!;
    const before = await f.publisher.get('di-1-revocation');
    expect(await bitOf(f, 'di-1-revocation', index)).toBe(false);

    // A transaction that records the revocation and then fails leaves neither the status nor the bit changed.
    expect(() =>
      f.store.transaction(() => {
        f.service.requestStatusChange(issued.credentialId, 'revoke', { reasonCode: 'issued_in_error', actor: 'test' });
        expect(f.store.statusLists.get('di-1-revocation')!.revision).toBe(before!.revision + 1);
        throw new Error('crash after the status change');
      }),
    ).toThrow('crash after the status change');
    expect(f.store.getCredential(issued.credentialId)!.status).toBe('active');
    expect(f.store.statusLists.get('di-1-revocation')!.revision).toBe(before!.revision);
    expect(await bitOf(f, 'di-1-revocation', index)).toBe(false);

    f.service.requestStatusChange(issued.credentialId, 'revoke', { reasonCode: 'issued_in_error', actor: 'test' });
    const after = await f.publisher.get('di-1-revocation');
    expect(after!.revision).toBe(before!.revision + 1);
    expect(after!.etag).not.toBe(before!.etag);
    expect(after!.body).not.toBe(before!.body);
    expect(await bitOf(f, 'di-1-revocation', index)).toBe(true);
    expect(await bitOf(f, 'di-1-suspension', index)).toBe(false);
  });

  it('suspend sets the suspension bit and reinstate clears it, in the jose lists for a VC-JOSE credential', async () => {
    const f = statusFixture();
    const issued = await f.service.issue(sampleRecord(), { format: 'jose', actor: 'test' });
    const { index } = f.store.statusLists.slotOf(issued.credentialId)!;
    f.service.requestStatusChange(issued.credentialId, 'suspend', { reasonCode: 'under_review', actor: 'test' });
    expect(await bitOf(f, 'jose-1-suspension', index)).toBe(true);
    expect(await bitOf(f, 'jose-1-revocation', index)).toBe(false);
    f.service.requestStatusChange(issued.credentialId, 'reinstate', { reasonCode: 'resolved', actor: 'test' });
    expect(await bitOf(f, 'jose-1-suspension', index)).toBe(false);
    const published = await f.publisher.get('jose-1-suspension');
    expect(published!.contentType).toBe('application/vc+jwt');
  });
});

describe('the published list credential', () => {
  it('is a signed BitstringStatusListCredential that passes microcred’s verifier, in both securing forms', async () => {
    const f = statusFixture();
    await f.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    await f.service.issue(sampleRecord(), { format: 'jose', actor: 'test' });
    const verifier = createVerifier({});
    for (const id of ['di-1-revocation', 'jose-1-suspension']) {
      const published = (await f.publisher.get(id))!;
      const list = published.body.startsWith('{') ? (JSON.parse(published.body) as Record<string, unknown>) : payloadOf(published.body);
      expect(list).toMatchObject({
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `${BASE}/status/${id}`,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: f.keyring.did,
        credentialSubject: { id: `${BASE}/status/${id}#list`, type: 'BitstringStatusList', ttl: 300_000 },
      });
      expect(Date.parse(list.validUntil as string)).toBeGreaterThan(Date.now());
      const outcome = await verifier.verify(published.body.startsWith('{') ? list : published.body);
      for (const name of ['parse', 'schema', 'signature', 'issuer-key', 'validity-period'] as const) {
        expect(outcome.checks.find((c) => c.check === name), `${id} ${name}`).toMatchObject({ status: 'passed' });
      }
    }
  });

  it('is served at GET /status/{list} with cache headers, an ETag and 304 for a matching If-None-Match; unknown lists are 404', async () => {
    const f = statusFixture();
    const issued = await f.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    const app = createStatusListApp({ publisher: f.publisher });
    const first = await app.request('/status/di-1-revocation');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/ld+json');
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"di-1-revocation-\d+-[\w-]+"$/);
    expect((await app.request('/status/di-1-revocation', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    f.service.requestStatusChange(issued.credentialId, 'revoke', { reasonCode: 'misconduct', actor: 'test' });
    const changed = await app.request('/status/di-1-revocation', { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await app.request('/status/di-9-revocation')).status).toBe(404);
    expect((await app.request('/status/../etc')).status).toBe(404);
  });
});
