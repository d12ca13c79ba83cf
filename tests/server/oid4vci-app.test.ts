// The OID4VCI routes in the issuer app, without a server: offer authorisation, spec-shaped refusals, rate limit, URLs.
import { describe, expect, it } from 'vitest';
import { createOid4vciService } from '../../src/oid4vci';
import { createIssuerApp } from '../../src/server/issuer-app';
import { expectCode, expectProblem } from '../helpers/errors';
import { issuerFixture, record, type IssuerFixture } from '../issuer/fixture';

const BASE = 'http://127.0.0.1:8080';

function withWallets(options: { baseUrl?: string; rateLimit?: { windowMs: number; max: number } | false } = {}): IssuerFixture & { app: ReturnType<typeof createIssuerApp> } {
  const f = issuerFixture();
  const oid4vci = createOid4vciService({ store: f.store, issuer: f.service, baseUrl: () => options.baseUrl ?? BASE, now: f.now });
  const app = createIssuerApp({ service: f.service, store: f.store, now: f.now, oid4vci, oid4vciRateLimit: options.rateLimit ?? false, onUnexpected: () => undefined });
  return { ...f, app };
}

async function offer(f: IssuerFixture, token: string, body: unknown): Promise<Response> {
  return f.app.request('/v1/offers', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function token(f: IssuerFixture, form: Record<string, string>): Promise<Response> {
  return f.app.request('/oid4vci/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

describe('POST /v1/offers', () => {
  it('needs the issue scope, refuses a bad record per field, and answers the link, QR code and PIN once', async () => {
    const f = withWallets();
    await expectProblem(await offer(f, f.tokens.status, { record: record() }), 403, 'ERR_FORBIDDEN');
    const bad = await expectProblem(await offer(f, f.tokens.issue, { record: { ...record(), completedAt: 'yesterday' } }), 422, 'ERR_INVALID_RECORD');
    expect(JSON.stringify(bad)).toContain('completedAt');
    await expectProblem(await offer(f, f.tokens.issue, { record: record(), expiresInSeconds: 5 }), 400, 'ERR_INVALID_REQUEST');
    const response = await offer(f, f.tokens.issue, { record: record(), pin: true });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { offerId: string; credentialOfferUri: string; txCode: string; qrSvg: string };
    expect(body.txCode).toMatch(/^\d{6}$/);
    // Only hashes are stored: neither the code nor the PIN is anywhere in the database row.
    const row = JSON.stringify(f.store.db.prepare('SELECT * FROM oid4vci_offers WHERE id = ?').get(body.offerId));
    const code = decodeURIComponent(body.credentialOfferUri).match(/"pre-authorized_code":"([^"]+)"/)![1]!;
    expect(row).not.toContain(code);
    expect(row).not.toContain(`"${body.txCode}"`);
    const audit = JSON.stringify(f.store.db.prepare("SELECT * FROM audit_log WHERE action = 'offer.create'").all());
    expect(audit).not.toContain('ada@example.org');
  });

  it('offers an issued credential again (its content, a new credential), and refuses an unknown or revoked one', async () => {
    const f = withWallets();
    const issued = await f.service.issue(record(), { format: 'jose', actor: 'test' });
    const response = await offer(f, f.tokens.issue, { credentialId: issued.credentialId.replace('urn:uuid:', '') });
    expect(response.status).toBe(201);
    const { offerId } = (await response.json()) as { offerId: string };
    const stored = JSON.parse(f.store.offers.get(offerId)!.record!) as Record<string, unknown>;
    // The record rebuilt from the credential and the learners table is the record it was issued from.
    const { validFor: _validFor, ...sample } = record();
    expect(stored).toEqual({ ...sample, expiresAt: '2027-03-01T09:30:00Z' });
    await expectProblem(await offer(f, f.tokens.issue, { credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000000' }), 404, 'ERR_CREDENTIAL_NOT_FOUND');
    await expectProblem(await offer(f, f.tokens.issue, { record: record(), credentialId: issued.credentialId }), 400, 'ERR_INVALID_REQUEST');
    f.service.requestStatusChange(issued.credentialId, 'revoke', { reasonCode: 'issued_in_error', actor: 'test' });
    await expectProblem(await offer(f, f.tokens.issue, { credentialId: issued.credentialId }), 409, 'ERR_OFFER_REFUSED');
  });

  it('is listed in /openapi.json with the wallet endpoints, exactly as the app routes them', async () => {
    const f = withWallets();
    const doc = (await (await f.app.request('/openapi.json')).json()) as { paths: Record<string, object> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of ['POST /v1/offers', 'GET /.well-known/openid-credential-issuer', 'GET /.well-known/oauth-authorization-server', 'POST /oid4vci/token', 'POST /oid4vci/nonce', 'POST /oid4vci/credential', 'POST /oid4vci/deferred-credential']) {
      expect(documented).toContain(route);
    }
    // did.json and batches/anchor are routed always and documented only with did:web and an anchorer (issuer-app.test.ts).
    const optional = new Set(['GET /.well-known/did.json', 'POST /v1/batches/anchor']);
    const appRoutes = new Set(f.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).filter((r) => !optional.has(r)));
    expect([...appRoutes].sort()).toEqual(documented.sort());
  });
});

describe('the wallet endpoints', () => {
  it('refuse in the shape the specifications define: unknown code, wrong grant, missing token', async () => {
    const f = withWallets();
    const unknown = await token(f, { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(await unknown.json()).toEqual({ error: 'invalid_grant', error_description: 'The pre-authorized code is not known.' });
    const grant = await token(f, { grant_type: 'client_credentials' });
    expect(((await grant.json()) as { error: string }).error).toBe('unsupported_grant_type');
    const credential = await f.app.request('/oid4vci/credential', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(credential.status).toBe(401);
    expect(credential.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(((await credential.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('are rate-limited per client with the project’s limiter', async () => {
    const f = withWallets({ rateLimit: { windowMs: 60_000, max: 2 } });
    expect((await f.app.request('/oid4vci/nonce', { method: 'POST' })).status).toBe(200);
    expect((await f.app.request('/oid4vci/nonce', { method: 'POST' })).status).toBe(200);
    await expectProblem(await f.app.request('/oid4vci/nonce', { method: 'POST' }), 429, 'ERR_RATE_LIMITED');
    // Metadata is not limited: wallets and caches read it freely.
    expect((await f.app.request('/.well-known/openid-credential-issuer')).status).toBe(200);
  });

  it('need an https credential issuer unless it is on loopback', async () => {
    const f = issuerFixture();
    const service = createOid4vciService({ store: f.store, issuer: f.service, baseUrl: () => 'http://credentials.example.edu', now: f.now });
    await expectCode(service.createOffer({ record: record(), actor: 'test' }), 'ERR_CONFIG_INVALID');
    const https = createOid4vciService({ store: f.store, issuer: f.service, baseUrl: () => 'https://credentials.example.edu', now: f.now });
    expect((await https.createOffer({ record: record(), actor: 'test' })).credentialOffer).toMatchObject({ credential_issuer: 'https://credentials.example.edu' });
  });
});
