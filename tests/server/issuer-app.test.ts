// The issuer HTTP API through app.request: auth and scopes, issue (idempotent), batch JSON/CSV, list, status, VC-API, docs.
import { describe, expect, it } from 'vitest';
import { encodeAnchorProof } from '../../src/anchoring/anchor-proof';
import { buildTree } from '../../src/anchoring/merkle';
import { batchAnswerSchema, credentialPageSchema } from '../../src/server/issuer-schemas';
import { issuerFixture, record, type IssuerFixture } from '../issuer/fixture';
import { expectProblem } from '../helpers/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary members of the answer
type Any = any;

function call(f: IssuerFixture, method: string, path: string, options: { token?: string; body?: unknown; raw?: string; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  return f.app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
}

describe('authentication and scopes', () => {
  it('401 without a token, with WWW-Authenticate', async () => {
    const f = issuerFixture();
    const response = await call(f, 'POST', '/v1/credentials', { body: record() });
    await expectProblem(response, 401, 'ERR_UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });

  it('401 for an unknown or revoked token', async () => {
    const f = issuerFixture();
    await expectProblem(await call(f, 'GET', '/v1/credentials', { token: 'mct_0000000000000000_' + 'a'.repeat(43) }), 401, 'ERR_UNAUTHENTICATED');
    const { id, token } = f.store.createToken('temp', ['issue'], 'test');
    f.store.revokeToken(id, 'test');
    const response = await call(f, 'GET', '/v1/credentials', { token });
    await expectProblem(response, 401, 'ERR_UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('403 with the wrong scope; admin has every scope', async () => {
    const f = issuerFixture();
    const body = await expectProblem(await call(f, 'POST', '/v1/credentials', { token: f.tokens.status, body: record() }), 403, 'ERR_FORBIDDEN');
    expect(body.requiredScope).toBe('issue');
    const issued = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.admin, body: record() })).json()) as Any;
    await expectProblem(await call(f, 'POST', `/v1/credentials/${encodeURIComponent(issued.id)}/revoke`, { token: f.tokens.issue, body: { reasonCode: 'superseded' } }), 403, 'ERR_FORBIDDEN');
  });
});

describe('POST /v1/credentials', () => {
  it('issues Data Integrity by default and VC-JOSE with ?format=jose or a body field', async () => {
    const f = issuerFixture();
    const di = await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record() });
    expect(di.status).toBe(201);
    const diBody = (await di.json()) as Any;
    expect(diBody).toMatchObject({ format: 'di', anchorState: 'pending', batchId: 1 });
    expect(diBody.credential.proof).toEqual([expect.objectContaining({ cryptosuite: 'eddsa-rdfc-2022' })]);
    expect(di.headers.get('location')).toBe(`/v1/credentials/${encodeURIComponent(diBody.id)}`);
    const jose = (await (await call(f, 'POST', '/v1/credentials?format=jose', { token: f.tokens.issue, body: record() })).json()) as Any;
    expect(jose.credential.split('.')).toHaveLength(3);
    const joseBody = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: { ...record(), format: 'jose' } })).json()) as Any;
    expect(joseBody.format).toBe('jose');
  });

  it('422 ERR_INVALID_RECORD naming every bad field', async () => {
    const f = issuerFixture();
    const body = await expectProblem(await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record({ completedAt: 'soon', colour: 'red' }) }), 422, 'ERR_INVALID_RECORD');
    expect(body.issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(['completedAt', 'colour']));
  });

  it('400 for malformed JSON, 415 for a wrong media type, 413 for an oversized body', async () => {
    const f = issuerFixture({ app: { bodyLimitBytes: 4096 } });
    await expectProblem(await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, raw: '{"learner":' }), 400, 'ERR_MALFORMED_JSON');
    await expectProblem(await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, raw: 'x', type: 'text/plain' }), 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
    await expectProblem(await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record({ module: { description: 'x'.repeat(5000) } }) }), 413, 'ERR_BODY_TOO_LARGE');
  });

  it('honours Idempotency-Key: a retry returns the same credential and stores one row; another body is refused', async () => {
    const f = issuerFixture();
    const headers = { 'idempotency-key': 'key-1' };
    const first = await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record(), headers });
    const second = await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record(), headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const a = (await first.json()) as Any;
    const b = (await second.json()) as Any;
    expect(b).toEqual(a);
    expect(f.store.db.prepare('SELECT count(*) FROM credentials').pluck().get()).toBe(1);
    await expectProblem(await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record({ validFor: 'P1Y' }), headers }), 422, 'ERR_IDEMPOTENCY_MISMATCH');
    expect(f.store.db.prepare('SELECT count(*) FROM credentials').pluck().get()).toBe(1);
  });
});

describe('POST /v1/credentials/batch', () => {
  it('issues a JSON array with per-row results (207 when some rows are bad)', async () => {
    const f = issuerFixture();
    const response = await call(f, 'POST', '/v1/credentials/batch', { token: f.tokens.issue, body: [record(), record({ module: { id: 'nope' } }), record()] });
    expect(response.status).toBe(207);
    const body = (await response.json()) as Any;
    expect(body).toMatchObject({ atomic: false, issued: 2, failed: 1 });
    expect(body.rows[1]).toMatchObject({ row: 2, status: 'invalid' });
    expect(body.rows[1].errors.map((e: { field: string }) => e.field)).toContain('module.id');
    expect(body.rows[0].credential).toBeUndefined();
  });

  it('atomic=true with one bad row issues nothing (422 ERR_BATCH_REJECTED)', async () => {
    const f = issuerFixture();
    const body = await expectProblem(await call(f, 'POST', '/v1/credentials/batch?atomic=true', { token: f.tokens.issue, body: [record(), record({ completedAt: 'x' })] }), 422, 'ERR_BATCH_REJECTED');
    expect(body).toMatchObject({ issued: 0, failed: 1, rows: [{ row: 2, status: 'invalid' }] });
    expect(f.store.db.prepare('SELECT count(*) FROM credentials').pluck().get()).toBe(0);
  });

  it('accepts text/csv; bad rows name the file row and the column', async () => {
    const f = issuerFixture();
    const csv = [
      'learner_email,module_id,module_name,module_description,criteria,completed_at,expires_at',
      'a@example.org,https://example.org/m/1,ACLS,Desc,Crit,2025-02-28T09:30:00Z,',
      'b@example.org,https://example.org/m/1,ACLS,Desc,Crit,2025-02-28T09:30:00Z,2020-01-01T00:00:00Z',
      'c@example.org,https://example.org/m/1,ACLS,Desc,Crit,last tuesday,',
    ].join('\r\n');
    const response = await call(f, 'POST', '/v1/credentials/batch?format=jose&includeCredentials=true', { token: f.tokens.issue, raw: csv, type: 'text/csv' });
    expect(response.status).toBe(207);
    const body = (await response.json()) as Any;
    expect(body.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([[2, 'issued'], [3, 'invalid'], [4, 'invalid']]);
    expect(body.rows[1].errors[0].field).toBe('expires_at');
    expect(body.rows[2].errors[0].field).toBe('completed_at');
    expect(typeof body.rows[0].credential).toBe('string');
    await expectProblem(await call(f, 'POST', '/v1/credentials/batch', { token: f.tokens.issue, raw: 'name,colour\nx,y', type: 'text/csv' }), 400, 'ERR_CSV_INVALID');
    await expectProblem(await call(f, 'POST', '/v1/credentials/batch', { token: f.tokens.issue, body: [] }), 400, 'ERR_BATCH_EMPTY');
  });

  it('an idempotent batch retry returns the first answer and issues once', async () => {
    const f = issuerFixture();
    const headers = { 'idempotency-key': 'batch-1' };
    const first = (await (await call(f, 'POST', '/v1/credentials/batch', { token: f.tokens.issue, body: [record(), record()], headers })).json()) as Any;
    const again = await call(f, 'POST', '/v1/credentials/batch', { token: f.tokens.issue, body: [record(), record()], headers });
    expect(again.status).toBe(200);
    expect((await again.json()) as Any).toEqual(first);
    expect(f.store.db.prepare('SELECT count(*) FROM credentials').pluck().get()).toBe(2);
  });
});

describe('reading credentials and batches', () => {
  it('GET /v1/credentials/{id} gives the state; unknown ids are 404', async () => {
    const f = issuerFixture();
    const issued = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record() })).json()) as Any;
    const bare = issued.id.slice('urn:uuid:'.length);
    for (const path of [`/v1/credentials/${encodeURIComponent(issued.id)}`, `/v1/credentials/${bare}`]) {
      const view = (await (await call(f, 'GET', path, { token: f.tokens.status })).json()) as Any;
      expect(view).toMatchObject({ id: issued.id, anchorState: 'pending', anchored: null, status: 'active' });
    }
    await expectProblem(await call(f, 'GET', '/v1/credentials/00000000-0000-4000-8000-000000000000', { token: f.tokens.issue }), 404, 'ERR_CREDENTIAL_NOT_FOUND');
  });

  it('GET /v1/credentials/{id} carries the anchor proof once the batch is anchored', async () => {
    const f = issuerFixture();
    const issued = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record() })).json()) as Any;
    const sealed = f.store.sealBatch(issued.batchId, (leaves) => buildTree(leaves).root);
    const tx = `0x${'ab'.repeat(32)}`;
    f.store.markSubmitted(sealed.batch.id, { txHash: tx, nonce: 0 });
    const proof = encodeAnchorProof({ chain: 'eip155:31337', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: sealed.batch.root!, path: [], transaction: tx, block: 2 }, '2025-03-01T10:00:05Z');
    f.store.markAnchored(sealed.batch.id, { blockNumber: 2, anchoredAt: f.now(), txHash: tx }, new Map([[issued.id, JSON.stringify(proof)]]));
    const view = (await (await call(f, 'GET', `/v1/credentials/${encodeURIComponent(issued.id)}`, { token: f.tokens.issue })).json()) as Any;
    expect(view).toMatchObject({ anchorState: 'anchored', anchorProof: proof });
    expect(view.anchored.proof).toHaveLength(2);
    expect(view.anchored.proof[0]).toEqual(issued.credential.proof[0]);
  });

  it('lists with module, learner and date filters and pages with a cursor', async () => {
    const f = issuerFixture();
    for (let i = 0; i < 3; i++) await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record() });
    await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record({ learner: { did: 'did:example:bob' }, module: { ...(record().module as object), id: 'https://example.org/modules/bls' } }) });
    const get = async (query: string): Promise<Any> => (await call(f, 'GET', `/v1/credentials${query}`, { token: f.tokens.issue })).json();
    expect((await get('')).items).toHaveLength(4);
    expect((await get('?module=https://example.org/modules/bls')).items).toHaveLength(1);
    expect((await get('?learner=ADA@example.org')).items).toHaveLength(3);
    expect((await get('?learner=did:example:bob')).items).toHaveLength(1);
    expect((await get('?learner=nobody@example.org')).items).toHaveLength(0);
    expect((await get('?from=2025-03-01T10:00:00Z&to=2025-03-01T10:00:01Z')).items).toHaveLength(4);
    expect((await get('?to=2025-03-01T09:00:00Z')).items).toHaveLength(0);
    const page1 = await get('?limit=3');
    expect(page1.items).toHaveLength(3);
    const page2 = await get(`?limit=3&cursor=${page1.nextCursor}`);
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    await expectProblem(await call(f, 'GET', '/v1/credentials?limit=0', { token: f.tokens.issue }), 400, 'ERR_INVALID_REQUEST');
    await expectProblem(await call(f, 'GET', '/v1/credentials?cursor=bogus', { token: f.tokens.issue }), 400, 'ERR_BAD_CURSOR');
  });

  it("batch and list answers name the learner and the state: pending anchor, anchored, suspended, revoked", async () => {
    const f = issuerFixture();
    const csv = ['learner_email,learner_name,module_id,module_name,module_description,criteria,completed_at', 'a@example.org,Ada Lovelace,https://example.org/m/1,ACLS,Desc,Crit,2025-02-28T09:30:00Z', 'b@example.org,,https://example.org/m/1,ACLS,Desc,Crit,2025-02-28T09:30:00Z'].join('\n');
    const headers = { 'idempotency-key': 'names-1' };
    const batch = (await (await call(f, 'POST', '/v1/credentials/batch', { token: f.tokens.issue, raw: csv, type: 'text/csv', headers })).json()) as Any;
    expect(batch.rows.map((r: Any): unknown[] => [r.learnerName as unknown, r.state as unknown])).toEqual([['Ada Lovelace', 'pending_anchor'], [null, 'pending_anchor']]);
    expect(batchAnswerSchema.safeParse(batch).success).toBe(true);
    // The replay record keeps no learner name (docs/api.md); the replayed answer reads it back from the store.
    const record = f.store.db.prepare('SELECT response_body FROM idempotency_keys').pluck().get() as string;
    expect(record).not.toContain('Ada');
    expect((await (await call(f, 'POST', '/v1/credentials/batch', { token: f.tokens.issue, raw: csv, type: 'text/csv', headers })).json()) as Any).toEqual(batch);
    const [ada, bob] = batch.rows.map((r: Any) => r.credentialId as string);
    const list = async (): Promise<Record<string, Any>> => {
      const page = (await (await call(f, 'GET', '/v1/credentials', { token: f.tokens.issue })).json()) as Any;
      expect(credentialPageSchema.safeParse(page).success).toBe(true);
      return Object.fromEntries(page.items.map((i: Any): [string, Any] => [i.id, i]));
    };
    expect((await list())[ada]).toMatchObject({ learnerName: 'Ada Lovelace', state: 'pending_anchor', anchorState: 'pending' });
    const sealed = f.store.sealBatch(batch.rows[0].batchId, (leaves) => buildTree(leaves).root);
    const tx = `0x${'cd'.repeat(32)}`;
    f.store.markSubmitted(sealed.batch.id, { txHash: tx, nonce: 0 });
    const proof = (_id: string) => JSON.stringify(encodeAnchorProof({ chain: 'eip155:31337', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: sealed.batch.root!, path: [], transaction: tx, block: 2 }, '2025-03-01T10:00:05Z'));
    f.store.markAnchored(sealed.batch.id, { blockNumber: 2, anchoredAt: f.now(), txHash: tx }, new Map([[ada, proof(ada)], [bob, proof(bob)]]));
    expect((await list())[ada].state).toBe('anchored');
    await call(f, 'POST', `/v1/credentials/${encodeURIComponent(ada)}/suspend`, { token: f.tokens.status, body: { reasonCode: 'under_review' } });
    await call(f, 'POST', `/v1/credentials/${encodeURIComponent(bob)}/revoke`, { token: f.tokens.status, body: { reasonCode: 'issued_in_error' } });
    const after = await list();
    expect([after[ada].state, after[bob].state, after[bob].learnerName]).toEqual(['suspended', 'revoked', null]);
    const view = (await (await call(f, 'GET', `/v1/credentials/${encodeURIComponent(ada)}`, { token: f.tokens.issue })).json()) as Any;
    expect(view).toMatchObject({ state: 'suspended', learnerName: 'Ada Lovelace' });
  });

  it('GET /v1/batches lists the open batch', async () => {
    const f = issuerFixture();
    await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record() });
    const body = (await (await call(f, 'GET', '/v1/batches', { token: f.tokens.issue })).json()) as Any;
    expect(body.items[0]).toMatchObject({ id: 1, state: 'open', leafCount: 1 });
  });
});

describe('status changes', () => {
  it('202 with the recorded change; an impossible transition is 409', async () => {
    const f = issuerFixture();
    const issued = (await (await call(f, 'POST', '/v1/credentials', { token: f.tokens.issue, body: record() })).json()) as Any;
    const path = `/v1/credentials/${encodeURIComponent(issued.id)}`;
    const suspended = await call(f, 'POST', `${path}/suspend`, { token: f.tokens.status, body: { reasonCode: 'under_review', reason: 'complaint' } });
    expect(suspended.status).toBe(202);
    expect((await suspended.json()) as Any).toMatchObject({ status: 'suspended', statusChange: { action: 'suspend', state: 'pending' } });
    expect((await call(f, 'POST', `${path}/reinstate`, { token: f.tokens.status, body: { reasonCode: 'resolved' } })).status).toBe(202);
    expect((await call(f, 'POST', `${path}/revoke`, { token: f.tokens.status, body: { reasonCode: 'misconduct' } })).status).toBe(202);
    await expectProblem(await call(f, 'POST', `${path}/reinstate`, { token: f.tokens.status, body: { reasonCode: 'resolved' } }), 409, 'ERR_STATUS_TRANSITION');
    await expectProblem(await call(f, 'POST', `${path}/revoke`, { token: f.tokens.status, body: { reason: 'no code' } }), 400, 'ERR_INVALID_REQUEST');
  });
});

describe('VC-API POST /credentials/issue', () => {
  function unsigned(f: IssuerFixture, overrides: Record<string, unknown> = {}) {
    return {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'ACLS',
      issuer: f.service.issuer.did,
      credentialSubject: {
        type: ['AchievementSubject'],
        id: 'did:example:holder',
        achievement: { id: 'https://example.org/modules/acls', type: ['Achievement'], name: 'ACLS', description: 'd', criteria: { narrative: 'c' } },
      },
      ...overrides,
    };
  }

  it('signs a valid credential (201), adding id, validFrom and our profile', async () => {
    const f = issuerFixture();
    const response = await call(f, 'POST', '/credentials/issue', { token: f.tokens.issue, body: { credential: unsigned(f) } });
    expect(response.status).toBe(201);
    const { verifiableCredential } = (await response.json()) as Any;
    expect(verifiableCredential.id).toMatch(/^urn:uuid:/);
    expect(verifiableCredential.validFrom).toBe('2025-03-01T10:00:00Z');
    expect(verifiableCredential.issuer).toMatchObject({ id: f.service.issuer.did, name: 'Example Medical School' });
    expect(verifiableCredential.proof).toEqual([expect.objectContaining({ cryptosuite: 'eddsa-rdfc-2022' })]);
    expect(f.store.getCredential(verifiableCredential.id)).not.toBeNull();
    const jose = (await (await call(f, 'POST', '/credentials/issue', { token: f.tokens.issue, body: { credential: unsigned(f), options: { format: 'jose' } } })).json()) as Any;
    expect(jose.verifiableCredential.type).toBe('EnvelopedVerifiableCredential');
  });

  it('refuses a foreign issuer, a proof and undefined terms (422 ERR_INVALID_CREDENTIAL)', async () => {
    const f = issuerFixture();
    const body = await expectProblem(await call(f, 'POST', '/credentials/issue', { token: f.tokens.issue, body: { credential: unsigned(f, { issuer: 'did:example:other', proof: {} }) } }), 422, 'ERR_INVALID_CREDENTIAL');
    expect(body.issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(['issuer', 'proof']));
    await expectProblem(await call(f, 'POST', '/credentials/issue', { token: f.tokens.issue, body: { credential: unsigned(f, { favouriteColour: 'red' }) } }), 422, 'ERR_INVALID_CREDENTIAL');
    await expectProblem(await call(f, 'POST', '/credentials/issue', { token: f.tokens.issue, body: { nothing: true } }), 400, 'ERR_INVALID_REQUEST');
  });
});

describe('public routes', () => {
  it('GET /healthz reports the database and the injected chain probe', async () => {
    const f = issuerFixture({ app: { chainHealth: () => Promise.resolve({ ok: false, detail: 'RPC down' }) } });
    const response = await call(f, 'GET', '/healthz');
    expect(response.status).toBe(200);
    expect((await response.json()) as Any).toEqual({ status: 'degraded', database: 'ok', chain: { status: 'error', detail: 'RPC down' } });
  });

  it('GET /.well-known/did.json serves the did:web document, and 404 for did:key', async () => {
    const web = issuerFixture({ didWeb: true });
    const response = await call(web, 'GET', '/.well-known/did.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Any;
    expect(doc.id).toBe('did:web:example.org');
    expect(doc.assertionMethod).toEqual([web.service.issuer.signingKey.id]);
    const key = issuerFixture();
    await expectProblem(await call(key, 'GET', '/.well-known/did.json'), 404, 'ERR_NOT_FOUND');
  });

  it('GET /openapi.json is OpenAPI 3.1 listing every issuer route', async () => {
    const f = issuerFixture({ didWeb: true, app: { anchorer: { anchorNow: () => Promise.reject(new Error('unused')) } } });
    const doc = (await (await call(f, 'GET', '/openapi.json')).json()) as Any;
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(
      [
        'POST /v1/credentials',
        'GET /v1/credentials',
        'POST /v1/credentials/batch',
        'GET /v1/credentials/{id}',
        'POST /v1/credentials/{id}/revoke',
        'POST /v1/credentials/{id}/suspend',
        'POST /v1/credentials/{id}/reinstate',
        'GET /v1/batches',
        'POST /v1/batches/anchor',
        'POST /credentials/issue',
        'GET /healthz',
        'GET /openapi.json',
        'GET /.well-known/did.json',
        'POST /v1/modules',
        'GET /v1/modules',
        'POST /v1/modules/images',
        'POST /v1/modules/import',
        'GET /v1/modules/{id}',
        'PATCH /v1/modules/{id}',
        'POST /v1/modules/{id}/retire',
        'POST /v1/modules/{id}/endorsements',
        'GET /modules/images/{file}',
      ].sort(),
    );
    expect(doc.components.schemas.CompletionRecord.properties.learner).toBeDefined();
    // The batch and list answers publish the learner's name and the credential's state.
    for (const name of ['CredentialSummary', 'CredentialView']) {
      expect(doc.components.schemas[name].properties.state.enum).toEqual(['pending_anchor', 'anchored', 'revoked', 'suspended']);
      expect(doc.components.schemas[name].required).toEqual(expect.arrayContaining(['state', 'learnerName']));
    }
    const issuedRow = doc.components.schemas.BatchRowResult.anyOf.find((r: Any) => r.properties.status.const === 'issued');
    expect(issuedRow.properties).toMatchObject({ learnerName: expect.anything(), state: { const: 'pending_anchor' } });
    // Every route the app answers is in the document: compare with hono's own route table.
    const appRoutes = new Set(f.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
    expect([...appRoutes].sort()).toEqual(routes.sort());
  });

  it('unknown paths and wrong methods are problem details', async () => {
    const f = issuerFixture();
    await expectProblem(await call(f, 'GET', '/nope'), 404, 'ERR_NOT_FOUND');
    await expectProblem(await call(f, 'DELETE', '/v1/credentials', { token: f.tokens.admin }), 405, 'ERR_METHOD_NOT_ALLOWED');
  });

  it('POST /v1/batches/anchor (admin) runs the anchorer now', async () => {
    let ran = 0;
    const f = issuerFixture({ app: { anchorer: { anchorNow: () => { ran += 1; return Promise.resolve({ sealed: [1], anchored: [], failed: [], statusDone: [], statusFailed: [], retrying: 0 }); } } } });
    await expectProblem(await call(f, 'POST', '/v1/batches/anchor', { token: f.tokens.issue }), 403, 'ERR_FORBIDDEN');
    const response = await call(f, 'POST', '/v1/batches/anchor', { token: f.tokens.admin });
    expect(response.status).toBe(202);
    expect(ran).toBe(1);
  });
});
