// Finding 7: an idempotency record holds only what a replay needs (ids, outcomes), never a learner's name or email.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { issuerFixture, record, type IssuerFixture } from '../issuer/fixture';

const ADA = { name: 'Ada Lovelace-Byron', email: 'ada.lovelace@example.org' };
const BOB = { name: 'Bob Babbage-Analytic', email: 'bob.babbage@example.org' };

/** Every stored byte of every idempotency row (all columns), read raw from the real SQLite file. */
function rawIdempotencyRows(fixture: IssuerFixture): string {
  const db = new Database(path.join(fixture.dir, 'microcred.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT * FROM idempotency_keys').raw().all() as unknown[][];
    expect(rows.length).toBeGreaterThan(0);
    return rows.map((row) => row.map((cell) => (Buffer.isBuffer(cell) ? cell.toString('utf8') : String(cell))).join('\u0000')).join('\n');
  } finally {
    db.close();
  }
}

async function post(fixture: IssuerFixture, url: string, body: unknown, key: string): Promise<Response> {
  return fixture.app.request(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.tokens.issue}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

describe('finding 7: idempotency records keep no learner PII', () => {
  it('a single issue stores only ids; a retry with the same key still gets the same answer', async () => {
    const fixture = issuerFixture();
    const body = record({ learner: ADA });
    const first = await post(fixture, '/v1/credentials', body, 'k-one');
    expect(first.status).toBe(201);
    const answer = (await first.json()) as { id: string; credential: unknown };
    // The answer itself does carry the name (it is the credential): the point is that the stored record does not.
    expect(JSON.stringify(answer.credential)).toContain(ADA.name);

    const raw = rawIdempotencyRows(fixture);
    expect(raw).toContain(answer.id);
    expect(raw).not.toContain(ADA.name);
    expect(raw).not.toContain(ADA.email);

    const retry = await post(fixture, '/v1/credentials', body, 'k-one');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(await retry.json()).toEqual(answer);
    expect(fixture.store.listCredentials({ limit: 10, cursor: null }).items).toHaveLength(1);

    const other = await post(fixture, '/v1/credentials', record({ learner: BOB }), 'k-one');
    expect(other.status).toBe(422);
    expect(((await other.json()) as { code: string }).code).toBe('ERR_IDEMPOTENCY_MISMATCH');
  });

  it('a batch with credentials stores row outcomes without credentials; a retry gets the same rows and credentials back', async () => {
    const fixture = issuerFixture();
    const body = { records: [record({ learner: ADA }), { learner: { email: 'not-an-email' } }, record({ learner: BOB })] };
    const url = '/v1/credentials/batch?includeCredentials=true';
    const first = await post(fixture, url, body, 'k-batch');
    expect(first.status).toBe(207);
    const answer = (await first.json()) as { issued: number; failed: number; rows: Array<{ status: string; credential?: unknown }> };
    expect(answer.issued).toBe(2);
    expect(answer.rows.map((r) => r.status)).toEqual(['issued', 'invalid', 'issued']);
    expect(JSON.stringify(answer.rows[0]!.credential)).toContain(ADA.name);

    const raw = rawIdempotencyRows(fixture);
    for (const pii of [ADA.name, ADA.email, BOB.name, BOB.email]) expect(raw).not.toContain(pii);

    const retry = await post(fixture, url, body, 'k-batch');
    expect(retry.status).toBe(207);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(answer);
    expect(fixture.store.listCredentials({ limit: 10, cursor: null }).items).toHaveLength(2);
  });

  it('the VC-API issue route stores only the credential id and replays the same credential', async () => {
    const fixture = issuerFixture();
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'ACLS',
      issuer: fixture.service.issuer.did,
      credentialSubject: {
        type: ['AchievementSubject'],
        id: 'did:example:holder-7',
        achievement: { id: 'https://example.org/modules/acls', type: ['Achievement'], name: 'ACLS', description: 'd', criteria: { narrative: 'c' } },
      },
    };
    const issued = await post(fixture, '/credentials/issue', { credential }, 'k-vcapi');
    expect(issued.status).toBe(201);
    const answer = (await issued.json()) as { verifiableCredential: { id: string } };
    const raw = rawIdempotencyRows(fixture);
    expect(raw).toContain(answer.verifiableCredential.id);
    // Not the credential: neither its subject nor its proof is in the record.
    expect(raw).not.toContain('did:example:holder-7');
    expect(raw).not.toContain('eddsa-rdfc-2022');
    const retry = await post(fixture, '/credentials/issue', { credential }, 'k-vcapi');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(answer);
  });
});
